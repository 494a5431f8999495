"""Answers that fill the whole join form validly, for tests and benchmarks."""

from __future__ import annotations

from typing import Any


def words(count: int, word: str = "rights") -> str:
    """A text of exactly `count` words."""
    return " ".join(f"{word}{i}" for i in range(count))


def complete_answers() -> dict[str, Any]:
    """Every required question of hrc-join 2022 answered, within every limit."""
    return {
        "country": "ID",
        "lrg_name": "Kabupaten Jember",
        "lrg_type": "district",
        "inhabitants": 2536729,
        "head_name": "Hendy Siswanto",
        "head_title": "Bupati",
        "mandate": {"start": 2021, "end": 2026},
        "focal_point_name": "Siti Rahmawati",
        "focal_point_email": "ham@jemberkab.go.id",
        "focal_point_phone": "+62 331 487 000",
        "vision": words(700, "visi"),
        "areas_of_focus": ["housing", "women", "others"],
        "areas_of_focus_other": "Hak atas tanah",
        "motivations": words(150, "motivasi"),
        "local_actions": [
            {"description": words(50, "aksi"), "links": ["https://jemberkab.go.id/ham"]},
            {"description": words(30, "program"), "links": [], "documents": []},
        ],
        "signer_name": "Hendy Siswanto",
        "signer_position": "Bupati Jember",
        "territory_name": "Jember",
        "statement_date": "2026-11-23",
    }


def tiny_png() -> bytes:
    """A valid 2x2 PNG (a stand-in for a drawn signature where the drawing does not matter)."""
    import struct  # noqa: PLC0415
    import zlib  # noqa: PLC0415

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0)  # 2x2, 8-bit greyscale
    pixels = zlib.compress(b"\x00\x00\xff\x00\xff\x00")  # two rows: filter byte + 2 pixels
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


# The office key's passphrase in tests (strong enough for the passphrase check).
OFFICE_PASSPHRASE = "kopi tubruk jember hujan sore"

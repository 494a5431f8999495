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


def _png(width: int, height: int, rows: list[bytes]) -> bytes:
    """A greyscale PNG written by hand (no Qt), from rows of 8-bit grey levels."""
    import struct  # noqa: PLC0415
    import zlib  # noqa: PLC0415

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    pixels = zlib.compress(b"".join(b"\x00" + row for row in rows))  # filter byte + pixels
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def tiny_png() -> bytes:
    """A valid 2x2 PNG (a stand-in for a drawn signature where the drawing does not matter)."""
    return _png(2, 2, [b"\x00\xff", b"\xff\x00"])


def scanned_signature_png() -> bytes:
    """A scan of a signature as a person would offer one: grey paper, a dark stroke across it."""
    width, height = 120, 40
    rows = []
    for y in range(height):
        row = bytearray(b"\xd0" * width)  # grey paper
        for x in range(10, 110):
            if abs(y - (20 + (x % 20 - 10) // 2)) <= 1:
                row[x] = 0x20  # the ink
        rows.append(bytes(row))
    return _png(width, height, rows)


# The office key's passphrase in tests (strong enough for the passphrase check).
OFFICE_PASSPHRASE = "kopi tubruk jember hujan sore"


def recorded_submission(
    draft_id: str, signature_sha: str, submission_id: str = "sub-1", envelope: bytes = b"{}"
):
    """A submission as the store records it, for tests of the store (not a real signature:
    signing itself is tested with real keys in test_signing.py)."""
    from desktop.core.store.drafts import Submission  # noqa: PLC0415

    return Submission(
        id=submission_id,
        draft_id=draft_id,
        envelope=envelope,
        kid="kid-of-the-office",
        office_name="Kantor Bupati Jember",
        signer_name="Hendy Siswanto",
        signer_position="Bupati",
        signed_at="2026-11-23T10:00:00.000000+00:00",
        signature_image=signature_sha,
        signed_pdf=None,
    )

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

"""Names of written files (desktop.core.file_names): safe on every system, from the roles."""

from __future__ import annotations

import pytest

from desktop.core.file_names import MAX_NAME, document_name, safe_name
from schemas.forms import default_registry


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("plan.pdf", "plan.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\rapport final.odt", "rapport final.odt"),
        ('a<b>c:"d|e?f*.pdf', "a_b_c__d_e_f_.pdf"),
        ("CON.txt", "_CON.txt"),
        (" .hidden ", "hidden"),
        ("...", "fallback.bin"),
        ("مخطط العمل.pdf", "مخطط العمل.pdf"),
    ],
)
def test_names_from_answers_are_made_safe(typed: str, expected: str) -> None:
    assert safe_name(typed, "fallback.bin") == expected


def test_long_names_keep_their_suffix() -> None:
    name = safe_name("x" * 500 + ".pdf", "f")
    assert name.endswith(".pdf")
    assert len(name) <= MAX_NAME


def test_the_suggested_name_is_the_governments_read_through_its_role() -> None:
    form = default_registry().latest("hrc-join")
    assert document_name(form, {form.role("lrg_name"): " Pasto "}, ".pdf", "form") == "Pasto.pdf"
    assert (
        document_name(form, {form.role("lrg_name"): "Ville/Commune"}, ".pdf", "f")
        == "Ville-Commune.pdf"
    )
    assert document_name(form, {}, ".pdf", "join-form") == "join-form.pdf"

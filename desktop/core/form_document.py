"""The filled form as a readable HTML document, section by section, for paper and PDF.

Qt-free: it only builds text, so its content is tested without a window; `pdf_export` lays it out.
Everything typed by the user is escaped; names inserted into translated sentences are isolated
(`i18n.formatting.isolate`) so that they read correctly in right-to-left languages.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babel import Locale

from desktop.version import __version__
from i18n import formatting
from i18n.formatting import isolate
from i18n.translate import _, current_language
from schemas.forms import FieldDef, FormDefinition
from schemas.validation import is_empty, is_relevant
from sync.statement import statement_text

SIGNATURE_IMAGE = "signature.png"
FINGERPRINT_QR = "fingerprint-qr.png"


@dataclass(frozen=True)
class SignedBlock:
    """What the signed PDF's last page shows about the signature (images by resource name)."""

    signer_name: str
    signer_position: str
    signed_on: str
    office_name: str
    fingerprint: str
    kid: str
    signature_png: bytes


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{html.escape(part)}</p>" for part in text.split("\n") if part.strip())


def render_value(fdef: FieldDef, value: Any) -> str:
    """One answer as HTML, in the current language's formats."""
    if is_empty(value):
        unanswered = _("(not answered)")  # outside the f-string, where the extractor finds it
        return f"<p class='empty'>{html.escape(unanswered)}</p>"
    options = {o.id: _(o.label) for o in fdef.options}
    kind = fdef.type
    if kind == "long_text":
        return _paragraphs(str(value))
    if kind == "country":
        return f"<p>{html.escape(formatting.country_name(str(value)))}</p>"
    if kind == "integer" and isinstance(value, int):
        return f"<p>{html.escape(formatting.number(value))}</p>"
    if kind == "choice":
        return f"<p>{html.escape(options.get(value, str(value)))}</p>"
    if kind == "multi_choice" and isinstance(value, list):
        items = "".join(f"<li>{html.escape(options.get(v, str(v)))}</li>" for v in value)
        return f"<ul>{items}</ul>"
    if kind == "year_range" and isinstance(value, dict):
        start, end = value.get("start") or "…", value.get("end") or "…"
        # Translators: the years of a mandate, e.g. "2021 to 2026".
        years = _("{start} to {end}").format(start=isolate(start), end=isolate(end))
        return f"<p>{html.escape(years)}</p>"
    if kind == "date" and isinstance(value, str):
        try:
            return f"<p>{html.escape(formatting.day(value))}</p>"
        except ValueError:
            return f"<p>{html.escape(value)}</p>"
    if kind in ("url_list",) and isinstance(value, list):
        return "<ul>" + "".join(f"<li>{html.escape(str(v))}</li>" for v in value) + "</ul>"
    if kind == "attachments" and isinstance(value, list):
        names = [html.escape(str(v.get("name", ""))) for v in value if isinstance(v, dict)]
        return "<ul>" + "".join(f"<li>{n}</li>" for n in names) + "</ul>"
    if kind == "repeat" and isinstance(value, list):
        return _render_items(fdef, value)
    return f"<p>{html.escape(str(value))}</p>"


def _render_items(fdef: FieldDef, items: list[Any]) -> str:
    parts = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or is_empty(item):
            continue
        parts.append(f"<h3>{html.escape(_(fdef.item_label).format(number=number))}</h3>")
        for sub in fdef.item_fields:
            if not is_empty(item.get(sub.id)):
                parts.append(f"<h4>{html.escape(_(sub.label))}</h4>")
                parts.append(render_value(sub, item.get(sub.id)))
    return "".join(parts) or render_value(fdef, None)


def _signed_block(block: SignedBlock) -> str:
    signed = _("Signed by {name}, {position}, on {date}.").format(
        name=isolate(block.signer_name),
        position=isolate(block.signer_position),
        date=formatting.day(block.signed_on),
    )
    key = _("Office key of {office}: {fingerprint}").format(
        office=isolate(block.office_name), fingerprint=isolate(block.fingerprint)
    )
    return (
        f"<p>{html.escape(signed)}</p>"
        f"<p><img src='{SIGNATURE_IMAGE}' height='90'></p>"
        f"<p class='meta'>{html.escape(key)}</p>"
        f"<p><img src='{FINGERPRINT_QR}' width='110' height='110'></p>"
    )


def form_html(
    form: FormDefinition,
    answers: Mapping[str, Any],
    generated: str,
    signed: SignedBlock | None = None,
) -> str:
    """The whole form with its answers, as one HTML document.

    When `signed` is given, the statement starts a page of its own and ends with the drawn
    signature and the office key's fingerprint: the page the PDF signature box goes on.
    """
    direction = Locale.parse(current_language()).text_direction
    parts = [
        f"<html dir='{direction}'><head><meta charset='utf-8'></head><body>",
        f"<h1>{html.escape(_(form.title))}</h1>",
        "<p class='meta'>"
        + html.escape(
            _("Form {form} version {version}. Printed {when} by hrcities {app}.").format(
                form=form.form_id, version=form.version, when=generated, app=__version__
            )
        )
        + "</p>",
    ]
    for number, section in enumerate(form.sections, start=1):
        style = " style='page-break-before: always'" if signed and section.statement else ""
        parts.append(f"<h2{style}>{number}. {html.escape(_(section.title))}</h2>")
        if section.statement is not None:
            statement = statement_text(form, answers, current_language())
            parts.append(f"<blockquote>{_paragraphs(statement)}</blockquote>")
        for fdef in section.fields:
            if not is_relevant(fdef, answers):
                continue
            parts.append(f"<h4>{html.escape(_(fdef.label))}</h4>")
            parts.append(render_value(fdef, answers.get(fdef.id)))
        if section.statement is not None and signed is not None:
            parts.append(_signed_block(signed))
    parts.append("</body></html>")
    return "".join(parts)

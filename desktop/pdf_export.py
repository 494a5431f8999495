"""Writing the filled form to a PDF with Qt's own PDF writer, for reading on paper."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from desktop.form_document import form_html
from desktop.store.database import utc_now
from i18n import formatting
from schemas.forms import FormDefinition

STYLE = """
body { font-size: 10.5pt; }
h1 { font-size: 16pt; }
h2 { font-size: 13pt; margin-top: 14pt; border-bottom: 1px solid #888; }
h3 { font-size: 11pt; margin-top: 8pt; }
h4 { font-size: 10.5pt; margin-top: 8pt; margin-bottom: 2pt; color: #333; }
p.empty { color: #888; font-style: italic; }
p.meta { color: #555; font-size: 9pt; }
blockquote { margin: 6pt 12pt; }
"""


def write_form_pdf(form: FormDefinition, answers: dict, path: Path) -> None:
    """Lay the form out on A4 pages and write it to `path` (replaced only when complete)."""
    document = QTextDocument()
    document.setDefaultStyleSheet(STYLE)
    document.setHtml(form_html(form, answers, formatting.moment(utc_now())))
    partial = path.with_name(path.name + ".partial")
    writer = QPdfWriter(str(partial))
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(18, 18, 18, 18),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(form.title)
    writer.setCreator("hrcities")
    document.print_(writer)
    del writer  # the file is finished when the writer goes away
    partial.replace(path)

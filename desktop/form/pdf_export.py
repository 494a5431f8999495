"""The filled form as a PDF, with Qt's own PDF writer: for reading on paper, and for signing.

`form_pdf` returns the bytes (the signed PDF is made from them); `write_form_pdf` saves them.
Works in the window and from the command line alike: without a running application it starts
Qt on its offscreen platform, which needs no display.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import segno
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QUrl
from PySide6.QtGui import (
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextDocument,
)

from desktop.core.form_document import FINGERPRINT_QR, SIGNATURE_IMAGE, SignedBlock, form_html
from desktop.core.store.database import utc_now
from i18n import formatting
from i18n.translate import _
from schemas.forms import FormDefinition
from sync.durable import write_atomically

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
# A4 margins; the statement page keeps its lower part free for the visible PDF signature
# (sync.signed_pdf.DEFAULT_BOX, bottom right).
MARGIN_MM = 18


def ensure_gui() -> None:
    """Qt needs an application to lay out text; start one offscreen if none runs (CLI)."""
    if QGuiApplication.instance() is None:
        QGuiApplication([sys.argv[0] if sys.argv else "hrcities", "-platform", "offscreen"])


def fingerprint_qr_png(kid: str) -> bytes:
    """A QR code of the office key id, to compare by phone with the one the secretariat has."""
    buffer = io.BytesIO()
    segno.make(f"hrcities-office-key:{kid}", error="m").save(buffer, kind="png", scale=4, border=2)
    return buffer.getvalue()


def _image(data: bytes) -> QImage:
    # The format is named: left to guess, another image plugin can claim a PNG and refuse it.
    image = QImage()
    image.loadFromData(data, "PNG")
    return image


def form_pdf(
    form: FormDefinition, answers: Mapping[str, Any], signed: SignedBlock | None = None
) -> bytes:
    """The form laid out on A4 pages, as PDF bytes."""
    ensure_gui()
    document = QTextDocument()
    document.setDefaultStyleSheet(STYLE)
    if signed is not None:
        document.addResource(
            QTextDocument.ResourceType.ImageResource,
            QUrl(SIGNATURE_IMAGE),
            _image(signed.signature_png),
        )
        document.addResource(
            QTextDocument.ResourceType.ImageResource,
            QUrl(FINGERPRINT_QR),
            _image(fingerprint_qr_png(signed.kid)),
        )
    document.setHtml(form_html(form, answers, formatting.moment(utc_now()), signed))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(_(form.title))
    writer.setCreator("hrcities")
    document.print_(writer)
    del writer  # the PDF is complete when the writer goes away
    buffer.close()
    return bytes(data.data())


def write_form_pdf(form: FormDefinition, answers: Mapping[str, Any], path: Path) -> None:
    """Save the form as a PDF at `path`, replaced only once complete."""
    write_file(path, form_pdf(form, answers))


def write_file(path: Path, data: bytes) -> None:
    """Write bytes to `path` all or nothing, flushed to the disk (or the USB stick)."""
    write_atomically(path, data)

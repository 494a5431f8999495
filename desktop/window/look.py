"""The few visual accents of the window, set as fonts and palettes on the widgets themselves.

An application-wide style sheet would do the same in fewer lines, but it routes every widget
through Qt's style-sheet engine: on an old PC that made opening a form several times slower.
Tones are kept as widget properties too (`tone`), so tests and tools can read them.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QWidget

TONES = {
    "": None,  # the palette's own text colour
    "quiet": QColor("#4a4a4a"),
    "missing": QColor("#8a5a00"),
    "wrong": QColor("#b00020"),
}


def make_title(label: QLabel) -> None:
    """A page title: larger and bold."""
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setBold(True)
    label.setFont(font)


def make_bold(label: QLabel) -> None:
    """A question's label."""
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)


def set_tone(widget: QWidget, tone: str, bold: bool = False) -> None:
    """Colour a text by what it says: quiet (help), missing, wrong; "" for the usual colour."""
    if widget.property("tone") == tone and widget.font().bold() == bold:
        return
    widget.setProperty("tone", tone)
    palette = QPalette(widget.palette())
    colour = TONES[tone]
    default = widget.style().standardPalette().color(QPalette.ColorRole.WindowText)
    palette.setColor(QPalette.ColorRole.WindowText, colour if colour is not None else default)
    widget.setPalette(palette)
    font = QFont(widget.font())
    font.setBold(bold)
    widget.setFont(font)


def make_panel(label: QLabel) -> None:
    """Text set apart in a framed panel (the statement the signer reads)."""
    label.setFrameShape(QFrame.Shape.StyledPanel)
    label.setAutoFillBackground(True)
    label.setBackgroundRole(QPalette.ColorRole.Base)
    label.setMargin(10)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.1)
    label.setFont(font)

"""The drawn signature: a pad to sign on with a mouse, a pen or a finger, or a picture of one.

The signature ends up as a small PNG (dark ink on white, trimmed to the ink) that the submission
names by its SHA-256 and the signed PDF prints. Strokes are kept as the points the pointer went
through, in the pad's logical pixels, and drawn as quadratic curves through the midpoints between
them, so a shaky mouse still gives a smooth line. The PNG is rendered from those points, not from
the screen, so the same strokes always give the same bytes whatever the screen's pixel ratio.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QFocusEvent,
    QImage,
    QInputDevice,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.signing.signature_picture import (
    BASELINE,
    HINT,
    MAX_PICTURE_BYTES,
    MAX_UPSCALE,
    MIN_POINT_DISTANCE,
    PAPER,
    EmptySignature,
    Point,
    UnreadablePicture,
    encode_png,
    ink_pen,
    on_paper,
    read_picture,
    render_strokes,
    stroke_path,
)
from i18n.errors import UserError
from i18n.formatting import number
from i18n.translate import _, ngettext


class SignaturePad(QWidget):
    """A white card to sign on. Emits `changed` whenever the signature on it changes.

    A picture imported with `load_image` replaces the strokes; while it is shown the pad takes no
    ink (Clear or Undo removes it, then the pad can be drawn on again).
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strokes: list[list[Point]] = []
        self._picture: QImage | None = None
        self._drawing = False
        self.setObjectName("signaturePad")
        self.setMinimumSize(420, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.retranslate_ui()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Wide enough for a signature, about as tall as the line a signature is made on."""
        return QSize(560, 200)

    def retranslate_ui(self) -> None:
        """The hint and what screen readers say, in the current language."""
        self.setAccessibleName(_("Signature pad"))
        if self._picture is not None:
            state = _("A picture of the signature is shown.")
        elif self._strokes:
            count = len(self._strokes)
            state = ngettext("{count} stroke drawn.", "{count} strokes drawn.", count).format(
                count=number(count)
            )
        else:
            state = _("Nothing drawn yet.")
        description = _(
            "Draw the signature with the mouse, a pen or a finger, or import a picture of it."
        )
        self.setAccessibleDescription(f"{description} {state}")
        self.update()

    # The signature

    def is_empty(self) -> bool:
        """True when there is neither a stroke nor a picture."""
        return not self._strokes and self._picture is None

    def strokes(self) -> list[list[Point]]:
        """A copy of the strokes, each the points it went through (logical pixels of the pad)."""
        return [list(stroke) for stroke in self._strokes]

    def clear(self) -> None:
        """Remove everything drawn or imported."""
        self._strokes.clear()
        self._picture = None
        self._drawing = False
        self._changed()

    def undo_stroke(self) -> None:
        """Remove the last stroke, or the imported picture; nothing happens on an empty pad."""
        if self.is_empty():
            return
        if self._picture is not None:
            self._picture = None
        else:
            self._strokes.pop()
        self._drawing = False
        self._changed()

    def load_image(self, data: bytes) -> None:
        """Show a photo or scan of a handwritten signature (PNG or JPEG) instead of the strokes.

        The picture is cleaned (dark ink on white, trimmed to the ink); raises UnreadablePicture
        for bytes that are not such a picture or a picture with no visible ink.
        """
        self._picture = read_picture(data)
        self._strokes.clear()
        self._drawing = False
        self._changed()

    def to_png(self) -> bytes:
        """The signature as PNG bytes: greyscale, white paper, trimmed to the ink plus a margin.

        At most 600 x 200 pixels; strokes are rendered at up to twice their size on screen, so
        they print crisply. The same strokes always give the same bytes. Raises EmptySignature on
        an empty pad rather than returning a blank picture nobody signed.
        """
        if self._picture is not None:
            return encode_png(self._picture)
        if not self._strokes:
            raise EmptySignature
        return encode_png(on_paper(render_strokes(self._strokes)))

    def _changed(self) -> None:
        self.setCursor(
            Qt.CursorShape.ArrowCursor if self._picture is not None else Qt.CursorShape.CrossCursor
        )
        self.retranslate_ui()
        self.changed.emit()

    # Ink from any pointer

    def _begin(self, position: QPointF) -> None:
        if self._picture is not None:
            return
        self._drawing = True
        self._strokes.append([])
        self._extend(position)
        self.changed.emit()

    def _extend(self, position: QPointF) -> None:
        if not self._drawing:
            return
        x = min(max(position.x(), 0.0), float(self.width()))
        y = min(max(position.y(), 0.0), float(self.height()))
        stroke = self._strokes[-1]
        if stroke and math.dist(stroke[-1], (x, y)) < MIN_POINT_DISTANCE:
            return
        stroke.append((x, y))
        self.update()

    def _end(self, position: QPointF) -> None:
        if not self._drawing:
            return
        self._extend(position)
        self._drawing = False
        self._changed()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """The left button starts a stroke (touch and pens arrive here too when not handled)."""
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Moving with the button held extends the stroke."""
        if self._drawing and event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position())
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Releasing the button ends the stroke."""
        if event.button() == Qt.MouseButton.LeftButton:
            self._end(event.position())
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802 - Qt override
        """A pen on a graphics tablet or pen screen, at its full precision."""
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._begin(event.position())
        elif kind == QEvent.Type.TabletMove:
            self._extend(event.position())  # hovering pens move too: only ink while drawing
        elif kind == QEvent.Type.TabletRelease:
            self._end(event.position())
        event.accept()  # accepted: Qt sends no mouse event for it, so no point is counted twice

    def event(self, event: QEvent) -> bool:
        """A finger on a touch screen (touchpads are left to the mouse events they make)."""
        if isinstance(event, QTouchEvent) and event.type() in (
            QEvent.Type.TouchBegin,
            QEvent.Type.TouchUpdate,
            QEvent.Type.TouchEnd,
            QEvent.Type.TouchCancel,
        ):
            if event.device().type() != QInputDevice.DeviceType.TouchScreen:
                return super().event(event)
            points = event.points()
            position = points[0].position() if points else None
            if event.type() == QEvent.Type.TouchBegin and position is not None:
                self._begin(position)
            elif event.type() == QEvent.Type.TouchUpdate and position is not None:
                self._extend(position)
            elif position is not None:
                self._end(position)
            else:
                self._drawing = False
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Ctrl+Z (the platform's Undo) takes back the last stroke."""
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo_stroke()
            event.accept()
        else:
            super().keyPressEvent(event)

    # Drawing

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        """White card, the line to sign on, the hint while empty, then the signature."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), PAPER)
        frame = self.palette().color(
            QPalette.ColorRole.Highlight if self.hasFocus() else QPalette.ColorRole.Mid
        )
        painter.setPen(QPen(frame, 2 if self.hasFocus() else 1))
        painter.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        inner = QRectF(self.rect()).adjusted(24, 12, -24, -12)
        baseline = inner.top() + inner.height() * 0.75
        painter.setPen(QPen(BASELINE, 1))
        painter.drawLine(QPointF(inner.left(), baseline), QPointF(inner.right(), baseline))
        if self.is_empty():
            painter.setPen(HINT)
            start = (
                Qt.AlignmentFlag.AlignRight if self.isRightToLeft() else Qt.AlignmentFlag.AlignLeft
            )
            hint_box = QRectF(inner.left(), inner.top(), inner.width(), baseline - inner.top() - 4)
            painter.drawText(hint_box, start | Qt.AlignmentFlag.AlignBottom, _("Sign here"))
        if self._picture is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            size = QSize(self._picture.size())
            size.scale(inner.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
            if size.width() > self._picture.width() * MAX_UPSCALE:
                size = self._picture.size() * MAX_UPSCALE
            target = QRectF(QPointF(0, 0), size.toSizeF())
            target.moveCenter(inner.center())
            painter.drawImage(target, self._picture)
        painter.setPen(ink_pen())
        for stroke in self._strokes:
            painter.drawPath(stroke_path(stroke))
        painter.end()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        """Show the focus on the frame."""
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        """Hide the focus frame."""
        super().focusOutEvent(event)
        self.update()


class SignatureEditor(QWidget):
    """The pad with its buttons: Clear, Undo last stroke, Import a picture….

    The buttons make the pad usable from the keyboard: a person who cannot draw imports a photo
    or scan of the signature instead. Emits `changed` when the signature changes.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pad = SignaturePad(self)
        self.clear_button = QPushButton(self)
        self.clear_button.setObjectName("clearSignature")
        self.undo_button = QPushButton(self)
        self.undo_button.setObjectName("undoStroke")
        self.import_button = QPushButton(self)
        self.import_button.setObjectName("importSignature")
        self.clear_button.clicked.connect(self.pad.clear)
        self.undo_button.clicked.connect(self.pad.undo_stroke)
        self.import_button.clicked.connect(self._choose_picture)
        self.pad.changed.connect(self._on_pad_changed)
        buttons = QHBoxLayout()
        for button in (self.clear_button, self.undo_button, self.import_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pad)
        layout.addLayout(buttons)
        self.retranslate_ui()
        self._update_buttons()

    def retranslate_ui(self) -> None:
        """Buttons and the pad's texts in the current language."""
        self.clear_button.setText(_("Clear"))
        self.undo_button.setText(_("Undo last stroke"))
        self.import_button.setText(_("Import a picture…"))
        self.import_button.setToolTip(_("A photo or scan of the handwritten signature"))
        self.pad.retranslate_ui()

    def import_picture(self, path: Path) -> None:
        """Put the picture in this file on the pad; raises UnreadablePicture if it cannot."""
        try:
            if path.stat().st_size > MAX_PICTURE_BYTES:
                raise UnreadablePicture
            data = path.read_bytes()
        except OSError as error:
            raise UnreadablePicture from error
        self.pad.load_image(data)

    def _choose_picture(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Import a picture of the signature"),
            "",
            _("PNG or JPEG pictures") + " (*.png *.jpg *.jpeg)",
        )
        if not path:
            return
        try:
            self.import_picture(Path(path))
        except UserError as error:
            QMessageBox.warning(self, _("Picture not imported"), str(error))

    def _on_pad_changed(self) -> None:
        self._update_buttons()
        self.changed.emit()

    def _update_buttons(self) -> None:
        has_signature = not self.pad.is_empty()
        self.clear_button.setEnabled(has_signature)
        self.undo_button.setEnabled(has_signature)

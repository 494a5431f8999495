"""The signature pad, signed with simulated mouse, finger and pen strokes (offscreen platform)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QEvent, QIODevice, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QInputDevice,
    QPainter,
    QPainterPath,
    QPen,
    QPointingDevice,
    QTabletEvent,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop.signing.signature_pad import SignatureEditor, SignaturePad
from desktop.signing.signature_picture import (
    MAX_PNG_SIZE,
    PNG_MARGIN,
    EmptySignature,
    UnreadablePicture,
    stroke_path,
)
from i18n.errors import UserError
from i18n.translate import set_language

pytestmark = pytest.mark.gui

LEFT = Qt.MouseButton.LeftButton
NO_KEYS = Qt.KeyboardModifier.NoModifier
LOOP = [(40, 110), (70, 50), (100, 120), (130, 60), (160, 100)]
BAR = [(180, 80), (230, 75), (280, 90), (330, 70)]


def draw(pad: SignaturePad, points: list[tuple[int, int]]) -> None:
    """Press the left button at the first point, move through the others, release at the last."""
    first, *middle, last = [QPoint(x, y) for x, y in points]
    QTest.mousePress(pad, LEFT, NO_KEYS, first)
    for point in middle:
        QTest.mouseMove(pad, point)
    QTest.mouseRelease(pad, LEFT, NO_KEYS, last)


def shown(qtbot, widget):
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def pad(qtbot) -> SignaturePad:
    return shown(qtbot, SignaturePad())


@pytest.fixture
def editor(qtbot) -> SignatureEditor:
    return shown(qtbot, SignatureEditor())


def png_bytes(image: QImage, kind: str = "PNG") -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, kind)
    return bytes(buffer.data().data())


def handwriting(paper: QColor, ink: QColor, size: tuple[int, int] = (900, 500)) -> QImage:
    """A picture of a signature: a loop and a line in the middle of a sheet."""
    image = QImage(*size, QImage.Format.Format_ARGB32)
    image.fill(paper)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(ink, 6))
    painter.drawEllipse(300, 180, 200, 120)
    painter.drawLine(250, 320, 650, 260)
    painter.end()
    return image


def ink_box(image: QImage, darker_than: int = 128) -> QRect:
    """The rectangle holding the image's dark pixels (empty if it has none)."""
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, stride, raw = grey.width(), grey.bytesPerLine(), bytes(grey.constBits())
    dark = bytes(1 if level < darker_than else 0 for level in range(256))
    box = QRect()
    for y in range(grey.height()):
        row = raw[y * stride : y * stride + width].translate(dark)
        if 1 in row:
            box = box.united(QRect(row.find(1), y, row.rfind(1) - row.find(1) + 1, 1))
    return box


def decoded(png: bytes) -> QImage:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = QImage.fromData(png)
    assert not image.isNull()
    assert image.width() <= MAX_PNG_SIZE.width()
    assert image.height() <= MAX_PNG_SIZE.height()
    return image


def test_two_mouse_strokes_make_a_trimmed_png_of_the_ink(pad: SignaturePad) -> None:
    assert pad.is_empty()
    draw(pad, LOOP)
    draw(pad, BAR)
    assert not pad.is_empty()
    assert pad.strokes() == [[(float(x), float(y)) for x, y in s] for s in (LOOP, BAR)]
    image = decoded(pad.to_png())
    ink = ink_box(image)
    assert not ink.isEmpty()
    # trimmed: the ink reaches the margin on every side, and the margin itself is paper
    assert PNG_MARGIN <= ink.left() <= PNG_MARGIN + 3
    assert PNG_MARGIN <= ink.top() <= PNG_MARGIN + 3
    assert image.width() - PNG_MARGIN - 4 <= ink.right() < image.width() - PNG_MARGIN
    assert image.height() - PNG_MARGIN - 4 <= ink.bottom() < image.height() - PNG_MARGIN
    assert image.pixelColor(0, 0) == QColor("white")
    # drawn 290 x 70 pixels on screen, rendered twice as large for print
    assert abs(image.width() - (290 * 2 + 2 * PNG_MARGIN)) <= 6


def test_a_signature_wider_than_the_png_is_scaled_down_keeping_its_shape(qtbot) -> None:
    pad = shown(qtbot, SignaturePad())
    pad.resize(900, 200)
    points = [(10, 100), (300, 60), (600, 120), (890, 80)]
    draw(pad, points)
    image = decoded(pad.to_png())
    assert image.width() == MAX_PNG_SIZE.width()
    drawn = stroke_path([(float(x), float(y)) for x, y in points]).boundingRect()
    ink = ink_box(image)
    assert ink.width() / ink.height() == pytest.approx(
        (drawn.width() + 2.5) / (drawn.height() + 2.5), rel=0.1
    )


def test_the_same_strokes_give_the_same_bytes_wherever_they_are_drawn(qtbot) -> None:
    pads = [shown(qtbot, SignaturePad()) for _ in range(3)]
    for stroke in (LOOP, BAR):
        draw(pads[0], stroke)
        draw(pads[1], stroke)
        draw(pads[2], [(x + 7, y - 20) for x, y in stroke])
    assert pads[0].to_png() == pads[1].to_png() == pads[2].to_png()
    pads[1].undo_stroke()
    draw(pads[1], [(x, y + 5) for x, y in BAR])
    assert pads[1].to_png() != pads[0].to_png()


def test_undo_takes_back_the_last_stroke_and_clear_everything(qtbot, pad: SignaturePad) -> None:
    draw(pad, LOOP)
    draw(pad, BAR)
    with qtbot.waitSignal(pad.changed, timeout=100):
        pad.undo_stroke()
    assert pad.strokes() == [[(float(x), float(y)) for x, y in LOOP]]
    draw(pad, BAR)
    with qtbot.waitSignal(pad.changed, timeout=100):
        pad.clear()
    assert pad.is_empty()
    assert pad.strokes() == []
    pad.undo_stroke()  # nothing to undo: nothing happens
    assert pad.is_empty()


def test_an_empty_pad_has_no_png_to_sign_with(pad: SignaturePad) -> None:
    with pytest.raises(EmptySignature) as raised:
        pad.to_png()
    assert "Draw it" in str(raised.value)
    draw(pad, LOOP)
    pad.clear()
    with pytest.raises(EmptySignature):
        pad.to_png()


def test_a_click_leaves_a_dot(pad: SignaturePad) -> None:
    QTest.mouseClick(pad, LEFT, NO_KEYS, QPoint(100, 100))
    assert pad.strokes() == [[(100.0, 100.0)]]
    assert not ink_box(decoded(pad.to_png())).isEmpty()


def test_the_right_button_and_a_hovering_mouse_leave_no_ink(pad: SignaturePad) -> None:
    QTest.mouseMove(pad, QPoint(50, 50))
    QTest.mouseMove(pad, QPoint(90, 80))
    QTest.mouseClick(pad, Qt.MouseButton.RightButton, NO_KEYS, QPoint(60, 60))
    assert pad.is_empty()


def test_ink_stays_on_the_pad_when_the_mouse_leaves_it(pad: SignaturePad) -> None:
    draw(pad, [(100, 100), (pad.width() + 80, -40)])
    assert pad.strokes() == [[(100.0, 100.0), (float(pad.width()), 0.0)]]


def test_strokes_are_smooth_curves_through_the_points() -> None:
    points = [(0.0, 0.0), (10.0, 10.0), (20.0, 0.0), (30.0, 10.0)]
    path = stroke_path(points)
    kinds = {path.elementAt(i).type for i in range(path.elementCount())}
    assert QPainterPath.ElementType.CurveToElement in kinds
    first, last = path.elementAt(0), path.elementAt(path.elementCount() - 1)
    assert (first.x, first.y) == points[0]
    assert (last.x, last.y) == points[-1]


def test_a_finger_on_a_touch_screen_draws(pad: SignaturePad) -> None:
    screen = QTest.createTouchDevice()
    QTest.touchEvent(pad, screen).press(0, QPoint(40, 40)).commit()
    QTest.touchEvent(pad, screen).move(0, QPoint(80, 70)).commit()
    QTest.touchEvent(pad, screen).move(0, QPoint(120, 50)).commit()
    QTest.touchEvent(pad, screen).release(0, QPoint(160, 80)).commit()
    [stroke] = pad.strokes()
    assert len(stroke) == 4
    # the offscreen window's frame may shift positions a little; the shape is what counts
    assert stroke[-1][0] - stroke[0][0] == pytest.approx(120)
    assert stroke[1][1] - stroke[0][1] == pytest.approx(30)


def test_a_pen_draws_only_while_it_touches(pad: SignaturePad) -> None:
    pen = QPointingDevice(
        "test pen",
        7,
        QInputDevice.DeviceType.Stylus,
        QPointingDevice.PointerType.Pen,
        QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
        1,
        2,
    )

    def send(kind: QEvent.Type, x: float, y: float, button: Qt.MouseButton) -> None:
        held = Qt.MouseButton.NoButton if kind == QEvent.Type.TabletRelease else button
        position = QPointF(x, y)
        event = QTabletEvent(
            kind, pen, position, pad.mapToGlobal(position), 0.6, 0, 0, 0.0, 0.0, 0, NO_KEYS,
            button, held,
        )  # fmt: skip
        QApplication.sendEvent(pad, event)

    send(QEvent.Type.TabletMove, 20, 20, Qt.MouseButton.NoButton)  # hovering
    send(QEvent.Type.TabletPress, 200, 100, LEFT)
    send(QEvent.Type.TabletMove, 220.5, 90.25, LEFT)
    send(QEvent.Type.TabletRelease, 240, 110, LEFT)
    send(QEvent.Type.TabletMove, 30, 30, Qt.MouseButton.NoButton)
    assert pad.strokes() == [[(200.0, 100.0), (220.5, 90.25), (240.0, 110.0)]]


def test_a_transparent_png_of_a_signature_becomes_ink_on_white(pad: SignaturePad) -> None:
    draw(pad, LOOP)
    picture = handwriting(QColor(0, 0, 0, 0), QColor("black"))
    pad.load_image(png_bytes(picture))
    assert not pad.is_empty()
    assert pad.strokes() == []  # the picture replaces the strokes
    image = decoded(pad.to_png())
    assert image.pixelColor(0, 0) == QColor("white")  # transparent is paper, not black
    ink = ink_box(image)
    assert ink.left() - PNG_MARGIN <= 3
    assert image.width() - ink.right() - PNG_MARGIN <= 4
    # the ink is 406 x 126 pixels in the picture: trimmed to it, not scaled up
    assert abs(image.width() - (406 + 2 * PNG_MARGIN)) <= 4


def test_a_grey_photo_of_paper_becomes_white_and_large_photos_fit(pad: SignaturePad) -> None:
    photo = handwriting(QColor(185, 180, 170), QColor(50, 50, 80), size=(3000, 1600))
    pad.load_image(png_bytes(photo.convertToFormat(QImage.Format.Format_RGB32), "JPEG"))
    image = decoded(pad.to_png())
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    assert grey.pixelColor(2, 2).value() == 255
    assert grey.pixelColor(image.width() - 3, image.height() - 3).value() == 255
    assert not ink_box(image, darker_than=80).isEmpty()


def test_while_a_picture_is_shown_the_pad_takes_no_ink(qtbot, pad: SignaturePad) -> None:
    pad.load_image(png_bytes(handwriting(QColor("white"), QColor("black"))))
    picture = pad.to_png()
    draw(pad, LOOP)
    assert pad.to_png() == picture
    with qtbot.waitSignal(pad.changed, timeout=100):
        pad.undo_stroke()
    assert pad.is_empty()
    draw(pad, LOOP)
    assert len(pad.strokes()) == 1


NOT_SIGNATURES = {
    "empty": lambda: b"",
    "text": lambda: b"not a picture at all",
    "pdf": lambda: b"%PDF-1.4\n" + b"0" * 200,
    "blank sheet": lambda: png_bytes(handwriting(QColor("white"), QColor("white"))),
    "no visible ink": lambda: png_bytes(handwriting(QColor(200, 200, 200), QColor(190, 190, 190))),
    "one speck": lambda: png_bytes(speck()),
}


def speck() -> QImage:
    image = QImage(300, 100, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    image.setPixelColor(150, 50, QColor("black"))
    return image


@pytest.mark.parametrize("kind", NOT_SIGNATURES)
def test_what_is_not_a_signature_picture_is_refused_and_changes_nothing(
    pad: SignaturePad, kind: str
) -> None:
    data = NOT_SIGNATURES[kind]()
    draw(pad, LOOP)
    with pytest.raises(UserError) as raised:
        pad.load_image(data)
    assert isinstance(raised.value, UnreadablePicture)
    assert raised.value.code == "unreadable_signature_picture"
    assert "Choose a PNG or JPEG photo or scan of the signature." in str(raised.value)
    assert len(pad.strokes()) == 1


# Qt logs what it finds wrong in the file; the test is about what the pad does then.
@pytest.mark.qt_log_ignore("Corrupt JPEG data", "JPEG datastream contains no image")
def test_a_damaged_picture_is_refused(pad: SignaturePad) -> None:
    whole = png_bytes(handwriting(QColor("white"), QColor("black")), "JPEG")
    for damaged in (whole[:40], b"\x89PNG\r\n\x1a\n" + b"x" * 100):
        with pytest.raises(UnreadablePicture):
            pad.load_image(damaged)
    assert pad.is_empty()


def test_the_buttons_are_offered_only_when_they_do_something(
    qtbot, editor: SignatureEditor
) -> None:
    assert not editor.clear_button.isEnabled()
    assert not editor.undo_button.isEnabled()
    assert editor.import_button.isEnabled()
    draw(editor.pad, LOOP)
    draw(editor.pad, BAR)
    assert editor.clear_button.isEnabled()
    assert editor.undo_button.isEnabled()
    with qtbot.waitSignal(editor.changed, timeout=100):
        qtbot.mouseClick(editor.undo_button, LEFT)
    assert len(editor.pad.strokes()) == 1
    qtbot.mouseClick(editor.undo_button, LEFT)
    assert editor.pad.is_empty()
    assert not editor.undo_button.isEnabled()
    draw(editor.pad, BAR)
    qtbot.mouseClick(editor.clear_button, LEFT)
    assert editor.pad.is_empty()
    assert not editor.clear_button.isEnabled()


def test_a_picture_file_is_imported_by_path(editor: SignatureEditor, tmp_path: Path) -> None:
    path = tmp_path / "signature.jpg"
    handwriting(QColor("white"), QColor("navy")).save(str(path), "JPEG")
    editor.import_picture(path)
    assert not editor.pad.is_empty()
    assert editor.clear_button.isEnabled()
    (tmp_path / "notes.png").write_text("not a picture")
    for bad in (tmp_path / "notes.png", tmp_path / "missing.png", tmp_path):
        with pytest.raises(UnreadablePicture):
            editor.import_picture(bad)
    assert not editor.pad.is_empty()  # the picture imported before is still there


def test_the_pad_is_reached_and_undone_from_the_keyboard(editor: SignatureEditor) -> None:
    assert editor.pad.focusPolicy() == Qt.FocusPolicy.StrongFocus
    draw(editor.pad, LOOP)
    draw(editor.pad, BAR)
    editor.pad.setFocus()
    QTest.keyClick(editor.pad, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(editor.pad.strokes()) == 1


def test_screen_readers_hear_what_the_pad_is_and_holds(editor: SignatureEditor) -> None:
    pad = editor.pad
    assert pad.accessibleName() == "Signature pad"
    assert "a pen or a finger" in pad.accessibleDescription()
    assert "Nothing drawn yet." in pad.accessibleDescription()
    draw(pad, LOOP)
    draw(pad, BAR)
    assert "2 strokes drawn." in pad.accessibleDescription()
    pad.undo_stroke()
    assert "1 stroke drawn." in pad.accessibleDescription()


def test_retranslate_ui_sets_every_text_again(editor: SignatureEditor) -> None:
    # The catalogs do not have these texts yet: this checks the texts are set again, not how.
    set_language("fr")
    editor.retranslate_ui()
    for text in (
        editor.clear_button.text(),
        editor.undo_button.text(),
        editor.import_button.text(),
        editor.pad.accessibleName(),
        editor.pad.accessibleDescription(),
    ):
        assert text.strip()


def hint_side(pad: SignaturePad) -> str:
    """Where the dark text of the hint is painted: "left" or "right" of the empty pad."""
    image = pad.grab().toImage()
    inner = QRect(8, 8, image.width() - 16, int(image.height() * 0.7))
    box = ink_box(image.copy(inner), darker_than=150)
    assert not box.isEmpty(), "the hint should be painted on an empty pad"
    return "left" if box.right() < inner.width() / 2 else "right"


def test_the_hint_starts_where_the_language_reads_from(pad: SignaturePad) -> None:
    assert hint_side(pad) == "left"
    pad.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    assert hint_side(pad) == "right"
    draw(pad, [(40, 120), (60, 130)])  # away from the hint's place: once signed, no more hint
    image = pad.grab().toImage()
    right_part = QRect(100, 8, image.width() - 116, int(image.height() * 0.7))
    assert ink_box(image.copy(right_part), darker_than=150).isEmpty()

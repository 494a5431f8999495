"""The signature as a picture: strokes rendered, or a photo or scan cleaned, to one small PNG.

Dark ink on white, trimmed to the ink, at most 600 x 200 pixels: the submission names it by its
SHA-256 and the signed PDF prints it. Rendered from points, not from the screen, so the same
strokes always give the same bytes whatever the screen's pixel ratio. Qt's image classes only, no
widget: the signing screen's pad and `hrcities sign --signature` share every rule here (the
formats read, the size limit, the cleaning).
"""

from __future__ import annotations

import itertools
import math

from PySide6.QtCore import QBuffer, QIODevice, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen

from i18n.errors import UserError
from i18n.translate import N_
from schemas.limits import SIGNATURE_PICTURE_MAX_BYTES

Point = tuple[float, float]

PEN_WIDTH = 2.5  # logical pixels: Qt draws it with devicePixelRatio times as many device pixels
INK_LEVEL = 20  # the grey of the ink, on screen and in the PNG (near black prints well)
PAPER = QColor(255, 255, 255)
BASELINE = QColor(200, 200, 200)
HINT = QColor(107, 107, 107)  # at least 4.5:1 against white, like any text
MAX_PNG_SIZE = QSize(600, 200)
PNG_MARGIN = 8  # white pixels around the ink in the PNG
MAX_UPSCALE = 2.0  # a signature drawn small is rendered at most twice its size on screen
MIN_POINT_DISTANCE = 0.5  # closer points add nothing but weight (pens report very often)
PICTURE_FORMATS = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
MAX_PICTURE_BYTES = SIGNATURE_PICTURE_MAX_BYTES
WORKING_SIDE = 1600  # photos are reduced to this before cleaning: plenty for a 600 px result
MIN_CONTRAST = 60  # grey levels between paper and ink below which a picture shows no ink
INK_SHARE = 0.0005  # the darkest pixels ignored as noise when finding the ink's grey


class UnreadablePicture(UserError):
    """A file offered as the signature is not a picture, or shows no signature."""

    code = "unreadable_signature_picture"

    def __init__(self) -> None:
        super().__init__(
            N_(
                "This picture could not be read. "
                "Choose a PNG or JPEG photo or scan of the signature."
            )
        )


class EmptySignature(UserError):
    """The pad holds nothing; the signing screen does not offer to sign then."""

    code = "empty_signature"

    def __init__(self) -> None:
        super().__init__(N_("There is no signature yet. Draw it in the box or import a picture."))


def stroke_path(points: list[Point]) -> QPainterPath:
    """A smooth line through the points: quadratic curves from midpoint to midpoint."""
    path = QPainterPath(QPointF(*points[0]))
    if len(points) == 1:  # a dot: a line too short to see, so the round caps draw it
        path.lineTo(QPointF(points[0][0] + 0.01, points[0][1]))
        return path
    for (x0, y0), (x1, y1) in itertools.pairwise(points[1:]):
        path.quadTo(QPointF(x0, y0), QPointF((x0 + x1) / 2, (y0 + y1) / 2))
    path.lineTo(QPointF(*points[-1]))
    return path


def ink_pen(width: float = PEN_WIDTH) -> QPen:
    """The pen of the signature: round ends and joins, as a real pen leaves."""
    pen = QPen(QColor(INK_LEVEL, INK_LEVEL, INK_LEVEL), width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def encode_png(image: QImage) -> bytes:
    """PNG bytes of an image (Qt writes no date or text chunk: same image, same bytes)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def on_paper(image: QImage) -> QImage:
    """The image centred on white within the PNG's margin, as a greyscale picture."""
    canvas = QImage(
        image.width() + 2 * PNG_MARGIN, image.height() + 2 * PNG_MARGIN, QImage.Format.Format_RGB32
    )
    canvas.fill(PAPER)
    painter = QPainter(canvas)
    painter.drawImage(PNG_MARGIN, PNG_MARGIN, image)
    painter.end()
    return canvas.convertToFormat(QImage.Format.Format_Grayscale8)


def render_strokes(strokes: list[list[Point]]) -> QImage:
    """The strokes alone, trimmed to their ink and scaled to fit the PNG's size."""
    paths = [stroke_path(stroke) for stroke in strokes]
    boxes = [path.boundingRect() for path in paths]  # the curves' own extent, not their points
    half = PEN_WIDTH / 2
    left, top = min(b.left() for b in boxes) - half, min(b.top() for b in boxes) - half
    width = max(b.right() for b in boxes) + half - left
    height = max(b.bottom() for b in boxes) + half - top
    scale = min(
        MAX_UPSCALE,
        (MAX_PNG_SIZE.width() - 2 * PNG_MARGIN) / width,
        (MAX_PNG_SIZE.height() - 2 * PNG_MARGIN) / height,
    )
    image = QImage(
        max(1, math.ceil(width * scale)),
        max(1, math.ceil(height * scale)),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.fill(PAPER)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(scale, scale)
    painter.translate(-left, -top)
    painter.setPen(ink_pen())
    for path in paths:
        painter.drawPath(path)
    painter.end()
    return image


def _grey_levels(image: QImage) -> bytes:
    """The pixels of a greyscale image, row after row, without Qt's line padding."""
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    raw = bytes(image.constBits())
    return b"".join(raw[row * stride : row * stride + width] for row in range(height))


def clean_picture(image: QImage) -> QImage:
    """A photo or scan of a signature as dark ink on white, trimmed to the ink.

    The paper is the picture's most common grey (its median), the ink its darkest greys (a few
    stray pixels aside); greys are stretched between them so grey paper becomes white and faded
    ink dark. A picture with no clear difference between the two holds no signature.
    """
    if max(image.width(), image.height()) > WORKING_SIDE:
        image = image.scaled(
            WORKING_SIDE,
            WORKING_SIDE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    flat = QImage(image.size(), QImage.Format.Format_RGB32)
    flat.fill(PAPER)  # transparent parts of a PNG are paper, not black
    painter = QPainter(flat)
    painter.drawImage(0, 0, image)
    painter.end()
    grey = flat.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height = grey.width(), grey.height()
    pixels = _grey_levels(grey)
    counts = [pixels.count(level) for level in range(256)]
    cumulative, paper, ink = 0, 255, None
    for level, count in enumerate(counts):
        cumulative += count
        if ink is None and cumulative > max(10, len(pixels) * INK_SHARE):
            ink = level
        if cumulative * 2 >= len(pixels):
            paper = level
            break
    contrast = paper - (ink if ink is not None else paper)
    if ink is None or contrast < MIN_CONTRAST:
        raise UnreadablePicture
    white, black = paper - contrast * 0.3, ink + contrast * 0.3
    levels = bytes(
        255
        if level >= white
        else INK_LEVEL
        if level <= black
        else round(INK_LEVEL + (255 - INK_LEVEL) * (level - black) / (white - black))
        for level in range(256)
    )
    cleaned = pixels.translate(levels)
    mask = cleaned.translate(bytes(1 if level < 128 else 0 for level in range(256)))
    rows = [row for row in range(height) if 1 in mask[row * width : (row + 1) * width]]
    if not rows:
        raise UnreadablePicture
    lefts = [mask.find(1, row * width, (row + 1) * width) - row * width for row in rows]
    rights = [mask.rfind(1, row * width, (row + 1) * width) - row * width for row in rows]
    ink_box = QRect(min(lefts), rows[0], max(rights) - min(lefts) + 1, rows[-1] - rows[0] + 1)
    result = QImage(cleaned, width, height, width, QImage.Format.Format_Grayscale8).copy(ink_box)
    room = QSize(MAX_PNG_SIZE.width() - 2 * PNG_MARGIN, MAX_PNG_SIZE.height() - 2 * PNG_MARGIN)
    if result.width() > room.width() or result.height() > room.height():
        result = result.scaled(
            room, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    return on_paper(result)


def picture_png(data: bytes) -> bytes:
    """The PNG of a photo or scan of a signature (PNG or JPEG bytes), cleaned as the pad cleans
    it; raises UnreadablePicture for anything else, anything over MAX_PICTURE_BYTES, or a
    picture with no visible ink."""
    return encode_png(read_picture(data))


def read_picture(data: bytes) -> QImage:
    """A photo or scan of a signature, read and cleaned (see `picture_png`)."""
    kind = next((kind for magic, kind in PICTURE_FORMATS.items() if data.startswith(magic)), "")
    image = QImage()
    if not kind or len(data) > MAX_PICTURE_BYTES or not image.loadFromData(data, kind):
        raise UnreadablePicture
    return clean_picture(image)

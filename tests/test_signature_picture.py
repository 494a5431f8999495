"""The signature as a picture (desktop.signing.signature_picture): one rule for window and CLI."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from desktop.signing.signature_picture import (
    MAX_PICTURE_BYTES,
    MAX_PNG_SIZE,
    UnreadablePicture,
    picture_png,
)
from tests.factories import scanned_signature_png, tiny_png

pytestmark = pytest.mark.gui


def test_a_scan_becomes_dark_ink_on_white_trimmed_to_the_ink(qapp) -> None:
    png = picture_png(scanned_signature_png())
    image = QImage.fromData(png, "PNG")
    assert not image.isNull()
    assert image.width() <= MAX_PNG_SIZE.width()
    assert image.height() < 40, "trimmed to the stroke and its margin"
    assert image.pixelColor(0, 0).lightness() == 255, "grey paper turned white"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"GIF89a not ours",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,  # a damaged PNG
        b"\xff\xd8\xff" + b"\x00" * (MAX_PICTURE_BYTES),  # too large, whatever it holds
    ],
)
def test_what_is_no_signature_picture_is_refused(qapp, data: bytes) -> None:
    with pytest.raises(UnreadablePicture):
        picture_png(data)


def test_a_picture_without_ink_is_refused(qapp) -> None:
    with pytest.raises(UnreadablePicture):
        picture_png(tiny_png())  # two pixels: no paper and ink to tell apart

"""Remake docs/screenshots/: the app as a person sees it, on a sample draft.

Run with `make screenshots` (under Xvfb when there is no display, else offscreen). The pictures
are grabbed from the real window: home, each section of the form, and the summary.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.app import close_window, make_application, open_window  # noqa: E402
from desktop.signing.signing_dialog import SigningDialog  # noqa: E402
from sync import office_key  # noqa: E402
from tests.factories import complete_answers  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SCREENSHOT_PASSPHRASE = "only for the screenshots, never a real key"
SIZE = (1366, 768)
# Other languages: the views that show the most text, named <language>-<view>.png.
OTHER_LANGUAGES = ("ar", "id")
OTHER_VIEWS = ("home", "section-1-information", "section-3-areas_of_focus", "section-6-statement")


def settle(app: QApplication) -> None:
    """Let layouts and deferred refreshes finish before grabbing."""
    for _ in range(5):
        app.processEvents()


def grab_views(app: QApplication, window, draft_id: str, prefix: str, only=None) -> None:
    """Grab the home view, each section and the summary (or only the views named)."""

    def grab(name: str) -> None:
        if only is None or name in only:
            settle(app)
            window.grab().save(str(OUT / f"{prefix}{name}.png"))

    window.show_home()
    grab("home")
    window.open_draft(draft_id)
    for index, section in enumerate(window.session.form.sections):
        window.form_view.go_to_page(index)
        for row in window.form_view.section_pages[index].all_rows():
            row.mark_touched()
        grab(f"section-{index + 1}-{section.id}")
    window.form_view.go_to_summary()
    grab("summary")


def draw(pad, points: list[tuple[int, int]]) -> None:
    """One pen stroke on the signature pad, as the mouse would draw it."""
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(*points[0]))
    for point in points[1:]:
        QTest.mouseMove(pad, QPoint(*point))
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(*points[-1]))


def grab_signing(app: QApplication, window, data: Path) -> None:
    """The signing screen with a drawn signature, then the signed draft."""
    key_file = office_key.create_key(
        "Kantor Bupati Jember", SCREENSHOT_PASSPHRASE, kdf=office_key.FLOOR_KDF
    )[1]
    office_key.save_key_file(data, key_file)
    draft = window.store.create(complete_answers())
    window.open_draft(draft.id)
    dialog = SigningDialog(window.session, data, window)
    dialog.show()
    settle(app)
    pad = dialog.signature.pad
    loops = [
        (60 + 40 * i + dx, 90 + dy) for i in range(5) for dx, dy in ((0, 25), (14, -30), (28, 25))
    ]
    draw(pad, loops)
    draw(pad, [(50, 135), (180, 130), (300, 128)])
    dialog.passphrase.setText(SCREENSHOT_PASSPHRASE)
    settle(app)
    dialog.grab().save(str(OUT / "signing.png"))
    dialog.sign()
    deadline = time.monotonic() + 30
    while dialog.submission is None and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    dialog.close()
    window.open_draft(draft.id)
    settle(app)
    window.grab().save(str(OUT / "signed-draft.png"))


def main() -> None:
    """Fill a sample draft, then grab every view, in English and in the other languages."""
    app = make_application()
    data = Path(tempfile.mkdtemp(prefix="hrcities-shots-"))
    window = open_window(data)
    window.choose_language("en")
    store = window.store
    half = complete_answers()
    for key in ("motivations", "signer_name", "signer_position", "statement_date", "mandate"):
        half.pop(key)
    half["focal_point_email"] = "ham@jember"
    half["vision"] = (
        "Bagi Kabupaten Jember, hak asasi manusia adalah dasar dari pelayanan publik: air bersih, "
        "sekolah, layanan kesehatan dan perlindungan bagi kelompok rentan.\n\n"
        "Pemerintah daerah adalah tingkat pemerintahan yang paling dekat dengan warga."
    )
    half["local_actions"][0]["description"] = (
        "Peraturan Daerah tentang Kabupaten Ramah Hak Asasi Manusia (2023): setiap dinas "
        "menyusun rencana aksi HAM tahunan dan melaporkannya kepada DPRD."
    )
    half["local_actions"][1]["description"] = (
        "Layanan pengaduan warga di setiap kecamatan, terbuka bagi penyandang disabilitas."
    )
    half["local_actions"][0]["documents"] = [
        store.add_attachment_bytes(b"%PDF-1.4\n" + b"0" * 180_000, "Perda-HAM-Jember-2023.pdf")
    ]
    store.create({**complete_answers(), "lrg_name": "Kota Surabaya", "country": "ID"})
    store.create(
        {"lrg_name": "Commune de Grigny", "country": "FR", "lrg_type": "city_municipality"}
    )
    store.create({"lrg_name": "Municipio de Quito", "country": "EC", "inhabitants": 2_800_000})
    draft = store.create(half)
    window.resize(*SIZE)
    window.show()
    grab_views(app, window, draft.id, "")
    for code in OTHER_LANGUAGES:
        window.choose_language(code)
        grab_views(app, window, draft.id, f"{code}-", OTHER_VIEWS)
    window.choose_language("en")
    grab_signing(app, window, data)
    window.close()
    close_window(window)
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()

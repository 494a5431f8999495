"""The main window's own actions (desktop.window.main_window): rescuing a draft the disk
refused, and exporting the signed PDF. The form itself is in test_form_window.py."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.cli.main import main
from desktop.core.signing import sign_draft
from desktop.core.store.drafts import DraftsStore
from desktop.form.pdf_export import form_pdf
from sync.signed_pdf import verify_signed_pdf
from tests.dialogs import answer_next_dialog, choose_file, press_labelled
from tests.factories import complete_answers, tiny_png
from tests.keyboard import type_text

TEXT = "La dignité pour toutes et tous, dans chaque quartier de Grigny."


def test_save_a_copy_from_the_failed_save_question_writes_a_file_hrcities_imports(
    launch, qtbot, tmp_path: Path
) -> None:
    window = launch()
    window.new_draft()
    window.store.db.execute("PRAGMA query_only = ON")  # the disk refuses every write
    window.form_view.go_to_field("vision")
    type_text(window.form_view.section_pages[1].rows["vision"].editor.focus_widget(), TEXT)
    qtbot.waitUntil(lambda: "could not be saved" in window.save_status.text(), timeout=10_000)
    copy = tmp_path / "usb-stick" / "grigny.json"
    copy.parent.mkdir()

    with (
        answer_next_dialog(qtbot, QMessageBox, press_labelled("Save a copy…")) as asked,
        answer_next_dialog(qtbot, QFileDialog, choose_file(qtbot, copy)) as saving,
    ):
        window.close()

    assert "could not be saved" in asked.text
    assert saving.title == "Save a copy"
    assert window.isVisible(), "after saving a copy the window stays, with the text"
    assert json.loads(copy.read_text(encoding="utf-8")) == {"vision": TEXT}
    elsewhere = tmp_path / "other-computer"
    assert main(["--data-dir", str(elsewhere), "drafts", "import", str(copy)]) == 0
    imported = DraftsStore.open(elsewhere)
    try:
        (draft,) = imported.list()
        assert imported.get(draft.id).answers == {"vision": TEXT}
    finally:
        imported.close()
    window.store.db.execute("PRAGMA query_only = OFF")  # the disk is back: closing saves


def test_the_signed_pdf_is_exported_where_the_person_chooses_and_verifies(
    launch, qtbot, office, tmp_path: Path
) -> None:
    data_dir, key = office
    window = launch(data_dir)
    draft = window.store.create(complete_answers())
    submission = sign_draft(window.store, draft.id, key, tiny_png(), make_pdf=form_pdf)
    window.open_draft(draft.id)
    assert window.form_view.submission == submission
    target = tmp_path / "usb-stick" / "Kabupaten Jember, signed.pdf"
    target.parent.mkdir()

    with answer_next_dialog(qtbot, QFileDialog, choose_file(qtbot, target)) as saving:
        window.form_view.export_pdf_button.click()

    assert saving.title == "Export the signed PDF"
    data = target.read_bytes()
    assert data == window.store.attachment_bytes(submission.signed_pdf)
    checked = verify_signed_pdf(data)
    assert checked.ok, [c.code for c in checked.checks if not c.ok]
    assert checked.signer_kid == key.kid
    assert f"PDF written to {target}" in window.statusBar().currentMessage()


def test_the_drafts_list_follows_a_save_made_in_another_thread(launch, qtbot) -> None:
    window = launch()
    draft = window.store.create()
    qtbot.waitUntil(lambda: window.home.proxy.rowCount() == 1, timeout=5_000)
    reloads = []
    window.home.model.modelReset.connect(lambda: reloads.append(1))

    def names() -> list[str]:
        home = window.home.proxy
        return [home.index(row, 0).data() for row in range(home.rowCount())]

    def save_in_a_worker() -> None:
        for n in range(10):
            window.store.save(draft.id, {"lrg_name": f"Grigny {n}"})
        window.store.save(draft.id, {"lrg_name": "Kabupaten Jember"})

    worker = threading.Thread(target=save_in_a_worker)
    worker.start()
    worker.join(10)
    assert "Kabupaten Jember" not in names(), "nothing is shown before the GUI thread runs"
    qtbot.waitUntil(lambda: names() == ["Kabupaten Jember"], timeout=5_000)
    assert 1 <= len(reloads) < 11, "the events of the moment make one reload, not one each"

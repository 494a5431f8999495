"""The window, driven through its widgets on the offscreen platform as a person would use it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.app import close_window
from desktop.form.field_row import FieldRow
from desktop.form.versions_dialog import VersionsDialog
from desktop.window.main_window import MainWindow
from tests.dialogs import answer_next_dialog, press
from tests.factories import words
from tests.keyboard import type_text

pytestmark = pytest.mark.gui
PDF = b"%PDF-1.4\n%test\n" + b"0" * 2000


def row(window: MainWindow, field_id: str) -> FieldRow:
    for page in window.form_view.section_pages:
        if field_id in page.rows:
            return page.rows[field_id]
    raise KeyError(field_id)


def type_into(qtbot, window: MainWindow, field_id: str, text: str) -> None:
    """Go to a question and type, once it is enabled (as it is on screen after a choice)."""
    target = row(window, field_id)
    qtbot.waitUntil(target.isEnabled, timeout=1000)
    window.form_view.go_to_field(field_id)
    type_text(target.editor.focus_widget(), text)


def click(qtbot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))


def set_year(qtbot, box, year: int) -> None:
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, str(year))


def fill_whole_form(qtbot, window: MainWindow, attachment: Path) -> dict[str, Any]:
    """Fill every question through the widgets; return the answers a person would expect."""
    country = row(window, "country").editor.combo
    window.form_view.go_to_field("country")
    qtbot.keyClicks(country.lineEdit(), "indon")  # type part of the name, pick from the list
    popup = country.completer().popup()
    assert popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    type_into(qtbot, window, "lrg_name", "Kabupaten Jember")
    click(qtbot, row(window, "lrg_type").editor.buttons["other"])
    type_into(qtbot, window, "lrg_type_other", "Kabupaten")
    type_into(qtbot, window, "inhabitants", "2.536.729")
    type_into(qtbot, window, "head_name", "Hendy Siswanto")
    type_into(qtbot, window, "head_title", "Bupati")
    mandate = row(window, "mandate").editor
    set_year(qtbot, mandate.start, 2021)
    set_year(qtbot, mandate.end, 2026)
    type_into(qtbot, window, "focal_point_name", "Siti Rahmawati")
    type_into(qtbot, window, "focal_point_email", "ham@jemberkab.go.id")
    type_into(qtbot, window, "focal_point_phone", "+62 331 487 000")
    vision = "Hak asasi manusia adalah dasar pelayanan publik kami. " * 4
    type_into(qtbot, window, "vision", vision)
    window.form_view.go_to_field("areas_of_focus")
    areas = row(window, "areas_of_focus").editor.buttons
    for option in ("housing", "women", "others"):
        click(qtbot, areas[option])
    type_into(qtbot, window, "areas_of_focus_other", "Hak atas tanah")
    motivations = words(105, "motivasi")
    type_into(qtbot, window, "motivations", motivations)
    examples = row(window, "local_actions").editor
    window.form_view.go_to_field("local_actions")
    click(qtbot, examples.add_button)
    card = examples.cards[0]
    qtbot.keyClicks(card.rows["description"].editor.text, "Perda HAM Jember 2023")
    qtbot.keyClicks(card.rows["links"].editor.text, "https://jemberkab.go.id/ham")
    card.rows["documents"].editor.add_files([attachment])
    window.form_view.go_to_page(5)  # the statement: the territory's name is filled in for us
    type_into(qtbot, window, "signer_name", "Hendy Siswanto")
    type_into(qtbot, window, "signer_position", "Bupati Jember")
    click(qtbot, row(window, "statement_date").editor.today)
    document = card.rows["documents"].editor.refs[0]
    return {
        "country": "ID",
        "lrg_name": "Kabupaten Jember",
        "lrg_type": "other",
        "lrg_type_other": "Kabupaten",
        "inhabitants": 2536729,
        "head_name": "Hendy Siswanto",
        "head_title": "Bupati",
        "mandate": {"start": 2021, "end": 2026},
        "focal_point_name": "Siti Rahmawati",
        "focal_point_email": "ham@jemberkab.go.id",
        "focal_point_phone": "+62 331 487 000",
        "vision": vision,
        "areas_of_focus": ["housing", "women", "others"],
        "areas_of_focus_other": "Hak atas tanah",
        "motivations": motivations,
        "local_actions": [
            {
                "description": "Perda HAM Jember 2023",
                "links": ["https://jemberkab.go.id/ham"],
                "documents": [document],
            }
        ],
        "signer_name": "Hendy Siswanto",
        "signer_position": "Bupati Jember",
        "territory_name": "Kabupaten Jember",
    }


def test_fill_the_whole_form_close_reopen_and_find_every_answer(
    launch, qtbot, tmp_path: Path
) -> None:
    charter = tmp_path / "perda-ham.pdf"
    charter.write_bytes(PDF)
    window = launch()
    window.new_draft()
    expected = fill_whole_form(qtbot, window, charter)
    answers = dict(window.session.answers)
    date = answers.pop("statement_date")
    assert answers == expected
    assert window.session.report.can_sign, window.session.report.findings
    window.form_view.go_to_summary()
    assert window.form_view.summary.entries() == []
    assert "ready for signing" in window.form_view.summary.headline.text()
    assert expected["local_actions"][0]["documents"][0]["media_type"] == "application/pdf"
    window.close()
    close_window(window)

    again = launch()
    assert again.session is not None, "the app reopens the draft of last time"
    assert again.stack.currentWidget() is again.form_view
    stored = dict(again.session.answers)
    assert stored.pop("statement_date") == date
    assert stored == expected
    for field_id, value in expected.items():
        assert row(again, field_id).editor.value() == value, field_id
    assert (
        again.store.attachment_bytes(expected["local_actions"][0]["documents"][0]["sha256"]) == PDF
    )


def test_the_summary_lists_exactly_what_a_half_filled_draft_misses(launch, qtbot) -> None:
    window = launch()
    window.new_draft()
    type_into(qtbot, window, "lrg_name", "Rabat")
    type_into(qtbot, window, "inhabitants", "-5")
    type_into(qtbot, window, "vision", "La dignité pour toutes et tous.")
    window.form_view.go_to_field("areas_of_focus")
    click(qtbot, row(window, "areas_of_focus").editor.buttons["others"])
    window.form_view.go_to_summary()
    listed = [field_id for field_id, _line in window.form_view.summary.entries()]
    assert listed == [
        "country",
        "lrg_type",
        "inhabitants",
        "head_name",
        "head_title",
        "mandate",
        "focal_point_name",
        "areas_of_focus_other",
        "motivations",
        "signer_name",
        "signer_position",
        "territory_name",
        "statement_date",
    ]
    lines = [window.form_view.summary.list.item(i).text() for i in range(13)]
    assert lines[2].startswith("Wrong: Number of inhabitants")
    assert lines[0].startswith("Missing: Name of the country")
    item = window.form_view.summary.list.item(7)
    window.form_view.summary.list.itemActivated.emit(item)
    assert window.form_view.pages.currentWidget().section.id == "areas_of_focus"
    target = row(window, "areas_of_focus_other").editor.focus_widget()
    qtbot.waitUntil(target.hasFocus, timeout=2000)


def test_findings_show_once_the_person_has_left_the_question(launch, qtbot) -> None:
    window = launch()
    window.new_draft()
    window.activateWindow()
    type_into(qtbot, window, "focal_point_email", "siti@")
    email = row(window, "focal_point_email")
    qtbot.wait(10)
    assert email.message.isHidden(), "no scolding while typing"
    row(window, "focal_point_phone").editor.focus_widget().setFocus()
    qtbot.waitUntil(email.message.isVisible, timeout=2000)
    assert "not an e-mail address" in email.message.text()
    assert email.message.property("tone") == "wrong"


def test_the_word_counter_counts_like_the_limit_and_warns_past_it(launch, qtbot) -> None:
    window = launch()
    window.new_draft()
    examples = row(window, "local_actions").editor
    window.form_view.go_to_field("local_actions")
    click(qtbot, examples.add_button)
    description = examples.cards[0].rows["description"].editor
    qtbot.keyClicks(description.text, words(50))
    assert description.counter.text() == "50 words (50 at most)"
    assert description.counter.property("tone") == ""
    qtbot.keyClicks(description.text, " anak-anak")
    assert description.counter.text() == "51 words (50 at most)"
    assert description.counter.property("tone") == "wrong"
    assert description.counter.font().bold()
    motivations = row(window, "motivations").editor
    motivations.text.setPlainText("Un mot")
    assert motivations.counter.text() == "2 words (between 100 and 200)"


def test_others_enables_its_text_and_other_type_asks_which(launch, qtbot) -> None:
    window = launch()
    window.new_draft()
    other_area = row(window, "areas_of_focus_other")
    other_type = row(window, "lrg_type_other")
    window.form_view.go_to_field("areas_of_focus")
    assert not other_area.isEnabled()
    click(qtbot, row(window, "areas_of_focus").editor.buttons["others"])
    qtbot.waitUntil(other_area.isEnabled, timeout=1000)
    window.form_view.go_to_field("lrg_type")
    assert not other_type.isEnabled()
    click(qtbot, row(window, "lrg_type").editor.buttons["other"])
    qtbot.waitUntil(other_type.isEnabled, timeout=1000)


def test_typing_is_autosaved_and_the_status_bar_says_when(launch, qtbot) -> None:
    window = launch()
    window.new_draft()
    draft_id = window.session.draft_id
    type_into(qtbot, window, "lrg_name", "Quito")
    assert window.store.get(draft_id).answers == {}, "not saved on every key"
    assert window.save_status.text() == "Unsaved changes"
    qtbot.waitUntil(
        lambda: window.store.get(draft_id).answers == {"lrg_name": "Quito"}, timeout=3000
    )
    qtbot.waitUntil(lambda: window.save_status.text().startswith("Saved "), timeout=1000)


def test_every_question_has_an_accessible_name_and_takes_the_keyboard(launch) -> None:
    window = launch()
    window.new_draft()
    for page in window.form_view.section_pages:
        for field_row in page.rows.values():
            target = field_row.editor.focus_widget()
            assert field_row.editor.accessibleName() or target.accessibleName(), field_row.fdef.id
            assert target.focusPolicy() & Qt.FocusPolicy.TabFocus, field_row.fdef.id
            assert field_row.label.buddy() is target


def test_the_window_fits_a_small_laptop_screen(launch) -> None:
    window = launch()
    window.new_draft()
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366
    assert hint.height() <= 768


def test_home_lists_searches_duplicates_trashes_with_undo_and_restores(launch, qtbot) -> None:
    window = launch()
    for name, country in (("Grigny", "FR"), ("Gwangju", "KR"), ("Jember", "ID")):
        window.store.create({"lrg_name": name, "country": country})
    window.home.reload()
    home = window.home
    assert home.proxy.rowCount() == 3
    qtbot.keyClicks(home.search, "korea")
    assert home.proxy.rowCount() == 1
    assert home.proxy.index(0, 0).data() == "Gwangju"
    home.search.clear()
    home.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert [home.proxy.index(r, 0).data() for r in range(3)] == ["Grigny", "Gwangju", "Jember"]
    home.table.selectRow(0)
    click(qtbot, home.duplicate_button)
    assert home.proxy.rowCount() == 4
    home.table.selectRow(2)
    trashed = home.current_id()
    click(qtbot, home.delete_button)
    assert home.proxy.rowCount() == 3
    assert window.undo_button.isVisible()
    click(qtbot, window.undo_button)
    assert home.proxy.rowCount() == 4
    home.reload(select=trashed)
    click(qtbot, home.delete_button)
    home.show_trash.setChecked(True)
    assert home.proxy.rowCount() == 1
    assert home.restore_button.isVisible()
    home.table.selectRow(0)
    click(qtbot, home.restore_button)
    home.show_trash.setChecked(False)
    assert home.proxy.rowCount() == 4


def test_versions_restore_an_earlier_autosave(launch, qtbot) -> None:
    window = launch()
    window.new_draft()
    draft_id = window.session.draft_id
    for text in ("First words", "Second words", "Third words"):
        window.session.set_answer("vision", text)
        window.autosave.flush()

    def choose_oldest_text(dialog: VersionsDialog) -> str:
        dialog.list.setCurrentRow(2)  # newest first: Third, Second, First
        preview = dialog.preview.toPlainText()
        dialog.restore_button.click()
        return preview

    with answer_next_dialog(qtbot, VersionsDialog, choose_oldest_text) as chosen:
        window.show_versions()
    assert "First words" in chosen.value
    assert window.session.answers["vision"] == "First words"
    assert row(window, "vision").editor.value() == "First words"
    assert window.store.get(draft_id).answers["vision"] == "First words"
    assert window.store.revision_answers(window.store.revisions(draft_id)[1].id)["vision"] == (
        "Third words"
    ), "the state before restoring is kept"


def test_export_pdf_writes_the_filled_form(launch, qtbot, tmp_path: Path) -> None:
    window = launch()
    window.new_draft()
    window.session.set_answer("lrg_name", "Kabupaten Jember")
    window.session.set_answer("vision", words(700, "visi"))
    target = tmp_path / "jember.pdf"
    window.write_pdf(target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") >= 2
    assert not list(tmp_path.glob("*.partial"))


def test_the_window_remembers_its_size(launch, tmp_path: Path) -> None:
    window = launch()
    window.resize(700, 520)  # the offscreen screen is 800x600: restoring clamps to it
    window.move(40, 30)
    window.close()
    close_window(window)
    again = launch()
    assert (again.width(), again.height()) == (700, 520)


def test_after_a_crash_the_draft_reopens_and_the_app_says_so(launch, tmp_path: Path) -> None:
    window = launch()
    window.new_draft()
    window.session.set_answer("lrg_name", "Vienna")
    window.autosave.flush()
    window.store.close()  # the process dies: no clean end is recorded
    again = launch()
    assert again.session.answers == {"lrg_name": "Vienna"}
    assert "not closed properly" in again.statusBar().currentMessage()


def test_a_refused_attachment_says_why_and_changes_nothing(launch, qtbot, tmp_path: Path) -> None:
    window = launch()
    window.new_draft()
    examples = row(window, "local_actions").editor
    window.form_view.go_to_field("local_actions")
    click(qtbot, examples.add_button)
    documents = examples.cards[0].rows["documents"].editor
    with answer_next_dialog(qtbot, QMessageBox, QMessageBox.accept) as shown:
        documents.add_files([tmp_path / "missing.pdf"])
    assert "missing.pdf" in shown.text
    assert documents.value() is None


def test_removing_an_example_with_text_asks_first(launch, qtbot) -> None:
    window = launch()
    window.new_draft()
    examples = row(window, "local_actions").editor
    window.form_view.go_to_field("local_actions")
    click(qtbot, examples.add_button)
    click(qtbot, examples.add_button)
    type_text(examples.cards[0].rows["description"].editor.text, "Carta de derechos")
    with answer_next_dialog(qtbot, QMessageBox, press(QMessageBox.StandardButton.Cancel)):
        examples.cards[0].remove_button.click()
    assert len(examples.cards) == 2, "cancel keeps the example"
    examples.cards[1].remove_button.click()  # an empty card goes without asking
    assert len(examples.cards) == 1
    with answer_next_dialog(qtbot, QMessageBox, press(QMessageBox.StandardButton.Yes)):
        examples.cards[0].remove_button.click()
    assert examples.cards == []
    qtbot.waitUntil(lambda: "local_actions" not in window.session.answers, timeout=1000)


def test_a_full_disk_never_loses_the_typed_text(launch, qtbot) -> None:
    """SQLite's page limit gives a real "database or disk is full" on the next save."""
    window = launch()
    window.new_draft()
    draft_id = window.session.draft_id
    pages = window.store.db.execute("PRAGMA page_count").fetchone()[0]
    window.store.db.execute(f"PRAGMA max_page_count = {pages + 1}")
    text = "Hak asasi manusia untuk semua warga. " * 400
    window.form_view.go_to_field("vision")
    row(window, "vision").editor.text.setPlainText(text)
    qtbot.waitUntil(lambda: "could not be saved" in window.save_status.text(), timeout=5000)
    window.choose_language("fr")
    window.choose_language("en")
    assert "could not be saved" in window.save_status.text(), "never claims Saved meanwhile"
    choices: list[str] = []
    with answer_next_dialog(qtbot, QMessageBox, press(QMessageBox.StandardButton.Cancel)) as asked:
        window.close()
    choices.append(asked.text)
    assert window.isVisible(), "Cancel keeps the window and the text"
    assert window.session.answers["vision"] == text
    assert "could not be saved" in choices[0]

    def free_space_then_retry(box: QMessageBox) -> None:
        window.store.db.execute("PRAGMA max_page_count = 1073741823")  # space again
        press(QMessageBox.StandardButton.Retry)(box)

    with answer_next_dialog(qtbot, QMessageBox, free_space_then_retry) as asked_again:
        window.show_home()
    choices.append(asked_again.text)
    assert len(choices) == 2, "the disk was still full: the user was asked again"
    assert window.session is None
    assert window.store.get(draft_id).answers["vision"] == text


def _sign_elsewhere(data_dir: Path, draft_id: str) -> None:
    """What `hrcities sign` does to the store, from another connection (another process)."""
    import hashlib  # noqa: PLC0415

    from desktop.core.store.drafts import DraftsStore  # noqa: PLC0415
    from tests.factories import recorded_submission, tiny_png  # noqa: PLC0415

    png = tiny_png()
    other = DraftsStore.open(data_dir)
    try:
        other.record_signature(
            recorded_submission(
                draft_id,
                hashlib.sha256(png).hexdigest(),
                "5e0f8a54-5d7c-4f43-9d0a-5a6f4f7c2c11",
            ),
            png,
            None,
        )
    finally:
        other.close()


def test_the_drafts_list_shows_a_form_signed_from_the_command_line(
    launch, qtbot, tmp_path: Path
) -> None:
    """It used to say "Draft" for a form signed meanwhile from the command line."""
    from tests.factories import complete_answers  # noqa: PLC0415

    window = launch()
    draft = window.store.create(complete_answers())
    window.home.reload(select=draft.id)

    def status_shown() -> str:
        return window.home.proxy.index(0, 2).data()

    assert status_shown() == "Draft"
    _sign_elsewhere(tmp_path / "data", draft.id)
    qtbot.waitUntil(lambda: status_shown() == "Signed", timeout=6000)


def test_an_open_draft_signed_elsewhere_is_shown_signed_and_later_typing_kept(
    launch, qtbot, tmp_path: Path
) -> None:
    from tests.factories import complete_answers  # noqa: PLC0415

    window = launch()
    draft = window.store.create(complete_answers())
    window.open_draft(draft.id)
    window.session.set_answer("motivations", "typed after the signature was made elsewhere")
    _sign_elsewhere(tmp_path / "data", draft.id)
    qtbot.waitUntil(lambda: window.form_view.submission is not None, timeout=6000)
    assert window.session.draft_id == draft.id
    assert "signed meanwhile" in window.statusBar().currentMessage()
    kept = [
        d
        for d in window.store.list()
        if window.store.get(d.id).answers.get("motivations")
        == "typed after the signature was made elsewhere"
    ]
    assert len(kept) == 1, "the typing after the signature went into a new draft"
    assert kept[0].id != draft.id

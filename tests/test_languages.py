"""Every word in the user's language: each language, every view and the main dialogs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QWidget

from desktop.form.versions_dialog import VersionsDialog
from i18n.translate import current_language
from tests.dialogs import answer_next_dialog
from tests.factories import complete_answers
from tests.keyboard import type_text
from tests.leftovers import wait_for_background
from tests.visible_text import english_leftovers, visible_texts

pytestmark = pytest.mark.gui
TRANSLATED = ["fr", "es", "id", "ar", "pt"]


def inspect_modal(
    dialog: QDialog, found: list[tuple[str, str]], directions: list[Qt.LayoutDirection]
) -> None:
    """Read the texts of the dialog that is open, then close it."""
    found.extend(
        (f"{type(dialog).__name__}: {where}", text) for where, text in visible_texts(dialog)
    )
    directions.append(dialog.layoutDirection())
    dialog.reject()


def through_dialog(qtbot, open_it: Callable[[], object], found, directions) -> None:
    """Open a modal dialog, read its texts and close it."""
    with answer_next_dialog(qtbot, QDialog, lambda d: inspect_modal(d, found, directions)):
        open_it()


@pytest.mark.parametrize("code", TRANSLATED)
def test_no_visible_text_is_left_in_english(launch, qtbot, code: str, tmp_path: Path) -> None:
    window = launch()
    window.store.create(complete_answers())
    window.home.reload()
    window.choose_language(code)
    assert current_language() == code
    seen: list[tuple[str, str]] = []
    directions: list[Qt.LayoutDirection] = []

    def look(widget: QWidget) -> None:
        QApplication.processEvents()
        seen.extend(visible_texts(widget))
        directions.append(widget.layoutDirection())

    look(window)
    window.home.show_trash.setChecked(True)
    look(window)
    window.home.show_trash.setChecked(False)
    window.new_draft()
    window.session.set_answer("focal_point_email", "not-an-address")
    window.session.set_answer("local_actions", [{"description": "x", "links": ["bad link"]}])
    for index, page in enumerate(window.form_view.section_pages):
        window.form_view.go_to_page(index)
        for row in page.all_rows():
            row.mark_touched()
        look(window)
    window.form_view.go_to_summary()
    look(window)

    window.autosave.flush()
    versions = VersionsDialog(window.store, window.session.draft_id, window.session.form, window)
    versions.show()
    look(versions)
    versions.close()
    through_dialog(qtbot, window.show_about, seen, directions)
    window.show_home()
    window.home.show_trash.setChecked(True)
    through_dialog(qtbot, window.empty_trash, seen, directions)
    window.home.show_trash.setChecked(False)
    through_dialog(
        qtbot,
        lambda: QFileDialog.getOpenFileNames(
            window, "x", str(tmp_path), options=QFileDialog.Option.DontUseNativeDialog
        ),
        seen,
        directions,
    )
    through_dialog(qtbot, lambda: QMessageBox.question(window, "x", "y"), seen, directions)

    leftovers = english_leftovers(seen, code)
    assert not leftovers, "\n".join(f"{w}: {t!r} (English: {s!r})" for w, t, s in leftovers)
    expected = Qt.LayoutDirection.RightToLeft if code == "ar" else Qt.LayoutDirection.LeftToRight
    assert set(directions) == {expected}


def test_the_visible_text_check_can_fail(launch) -> None:
    window = launch()
    window.choose_language("fr")
    window.home.title.setText("Drafts on this computer")
    leftovers = english_leftovers(visible_texts(window), "fr")
    assert ("QLabel#sectionTitle", "Drafts on this computer", "Drafts on this computer") in [
        (where, text, source) for where, text, source in leftovers
    ]


def test_switching_language_keeps_unsaved_typing_and_the_cursor(launch, qtbot) -> None:
    window = launch()
    window.new_draft()
    window.form_view.go_to_field("vision")
    editor = window.form_view.section_pages[1].rows["vision"].editor.text
    type_text(editor, "Les droits humains sont au cœur de notre action municipale.")
    cursor = editor.textCursor()
    cursor.setPosition(10)
    editor.setTextCursor(cursor)
    assert window.session.dirty, "the typing is not saved yet"
    window.choose_language("fr")
    window.choose_language("ar")
    assert editor.toPlainText() == "Les droits humains sont au cœur de notre action municipale."
    assert editor.textCursor().position() == 10
    assert window.session.answers["vision"] == editor.toPlainText()
    assert window.session.language == "en", "the answers' language is the user's to choose"


def test_the_language_chosen_is_remembered(launch, tmp_path: Path) -> None:
    from desktop.app import close_window  # noqa: PLC0415

    window = launch()
    window.choose_language("id")
    window.close()
    close_window(window)
    again = launch()
    assert current_language() == "id"
    assert again.language_actions["id"].isChecked()


def test_a_new_draft_records_the_interface_language_and_the_statement_language(launch) -> None:
    window = launch()
    window.choose_language("es")
    window.new_draft()
    assert window.store.get(window.session.draft_id).language == "es"
    window.form_view.go_to_page(5)
    window.choose_language("ar")
    assert window.store.get(window.session.draft_id).statement_language == "ar"
    statement = window.form_view.section_pages[5].statement.text()
    assert statement != window.session.form.statement().text


def test_countries_are_named_and_sorted_in_the_chosen_language(launch) -> None:
    from desktop.form.editors.choice_editors import country_names  # noqa: PLC0415

    french = [name for _code, name in country_names("fr")]
    assert "Allemagne" in french
    assert french.index("Égypte") < french.index("Érythrée") < french.index("Espagne")
    assert french.index("Espagne") < french.index("Fidji"), "É sorts with E, not after Z"
    window = launch()
    window.new_draft()
    window.choose_language("es")
    combo = window.form_view.section_pages[0].rows["country"].editor.combo
    names = [combo.itemText(i) for i in range(combo.count())]
    assert "Alemania" in names
    assert names.index("Ecuador") < names.index("Egipto")


def test_the_answers_language_is_chosen_apart_from_the_interface(launch, qtbot) -> None:
    window = launch()
    window.choose_language("fr")
    window.new_draft()
    chooser = window.form_view.answers_language
    assert chooser.currentData() == "fr", "by default, the interface language"
    chooser.setCurrentIndex(chooser.findData("id"))
    chooser.activated.emit(chooser.currentIndex())
    assert window.store.get(window.session.draft_id).language == "id"
    window.choose_language("ar")
    assert window.store.get(window.session.draft_id).language == "id"


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_signing_screens_speak_the_language(launch, qtbot, code: str, tmp_path: Path) -> None:
    from desktop.signing.key_dialogs import CreateKeyDialog, OfficeKeyDialog  # noqa: PLC0415
    from desktop.signing.signing_dialog import SigningDialog  # noqa: PLC0415
    from sync import office_key  # noqa: PLC0415

    window = launch()
    window.choose_language(code)
    data_dir = window.store.data_dir
    seen: list[tuple[str, str]] = []
    directions: list[Qt.LayoutDirection] = []
    no_key = OfficeKeyDialog(data_dir, window)
    creating = CreateKeyDialog(data_dir, window)
    creating.new_passphrase.first.setText("short")
    for dialog in (no_key, creating):
        dialog.show()
        QApplication.processEvents()
        seen.extend(visible_texts(dialog))
        directions.append(dialog.layoutDirection())
        dialog.close()
    key, data = office_key.create_key("Mairie", "une phrase assez longue", kdf=office_key.FLOOR_KDF)
    office_key.save_key_file(data_dir, data)
    draft = window.store.create(complete_answers())
    window.open_draft(draft.id)
    for dialog in (
        OfficeKeyDialog(data_dir, window),
        SigningDialog(window.session, data_dir, window),
    ):
        dialog.show()
        QApplication.processEvents()
        seen.extend(visible_texts(dialog))
        directions.append(dialog.layoutDirection())
        dialog.close()
    wait_for_background(qtbot)  # the signing screen loads the PDF signer while one draws
    leftovers = english_leftovers(seen, code)
    assert not leftovers, "\n".join(f"{w}: {t!r} (English: {s!r})" for w, t, s in leftovers)
    expected = Qt.LayoutDirection.RightToLeft if code == "ar" else Qt.LayoutDirection.LeftToRight
    assert set(directions) == {expected}
    assert key.kid


@pytest.mark.parametrize("code", TRANSLATED)
def test_qt_own_texts_are_never_blank(launch, code: str) -> None:
    """An OK box and the menus' shortcuts, which Qt writes itself, in every language."""
    window = launch()
    window.choose_language(code)
    box = QMessageBox(QMessageBox.Icon.Warning, "x", "y", QMessageBox.StandardButton.Ok, window)
    assert box.button(QMessageBox.StandardButton.Ok).text().strip()
    shortcut = window.new_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    assert len(shortcut) > 1, shortcut
    back = window.back_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    assert back.strip(), "Alt+Left"

"""Qt's own texts the app shows (dialog buttons, edit menus, file dialogs), for our catalogs.

Qt ships its translations for most of our languages (qtbase_fr.qm...), but not for all
(Indonesian). These texts are marked here so that `make i18n` puts them in our catalogs, and
`QtCatalogTranslator` answers Qt from them where Qt has no catalog of its own.
"""

from __future__ import annotations

from i18n.translate import N_

# (Qt's translation context, Qt's source text) -> our msgid (the same English text).
QT_STRINGS: dict[tuple[str, str], str] = {
    ("QPlatformTheme", "OK"): N_("OK"),
    ("QPlatformTheme", "Cancel"): N_("Cancel"),
    ("QPlatformTheme", "Close"): N_("Close"),
    ("QPlatformTheme", "Open"): N_("Open"),
    ("QPlatformTheme", "Save"): N_("Save"),
    ("QPlatformTheme", "&Yes"): N_("&Yes"),
    ("QPlatformTheme", "&No"): N_("&No"),
    ("QPlatformTheme", "Apply"): N_("Apply"),
    ("QPlatformTheme", "Discard"): N_("Discard"),
    ("QPlatformTheme", "Help"): N_("Help"),
    ("QPlatformTheme", "Reset"): N_("Reset"),
    ("QLineEdit", "&Undo"): N_("&Undo"),
    ("QLineEdit", "&Redo"): N_("&Redo"),
    ("QLineEdit", "Cu&t"): N_("Cu&t"),
    ("QLineEdit", "&Copy"): N_("&Copy"),
    ("QLineEdit", "&Paste"): N_("&Paste"),
    ("QLineEdit", "Delete"): N_("Delete"),
    ("QLineEdit", "Select All"): N_("Select All"),
    ("QWidgetTextControl", "&Undo"): N_("&Undo"),
    ("QWidgetTextControl", "&Redo"): N_("&Redo"),
    ("QWidgetTextControl", "Cu&t"): N_("Cu&t"),
    ("QWidgetTextControl", "&Copy"): N_("&Copy"),
    ("QWidgetTextControl", "&Paste"): N_("&Paste"),
    ("QWidgetTextControl", "Delete"): N_("Delete"),
    ("QWidgetTextControl", "Select All"): N_("Select All"),
    ("QWidgetTextControl", "Copy &Link Location"): N_("Copy &Link Location"),
    ("QFileDialog", "Look in:"): N_("Look in:"),
    ("QFileDialog", "File &name:"): N_("File &name:"),
    ("QFileDialog", "Files of type:"): N_("Files of type:"),
    ("QFileDialog", "&Open"): N_("&Open"),
    ("QFileDialog", "&Save"): N_("&Save"),
    ("QFileDialog", "Back"): N_("Back"),
    ("QFileDialog", "Forward"): N_("Forward"),
    ("QFileDialog", "Parent Directory"): N_("Parent Directory"),
    ("QFileDialog", "Create New Folder"): N_("Create New Folder"),
    ("QFileDialog", "List View"): N_("List View"),
    ("QFileDialog", "Detail View"): N_("Detail View"),
    ("QFileDialog", "All Files (*)"): N_("All Files (*)"),
    ("QFileDialog", "New Folder"): N_("New Folder"),
    ("QFileDialog", "&Delete"): N_("&Delete"),
    ("QFileDialog", "&Rename"): N_("&Rename"),
    ("QFileDialog", "Show &hidden files"): N_("Show &hidden files"),
    ("QFileSystemModel", "Name"): N_("Name"),
    ("QFileSystemModel", "Size"): N_("Size"),
    ("QFileSystemModel", "Type"): N_("Type"),
    ("QFileSystemModel", "Date Modified"): N_("Date Modified"),
    ("QFileSystemModel", "My Computer"): N_("My Computer"),
    ("QFileSystemModel", "Computer"): N_("Computer"),
}

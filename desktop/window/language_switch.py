"""Switching the whole app to another language while it runs.

One call sets our catalog, Qt's own translations (its dialog buttons, edit menus, file dialogs),
the default QLocale (dates, numbers, calendar) and the layout direction (Arabic runs right to
left), then every registered window sets its texts again (`desktop.retranslation`).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from desktop.retranslation import retranslate_all
from desktop.window.qt_strings import QT_STRINGS
from i18n.languages import language
from i18n.translate import SOURCE_LANGUAGE, _, set_language

# Qt names its catalogs by locale; where ours is a plain language, this is the one Qt has.
QT_CATALOG_NAMES = {"pt": "pt_BR"}


class QtCatalogTranslator(QTranslator):
    """Answers Qt's own texts from our catalogs, for languages Qt ships no translation for."""

    def translate(
        self,
        context: str,
        source_text: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str | None:
        """Qt's text in the current language, or None to let Qt ask its other translators.

        None, not "": PySide hands Qt an empty string as a real (blank) translation, which
        emptied every OK button and every menu shortcut in the other languages.
        """
        msgid = QT_STRINGS.get((context, source_text))
        if msgid is None:
            # Qt writes some labels with a mnemonic ("&Look in:"); the catalogs hold the words.
            msgid = QT_STRINGS.get((context, source_text.replace("&", "")))
        if msgid is None:
            return None
        translated = _(msgid)
        return None if translated == msgid else translated


class LanguageSwitcher(QObject):
    """Owns the translators installed in the application."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self._installed: list[QTranslator] = []

    def apply(self, code: str) -> None:
        """Make `code` the language of the whole application."""
        set_language(code)
        for translator in self._installed:
            QCoreApplication.removeTranslator(translator)
        self._installed = []
        if code != SOURCE_LANGUAGE:
            qt_catalog = QTranslator(self)
            folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if qt_catalog.load(f"qtbase_{QT_CATALOG_NAMES.get(code, code)}", folder):
                self._installed.append(qt_catalog)
            self._installed.append(QtCatalogTranslator(self))
        for translator in self._installed:
            QCoreApplication.installTranslator(translator)
        QLocale.setDefault(QLocale(code))
        self.app.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft
            if language(code).right_to_left
            else Qt.LayoutDirection.LeftToRight
        )
        retranslate_all()

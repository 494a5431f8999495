"""The main window and what every window shares: look, Qt's own texts, language switching."""

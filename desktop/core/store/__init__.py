"""The drafts store: the app's memory, in one SQLite file beside automatic backups.

Qt-free on purpose, so the command line and the tests use exactly what the window uses.
"""

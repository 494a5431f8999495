"""The `hrcities` command: one module per command group.

Qt is loaded only by the commands that open a window or lay out a PDF.
"""

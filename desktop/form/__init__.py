"""Filling a draft: the form view, its pages and editors, autosave, versions, the PDF."""

"""The municipality's side without Qt.

The drafts store, the draft being edited, signing, the form as a document, draft files and
signed files: what the window and the command line both call.
"""

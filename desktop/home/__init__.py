"""The drafts list."""

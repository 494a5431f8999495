"""One editor widget per field type, chosen from a registry keyed by type (no per-field screens)."""

"""Office keys for tests, made once per session: each key file costs an Argon2id derivation.

The keys use the floor of the product's own rule (`sync.office_key.FLOOR_KDF`), never less:
tests exercise what users get. A floor key is "weaker than today's default", so unlocking it
from a data folder re-wraps it there (the cached bytes here stay as made).
"""

from __future__ import annotations

from functools import cache

from sync import office_key


@cache
def floor_key(office_name: str, passphrase: str) -> tuple[office_key.OfficeKey, bytes]:
    """A key and its key file at the floor parameters, the same for the whole session."""
    return office_key.create_key(office_name, passphrase, office_key.FLOOR_KDF)

"""Signing and the office key on screen: the signing screen, the signature pad, the key dialogs."""

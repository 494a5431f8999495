"""Signing and verifying, keys, parcels, the endpoint and its inbox; no Qt, no desktop."""

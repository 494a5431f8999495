"""Tests written to break the suite's guards, run only by tests/test_conftest.py (in a subprocess).

Their file names do not start with test_, so a normal run never collects them.
"""

"""Benchmarks: each module prints its figures (`make bench`, or `python -m bench.<name>`).

They run as modules of this package, not as scripts, so that `bench/typing.py` does not take
the place of the standard `typing` module for everything else.
"""

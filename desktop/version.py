"""The one place the version lives; pyproject reads it, and so does `hrcities --version`."""

__version__ = "0.1.0"

"""Which of our modules bring Qt in when imported, read from their source without importing them.

`pytest -m "not gui"` must run without Qt: not only without a window, without PySide6 imported at
all (a machine with no display libraries, a quick run of the core). So the modules whose import
pulls Qt in are known before anything is imported: their top-level imports are read with `ast`,
following our own modules, and a test module found to import Qt is not even collected then.
Imports inside functions are not followed: they run only when a test does, and the runtime check
in conftest.py names a test that imports Qt without being marked `gui`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from itertools import product
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
QT_PACKAGES = frozenset({"PySide6", "shiboken6"})
OUR_PACKAGES = frozenset({"desktop", "sync", "schemas", "i18n", "tests", "bench"})


def _source(module: str) -> Path | None:
    """The file of one of our modules (a package's __init__.py), None for anyone else's."""
    parts = module.split(".")
    if parts[0] not in OUR_PACKAGES:
        return None
    base = PROJECT.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements run at import: the top level, into `if` and `try` blocks (not functions,
    and not `if TYPE_CHECKING:`, which never runs)."""
    for statement in body:
        if isinstance(statement, ast.If):
            if not _is_type_checking(statement.test):
                yield from _statements(statement.body)
            yield from _statements(statement.orelse)
        elif isinstance(statement, ast.Try):
            for block in (statement.body, statement.orelse, statement.finalbody):
                yield from _statements(block)
            for handler in statement.handlers:
                yield from _statements(handler.body)
        else:
            yield statement


def imported_at_top(path: Path) -> set[str]:
    """The modules a file imports when it is imported (and their parent packages)."""
    names: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for statement in _statements(tree.body):
        if isinstance(statement, ast.Import):
            names.update(alias.name for alias in statement.names)
        elif isinstance(statement, ast.ImportFrom) and statement.module and not statement.level:
            names.add(statement.module)
            # `from desktop.window import look` imports the module desktop.window.look.
            names.update(f"{statement.module}.{alias.name}" for alias in statement.names)
    with_parents = set(names)
    for name in names:
        parts = name.split(".")
        with_parents.update(".".join(parts[:end]) for end in range(1, len(parts)))
    return with_parents


_QT: dict[str, bool] = {}  # module -> whether importing it imports Qt (False while unknown)


def imports_qt(module: str) -> bool:
    """Whether importing `module` imports Qt, directly or through other modules of ours."""
    if module.split(".", maxsplit=1)[0] in QT_PACKAGES:
        return True
    if module not in _QT:
        path = _source(module)
        _QT[module] = False  # while it is being read: an import cycle back to it stops there
        if path is not None:
            _QT[module] = any(imports_qt(name) for name in sorted(imported_at_top(path)))
    return _QT[module]


def module_name(path: Path) -> str | None:
    """`tests.test_forms` for PROJECT/tests/test_forms.py; None for a file outside the project."""
    try:
        relative = path.resolve().relative_to(PROJECT)
    except ValueError:
        return None
    return ".".join(relative.with_suffix("").parts)


_TOKEN = re.compile(r"\(|\)|[^\s()]+")
_WORDS = frozenset({"and", "or", "not", "(", ")"})


def leaves_out(markexpr: str, marker: str) -> bool:
    """Whether `-m markexpr` deselects every test carrying `marker`, whatever its other marks.

    Only plain expressions of names, and, or, not and parentheses are understood; anything else
    (keyword arguments of marks) answers False: Qt then stays available, which is always safe.
    """
    tokens = _TOKEN.findall(markexpr or "")
    names = sorted({token for token in tokens if token not in _WORDS})
    if not tokens or marker not in names or len(names) > 8:
        return False
    if not all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) for name in names):
        return False
    code = " ".join(token if token in _WORDS else f"marks[{token!r}]" for token in tokens)
    others = [name for name in names if name != marker]
    try:
        compiled = compile(code, "<markexpr>", "eval")
        for values in product((False, True), repeat=len(others)):
            marks = dict(zip(others, values, strict=True)) | {marker: True}
            # Only names looked up in `marks`, and, or, not: nothing else can be evaluated.
            if eval(compiled, {"__builtins__": {}}, {"marks": marks}):
                return False
    except SyntaxError:
        return False
    return True

"""Form definitions: the JSON files beside this module, read into typed, immutable objects.

A form definition is data, not code, so the desktop, the secretariat and outside tools read the
same file. Each file is checked against `form-definition.schema.json` when loaded: a broken
definition fails loudly at start, never as a half-rendered form.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

FORMS_DIR = Path(__file__).parent
META_SCHEMA_PATH = FORMS_DIR / "form-definition.schema.json"
DEFAULT_FORM_ID = "hrc-join"

FIELD_TYPES = (
    "text",
    "long_text",
    "email",
    "phone",
    "url",
    "integer",
    "country",
    "choice",
    "multi_choice",
    "year_range",
    "date",
    "repeat",
    "url_list",
    "attachments",
)


# What a field means to the app beyond its question: the code reads these, never field ids, so a
# later version may rename a field (with its migration) without breaking signing or the lists.
# Each role names a top-level field of the type given here.
ROLE_TYPES: Mapping[str, str] = {
    "lrg_name": "text",
    "country": "country",
    "lrg_type": "choice",
    "inhabitants": "integer",
    "signer_name": "text",
    "signer_position": "text",
    "statement_date": "date",
}
ROLES = tuple(ROLE_TYPES)
# Signing copies these answers into the signed envelope: they must always be asked and answered.
SIGNING_ROLES = ("signer_name", "signer_position", "statement_date")


class FormDefinitionError(ValueError):
    """A form file that is missing, unreadable or not a valid form definition."""


@dataclass(frozen=True)
class Option:
    """One choice of a `choice` or `multi_choice` field."""

    id: str
    label: str


@dataclass(frozen=True)
class Relevance:
    """A field is asked only while another field's answer has (or is) a given option."""

    field: str
    has: str


@dataclass(frozen=True)
class FieldDef:
    """One question of the form. Attributes that do not apply to its type keep their defaults."""

    id: str
    type: str
    label: str
    required: bool = False
    help: str = ""
    relevant_if: Relevance | None = None
    max_length: int | None = None
    min_words: int | None = None
    max_words: int | None = None
    minimum: int | None = None
    min_year: int | None = None
    max_year: int | None = None
    options: tuple[Option, ...] = ()
    min_selected: int | None = None
    max_items: int | None = None
    item_label: str = ""
    item_fields: tuple[FieldDef, ...] = ()
    accept: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    prefill_from: str | None = None

    def option_ids(self) -> tuple[str, ...]:
        """The stable ids of the options, in form order."""
        return tuple(option.id for option in self.options)


@dataclass(frozen=True)
class Statement:
    """The text the signer reads and signs, with `{named}` placeholders filled from answers."""

    text: str
    placeholders: Mapping[str, str]


@dataclass(frozen=True)
class Section:
    """A titled group of fields; the unit of navigation and of completion."""

    id: str
    title: str
    fields: tuple[FieldDef, ...]
    statement: Statement | None = None


@dataclass(frozen=True)
class MigrationStep:
    """One explicit change to answers of the previous version.

    `rename` moves `field` to `to`; `map_option` turns option `value_from` of `field` into `to`;
    `remove` sets the answer of `field` aside (kept with the draft, never thrown away).
    """

    op: str
    field: str
    to: str | None = None
    value_from: str | None = None


@dataclass(frozen=True)
class Migration:
    """How answers of `from_version` become answers of the form that carries this migration."""

    from_version: str
    steps: tuple[MigrationStep, ...]


@dataclass(frozen=True)
class FormDefinition:
    """One version of one form, as read from its JSON file."""

    form_id: str
    version: str
    title: str
    source_language: str
    sections: tuple[Section, ...]
    roles: Mapping[str, str] = field(default_factory=dict)
    migrations: tuple[Migration, ...] = ()
    _fields: Mapping[str, FieldDef] = field(default_factory=dict, repr=False, compare=False)

    def fields(self) -> Iterator[FieldDef]:
        """Every top-level field, in form order."""
        for section in self.sections:
            yield from section.fields

    def field(self, field_id: str) -> FieldDef:
        """The top-level field with this id (KeyError when the form has none)."""
        return self._fields[field_id]

    def has_field(self, field_id: str) -> bool:
        """Whether the form asks a top-level question with this id."""
        return field_id in self._fields

    def role(self, role: str) -> str:
        """The id of the field that plays `role` (one of ROLES; KeyError otherwise)."""
        return self.roles[role]

    def answer_for(self, role: str, answers: Mapping[str, Any]) -> Any:
        """The answer of the field playing `role`, or None when it has none."""
        return answers.get(self.role(role))

    def section(self, section_id: str) -> Section:
        """The section with this id (KeyError when the form has none)."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def statement(self) -> Statement | None:
        """The statement of commitment, if the form has one."""
        for section in self.sections:
            if section.statement is not None:
                return section.statement
        return None


def _field_from_json(data: Mapping[str, Any]) -> FieldDef:
    relevance = data.get("relevant_if")
    return FieldDef(
        id=data["id"],
        type=data["type"],
        label=data["label"],
        required=bool(data.get("required", False)),
        help=data.get("help", ""),
        relevant_if=Relevance(relevance["field"], relevance["has"]) if relevance else None,
        max_length=data.get("max_length"),
        min_words=data.get("min_words"),
        max_words=data.get("max_words"),
        minimum=data.get("minimum"),
        min_year=data.get("min_year"),
        max_year=data.get("max_year"),
        options=tuple(Option(o["id"], o["label"]) for o in data.get("options", ())),
        min_selected=data.get("min_selected"),
        max_items=data.get("max_items"),
        item_label=data.get("item_label", ""),
        item_fields=tuple(_field_from_json(f) for f in data.get("item_fields", ())),
        accept=tuple(data.get("accept", ())),
        suggestions=tuple(data.get("suggestions", ())),
        prefill_from=data.get("prefill_from"),
    )


def _section_from_json(data: Mapping[str, Any]) -> Section:
    statement = data.get("statement")
    return Section(
        id=data["id"],
        title=data["title"],
        fields=tuple(_field_from_json(f) for f in data["fields"]),
        statement=Statement(
            text=statement["text"],
            placeholders=dict(statement["placeholders"]),
        )
        if statement
        else None,
    )


def _migration_from_json(data: Mapping[str, Any]) -> Migration:
    return Migration(
        from_version=data["from_version"],
        steps=tuple(
            MigrationStep(
                op=step["op"],
                field=step["field"],
                to=step.get("to"),
                value_from=step.get("from"),
            )
            for step in data["steps"]
        ),
    )


@cache
def meta_schema() -> Mapping[str, Any]:
    """The JSON Schema every form definition must satisfy."""
    return json.loads(META_SCHEMA_PATH.read_text(encoding="utf-8"))


def check_definition(data: Any) -> list[str]:
    """Everything wrong with a form definition, as readable lines (empty when it is valid).

    Beyond the meta-schema: ids unique; `relevant_if`, statement placeholders and roles name real
    fields; each role's field is of its type, and the signer's are always asked and required.
    """
    import jsonschema  # noqa: PLC0415 - only checking a definition needs it, not starting the app

    validator = jsonschema.Draft202012Validator(meta_schema())
    problems = [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in validator.iter_errors(data)
    ]
    if problems:
        return problems
    ids = [f["id"] for s in data["sections"] for f in s["fields"]]
    problems += [f"field id used twice: {i}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    known = set(ids)
    for section in data["sections"]:
        for fdef in section["fields"]:
            relevance = fdef.get("relevant_if")
            if relevance and relevance["field"] not in known:
                problems.append(
                    f"{fdef['id']}: relevant_if names unknown field {relevance['field']}"
                )
        statement = section.get("statement")
        if statement:
            for placeholder, target in statement["placeholders"].items():
                if "{" + placeholder + "}" not in statement["text"]:
                    problems.append(f"statement: placeholder {placeholder} is not in the text")
                if target not in known:
                    problems.append(f"statement: placeholder {placeholder} names unknown {target}")
    problems += _role_problems(data)
    return problems


def _role_problems(data: Mapping[str, Any]) -> list[str]:
    fields = {f["id"]: f for s in data["sections"] for f in s["fields"]}
    problems = []
    for role, field_id in data["roles"].items():
        fdef = fields.get(field_id)
        if fdef is None:
            problems.append(f"roles: {role} names unknown field {field_id}")
            continue
        if fdef["type"] != ROLE_TYPES[role]:
            problems.append(f"roles: {role} names {field_id}, not a {ROLE_TYPES[role]} field")
        if role in SIGNING_ROLES and (not fdef.get("required") or "relevant_if" in fdef):
            problems.append(f"roles: {role} names {field_id}, which must be required and asked")
    return problems


def form_from_json(data: Any, source: str = "<data>") -> FormDefinition:
    """Build a form from parsed JSON, refusing anything the meta-schema or the checks reject."""
    problems = check_definition(data)
    if problems:
        raise FormDefinitionError(f"{source}: " + "; ".join(problems))
    sections = tuple(_section_from_json(s) for s in data["sections"])
    return FormDefinition(
        form_id=data["form_id"],
        version=data["version"],
        title=data["title"],
        source_language=data.get("source_language", "en"),
        sections=sections,
        roles=dict(data["roles"]),
        migrations=tuple(_migration_from_json(m) for m in data.get("migrations", ())),
        _fields={f.id: f for s in sections for f in s.fields},
    )


def load_form_file(path: Path) -> FormDefinition:
    """Read and check one form definition file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FormDefinitionError(f"{path}: {error}") from error
    return form_from_json(data, source=str(path))


# What a form id or version may be to name a file: the meta-schema's ids, bounded in length.
_SAFE_NAME = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,63}")


def _version_key(version: str) -> tuple[int, ...] | tuple[str]:
    return tuple(int(part) for part in version.split(".")) if _is_numeric(version) else (version,)


def _is_numeric(version: str) -> bool:
    return all(part.isdigit() for part in version.split("."))


class FormRegistry:
    """The forms found in some folders, each folder holding `<form_id>/<version>.json` files.

    The default registry reads the forms shipped in this package; tests add a folder holding a
    second version of a form to exercise migrations.
    """

    def __init__(self, folders: Sequence[Path] = (FORMS_DIR,)) -> None:
        self._folders = tuple(folders)
        self._cache: dict[tuple[str, str], FormDefinition] = {}

    def _path(self, form_id: str, version: str) -> Path | None:
        if not _SAFE_NAME.fullmatch(form_id) or not _SAFE_NAME.fullmatch(version):
            return None  # never a path outside the folders, nor a name the system refuses
        for folder in reversed(self._folders):
            candidate = folder / form_id / f"{version}.json"
            try:
                if candidate.is_file():
                    return candidate
            except OSError:  # a name too long for this system, say: no such form here
                continue
        return None

    def versions(self, form_id: str) -> list[str]:
        """The versions of a form present in the folders, oldest first."""
        found = {
            path.stem
            for folder in self._folders
            for path in (folder / form_id).glob("*.json")
            if path.is_file()
        }
        return sorted(found, key=_version_key)

    def latest(self, form_id: str = DEFAULT_FORM_ID) -> FormDefinition:
        """The newest version of a form: the one new drafts use and old drafts migrate to."""
        versions = self.versions(form_id)
        if not versions:
            raise FormDefinitionError(f"no form definition named {form_id}")
        return self.get(form_id, versions[-1])

    def get(self, form_id: str, version: str) -> FormDefinition:
        """One version of one form, read once and then kept."""
        key = (form_id, version)
        if key not in self._cache:
            path = self._path(form_id, version)
            if path is None:
                raise FormDefinitionError(f"no form definition {form_id} version {version}")
            self._cache[key] = load_form_file(path)
        return self._cache[key]


@cache
def default_registry() -> FormRegistry:
    """The registry of the forms shipped with the application."""
    return FormRegistry()

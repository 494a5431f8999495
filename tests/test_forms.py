"""The form definitions: valid against the meta-schema, and faithful to the campaign's own text."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import jsonschema
import pytest

from schemas.forms import (
    FIELD_TYPES,
    FORMS_DIR,
    ROLE_TYPES,
    ROLES,
    FormDefinition,
    FormDefinitionError,
    check_definition,
    form_from_json,
    meta_schema,
)
from tests.conftest import FIXTURE_FORMS

# The FORM part of the campaign's own document, copied verbatim (its README names the source).
REFERENCE = Path(__file__).parent / "fixtures" / "reference" / "join-form.txt"
REFERENCE_SHA256 = "630258c6e9dd3c37dedefc14b8cc54c05fc64b5e0ea35780dd0b1445ee60e085"
FORM_FILES = sorted([*FORMS_DIR.glob("*/*.json"), *FIXTURE_FORMS.glob("*/*.json")])


def reference_form_part() -> str:
    """The "FORM" part of the campaign document: from its FORM heading to the signature."""
    text = REFERENCE.read_text(encoding="utf-8")
    start = text.index("FORM\n")
    return text[start : text.index("\nSignature", start)]


def reference_sections() -> dict[str, str]:
    """The numbered sections of the reference form, title -> body."""
    parts = re.split(r"^(\d)\. (.+)$", reference_form_part(), flags=re.MULTILINE)
    return {parts[i + 1].strip(): parts[i + 2] for i in range(1, len(parts), 3)}


def labels(form: FormDefinition, section_id: str) -> list[str]:
    return [f.label for f in form.section(section_id).fields]


def test_meta_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(meta_schema())


@pytest.mark.parametrize("path", FORM_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_form_file_passes_the_meta_schema_and_the_checks(path: Path) -> None:
    assert check_definition(json.loads(path.read_text(encoding="utf-8"))) == []


def test_the_shipped_2022_join_form_is_among_the_files_checked() -> None:
    assert FORMS_DIR / "hrc-join" / "2022.json" in FORM_FILES


def test_the_reference_text_is_the_verbatim_copy_its_readme_names() -> None:
    """The comparisons below are only as good as the copy: an edit of it must not go unseen."""
    data = REFERENCE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == REFERENCE_SHA256
    assert REFERENCE_SHA256 in (REFERENCE.parent / "README.md").read_text(encoding="utf-8")
    assert data.startswith(b"FORM\n\n1. Information\n")
    assert data.endswith(b"\nSignature")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["sections"][0]["fields"][0].update(type="slider"), "type"),
        (lambda d: d["sections"][0]["fields"][2].pop("options"), "options"),
        (lambda d: d["sections"][0]["fields"].append(dict(d["sections"][0]["fields"][0])), "twice"),
        (lambda d: d["sections"][0]["fields"][3]["relevant_if"].update(field="nope"), "unknown"),
        (lambda d: d["sections"][1]["fields"][0].update(max_words=0), "max_words"),
        (lambda d: d["sections"][5]["statement"].update(text="I sign."), "placeholder"),
        (lambda d: d["sections"][0]["fields"][0].update(max_words=5), "(root)|sections"),
        (lambda d: d.pop("roles"), "'roles' is a required property"),
        (lambda d: d["roles"].pop("signer_position"), "'signer_position' is a required"),
        (lambda d: d["roles"].update(mayor="head_name"), "mayor"),
        (lambda d: d["roles"].update(signer_name="nope"), "signer_name names unknown field nope"),
        (lambda d: d["roles"].update(country="lrg_name"), "country names lrg_name, not a country"),
        (
            lambda d: d["roles"].update(signer_name="lrg_type_other"),
            "signer_name names lrg_type_other, which must be required and asked",
        ),
        (
            lambda d: (
                d["roles"].update(signer_position="focal_point_name")
                or d["sections"][0]["fields"][8].update(required=False)
            ),
            "signer_position names focal_point_name, which must be required and asked",
        ),
    ],
)
def test_a_broken_definition_is_refused_with_a_reason(change, expected: str) -> None:
    data = json.loads((FORMS_DIR / "hrc-join" / "2022.json").read_text(encoding="utf-8"))
    change(data)
    problems = check_definition(data)
    assert problems
    assert re.search(expected, " ".join(problems))
    with pytest.raises(FormDefinitionError):
        form_from_json(data)


def test_roles_name_the_fields_signing_and_the_lists_rely_on(form: FormDefinition) -> None:
    assert set(form.roles) == set(ROLES)
    assert form.role("signer_name") == "signer_name"
    assert form.role("statement_date") == "statement_date"
    assert form.answer_for("lrg_name", {"lrg_name": "Kaolack"}) == "Kaolack"
    assert form.answer_for("country", {}) is None
    for role, field_type in ROLE_TYPES.items():
        assert form.field(form.role(role)).type == field_type
    with pytest.raises(KeyError):
        form.role("mayor")


def test_the_roles_in_the_meta_schema_are_the_roles_of_the_code() -> None:
    assert sorted(meta_schema()["properties"]["roles"]["required"]) == sorted(ROLES)


def test_every_field_type_of_the_meta_schema_is_known_to_the_code() -> None:
    declared = meta_schema()["$defs"]["field"]["properties"]["type"]["enum"]
    assert sorted(declared) == sorted(FIELD_TYPES)


def test_sections_follow_the_reference_in_order(form: FormDefinition) -> None:
    titles = [re.sub(r"\s*\(optional\)$", "", t) for t in reference_sections()]
    assert [s.title for s in form.sections] == titles


def test_information_asks_every_reference_question(form: FormDefinition) -> None:
    body = reference_sections()["Information"]
    questions = [
        line.strip().rstrip(":")
        for line in body.splitlines()
        if line.strip() and not line.startswith(("-", "("))
    ]
    assert len(questions) == 7
    asked = labels(form, "information")
    for question in questions:
        assert question in asked, question


def test_type_of_government_has_the_six_reference_options(form: FormDefinition) -> None:
    body = reference_sections()["Information"]
    options = [line[2:].strip() for line in body.splitlines() if line.startswith("- ")]
    field = form.field("lrg_type")
    assert [o.label for o in field.options] == options
    assert len(options) == 6
    other = form.field("lrg_type_other")
    assert (other.relevant_if.field, other.relevant_if.has) == ("lrg_type", "other")
    assert other.required


def test_head_of_government_title_suggests_the_reference_titles(form: FormDefinition) -> None:
    body = reference_sections()["Information"]
    examples = re.search(r"\(\*(.+?)\*\)", body).group(1)
    titles = [t.strip() for t in examples.split(";") if t.strip() != "etc"]
    assert list(form.field("head_title").suggestions) == titles
    assert form.field("head_name").required
    assert form.field("head_title").required


def test_mandate_focal_point_inhabitants_and_country_have_their_types(
    form: FormDefinition,
) -> None:
    assert form.field("mandate").type == "year_range"
    assert form.field("focal_point_name").required
    assert form.field("focal_point_email").type == "email"
    assert not form.field("focal_point_email").required
    assert form.field("focal_point_phone").type == "phone"
    assert not form.field("focal_point_phone").required
    assert form.field("inhabitants").type == "integer"
    assert form.field("inhabitants").minimum == 1
    assert form.field("country").type == "country"


def test_vision_has_the_reference_word_limit(form: FormDefinition) -> None:
    body = reference_sections()["Your vision as Human Rights City/Territory"]
    limit = int(re.search(r"\((\d+) words max\)", body).group(1))
    assert limit == 700
    vision = form.field("vision")
    assert (vision.type, vision.required, vision.max_words) == ("long_text", True, limit)
    question = " ".join(body.split("(")[0].split())
    assert vision.label == question


def test_areas_of_focus_are_the_19_reference_areas_plus_others(form: FormDefinition) -> None:
    body = reference_sections()["Main areas of focus"]
    areas = [a.strip().rstrip(":") for a in re.findall(r'checkbox"/>\s*([^|]+)', body)]
    assert len(areas) == 20
    field = form.field("areas_of_focus")
    assert sorted(o.label for o in field.options) == sorted(areas)
    assert len([o for o in field.options if o.id != "others"]) == 19
    assert field.min_selected == 1
    other = form.field("areas_of_focus_other")
    assert (other.relevant_if.field, other.relevant_if.has, other.required) == (
        "areas_of_focus",
        "others",
        True,
    )


def test_motivations_have_the_reference_word_range(form: FormDefinition) -> None:
    body = reference_sections()["Motivations to join the campaign"]
    low, high = map(int, re.search(r"\((\d+)-(\d+) words\)", body).groups())
    field = form.field("motivations")
    assert (field.min_words, field.max_words, field.required) == (low, high, True)
    assert (low, high) == (100, 200)


def test_local_actions_are_three_examples_of_fifty_words(form: FormDefinition) -> None:
    body = reference_sections()["Local laws, mechanisms, policies and programs (optional)"]
    count = int(re.search(r"List (\d) examples", body).group(1))
    per_example = int(re.search(r"\((\d+) words for each example", body).group(1))
    field = form.field("local_actions")
    assert not field.required
    assert field.max_items == count == 3
    items = {f.id: f for f in field.item_fields}
    assert items["description"].max_words == per_example == 50
    assert items["links"].type == "url_list"
    assert items["documents"].type == "attachments"
    assert set(items["documents"].accept) >= {"application/pdf", "image/png", "image/jpeg"}


def test_statement_text_is_the_reference_text_with_named_placeholders(
    form: FormDefinition,
) -> None:
    body = reference_sections()["Statement of commitment"]
    reference = body.split("Date")[0]
    reference = reference.replace("**NAME and POSITION**", "{signer_name}, {signer_position}")
    reference = reference.replace(
        "**city/territory of NAME**", "city/territory of {territory_name}"
    )
    statement = form.statement()

    def normal(text: str) -> str:
        # The reference writes "human rights' locally": a typo the signed text does not keep.
        return " ".join(text.replace("rights'", "rights").split())

    assert normal(statement.text) == normal(reference)
    assert set(statement.placeholders) == {"signer_name", "signer_position", "territory_name"}
    fields = {f.id: f for f in form.section("statement").fields}
    assert all(fields[target].required for target in statement.placeholders.values())
    assert fields[form.role("statement_date")].type == "date"
    assert "Date" in body

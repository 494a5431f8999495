"""Opening a draft of an older form version on a newer one, through the explicit migration."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.store.drafts import DraftsStore, FormVersionUnavailable
from schemas.forms import FORMS_DIR, FormRegistry
from schemas.migration import MigrationError, migrate, migration_path
from schemas.validation import validate
from tests.factories import complete_answers


def test_the_fixture_migration_renames_maps_and_sets_aside(
    two_version_registry: FormRegistry,
) -> None:
    answers = complete_answers() | {"lrg_type": "metropolis"}
    result = migrate(two_version_registry, "hrc-join", answers, "2022", "2099")
    assert result.path == ("2022", "2099")
    assert result.answers["focal_point"] == answers["focal_point_name"]
    assert "focal_point_name" not in result.answers
    assert result.answers["lrg_type"] == "metropolitan_area"
    assert result.set_aside == {"head_title": answers["head_title"]}
    newer = two_version_registry.get("hrc-join", "2099")
    assert validate(newer, result.answers).can_sign
    assert answers["lrg_type"] == "metropolis", "the input is not changed in place"


def test_no_path_backwards_or_to_an_unknown_version(two_version_registry: FormRegistry) -> None:
    with pytest.raises(MigrationError):
        migration_path(two_version_registry, "hrc-join", "2022", "2050")
    assert migration_path(two_version_registry, "hrc-join", "2022", "2022") == []


def test_a_version_without_a_migration_from_the_previous_one_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "forms" / "hrc-join"
    folder.mkdir(parents=True)
    fixture = Path(__file__).parent / "fixtures" / "forms" / "hrc-join" / "2099.json"
    text = fixture.read_text(encoding="utf-8").replace(
        '"from_version": "2022"', '"from_version": "1999"'
    )
    (folder / "2099.json").write_text(text, encoding="utf-8")
    registry = FormRegistry((FORMS_DIR, tmp_path / "forms"))
    with pytest.raises(MigrationError):
        migrate(registry, "hrc-join", {}, "2022", "2099")


def test_the_store_opens_an_old_draft_on_the_newest_version(
    tmp_path: Path, two_version_registry: FormRegistry
) -> None:
    old_store = DraftsStore.open(tmp_path)
    draft = old_store.create(complete_answers())
    assert draft.form_version == "2022"
    old_store.close()

    store = DraftsStore.open(tmp_path, registry=two_version_registry)
    try:
        assert store.get(draft.id).form_version == "2022", "merely reading does not migrate"
        opened = store.open_draft(draft.id)
        assert opened.form_version == "2099"
        assert opened.answers["focal_point"] == "Siti Rahmawati"
        assert opened.set_aside == {"head_title": "Bupati"}
        history = store.revisions(draft.id)
        assert [r.form_version for r in history[:2]] == ["2099", "2022"]
        assert store.revision_answers(history[1].id)["head_title"] == "Bupati"
        assert store.open_draft(draft.id) == store.get(draft.id), "a second open changes nothing"
        # Going back to the pre-migration revision migrates it again instead of mixing versions.
        store.restore_revision(draft.id, history[1].id)
        assert "focal_point_name" not in store.get(draft.id).answers
        assert store.list()[0].form_version == "2099"
    finally:
        store.close()


def test_a_draft_of_a_version_this_app_does_not_know_says_so(
    tmp_path: Path, two_version_registry: FormRegistry
) -> None:
    newer_store = DraftsStore.open(tmp_path, registry=two_version_registry)
    draft = newer_store.create({"lrg_name": "Quito"})
    newer_store.close()
    store = DraftsStore.open(tmp_path)
    try:
        with pytest.raises(FormVersionUnavailable) as raised:
            store.open_draft(draft.id)
        assert "2099" in str(raised.value)
        with pytest.raises(FormVersionUnavailable):
            store.save(draft.id, {"lrg_name": "Quito DM"})
        assert store.get(draft.id).answers == {"lrg_name": "Quito"}
    finally:
        store.close()

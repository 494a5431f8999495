"""Moving a draft's answers from an older form version to a newer one.

Field ids are stable across versions, so most answers carry over as they are; whatever changed
is said explicitly in the newer form's `migrations` list (rename, map an option, remove). An answer
the newer form no longer asks is set aside, never dropped: the drafts store keeps it beside the
draft so that a person can still read what was written.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from schemas.forms import FormDefinition, FormRegistry, Migration


class MigrationError(ValueError):
    """No explicit path leads from the draft's form version to the requested one."""


@dataclass(frozen=True)
class MigrationResult:
    """Answers for the newer version and the answers it has no place for."""

    answers: dict[str, Any]
    set_aside: dict[str, Any]
    path: tuple[str, ...]


def _apply(migration: Migration, answers: dict[str, Any], set_aside: dict[str, Any]) -> None:
    for step in migration.steps:
        if step.field not in answers:
            continue
        if step.op == "rename" and step.to is not None:
            answers[step.to] = answers.pop(step.field)
        elif step.op == "map_option":
            value = answers[step.field]
            if value == step.value_from:
                answers[step.field] = step.to
            elif isinstance(value, list):
                answers[step.field] = [step.to if v == step.value_from else v for v in value]
        elif step.op == "remove":
            set_aside[step.field] = answers.pop(step.field)


def migration_path(
    registry: FormRegistry, form_id: str, start: str, goal: str
) -> list[tuple[str, Migration]]:
    """The chain of explicit migrations from version `start` to version `goal`, by version."""
    versions = registry.versions(form_id)
    if start not in versions or goal not in versions:
        raise MigrationError(f"{form_id}: no version {start if start not in versions else goal}")
    chain: list[tuple[str, Migration]] = []
    current = start
    for version in versions[versions.index(start) + 1 : versions.index(goal) + 1]:
        form = registry.get(form_id, version)
        step = next((m for m in form.migrations if m.from_version == current), None)
        if step is None:
            raise MigrationError(f"{form_id} {version} says nothing of answers from {current}")
        chain.append((version, step))
        current = version
    return chain


def migrate(
    registry: FormRegistry, form_id: str, answers: Mapping[str, Any], start: str, goal: str
) -> MigrationResult:
    """Carry answers from one version to a newer one, following each explicit migration."""
    chain = migration_path(registry, form_id, start, goal)
    moved = copy.deepcopy(dict(answers))
    set_aside: dict[str, Any] = {}
    for _version, migration in chain:
        _apply(migration, moved, set_aside)
    target: FormDefinition = registry.get(form_id, goal)
    for key in [k for k in moved if not target.has_field(k)]:
        set_aside[key] = moved.pop(key)
    return MigrationResult(
        answers=moved, set_aside=set_aside, path=(start, *(version for version, _m in chain))
    )

"""The draft being edited: its answers as typed, their validation, and what is not saved yet.

Qt-free, so form logic is tested without a window. Widgets call `set_answer`; the session
re-validates and tells its listeners (plain callables), and the autosave asks it for a snapshot.
Each change bumps a generation number, so a save that finishes after newer typing does not mark
the newer typing as saved.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from typing import Any

from desktop.core.store.drafts import Draft, DraftsStore
from schemas.forms import FieldDef, FormDefinition, Section
from schemas.validation import ValidationReport, is_empty, is_relevant, validate

Listener = Callable[[], None]


class DraftSession:
    """One open draft, as the window edits it."""

    def __init__(self, store: DraftsStore, draft: Draft) -> None:
        self.store = store
        self.draft = draft
        self.form: FormDefinition = store.form_for(draft)
        self.answers: dict[str, Any] = copy.deepcopy(draft.answers)
        self.report: ValidationReport = validate(self.form, self.answers)
        self.generation = 0
        self.saved_generation = 0
        self.saved_at: str = draft.updated_at
        self._on_change: list[Listener] = []
        self._on_saved: list[Listener] = []

    @property
    def draft_id(self) -> str:
        """The id of the draft being edited."""
        return self.draft.id

    @property
    def dirty(self) -> bool:
        """Whether there is typing that is not saved yet."""
        return self.generation != self.saved_generation

    def on_change(self, listener: Listener) -> None:
        """Call `listener` after every change of an answer (validation is already updated)."""
        self._on_change.append(listener)

    def on_saved(self, listener: Listener) -> None:
        """Call `listener` after a save has been committed."""
        self._on_saved.append(listener)

    def answer(self, field_id: str) -> Any:
        """The current answer to a question (None when unanswered)."""
        return self.answers.get(field_id)

    def set_answer(self, field_id: str, value: Any) -> None:
        """Record an answer as the user gives it; blank answers are removed, not stored."""
        if is_empty(value):
            if field_id not in self.answers:
                return
            del self.answers[field_id]
        elif self.answers.get(field_id) == value:
            return
        else:
            self.answers[field_id] = copy.deepcopy(value)
        self.generation += 1
        self.report = validate(self.form, self.answers)
        for listener in list(self._on_change):
            listener()

    def is_relevant(self, fdef: FieldDef) -> bool:
        """Whether a question is asked, given the current answers."""
        return is_relevant(fdef, self.answers)

    def prefill(self, section: Section) -> None:
        """Fill empty questions that repeat another answer (the territory's name, say)."""
        for fdef in section.fields:
            source = fdef.prefill_from
            if (
                source
                and is_empty(self.answers.get(fdef.id))
                and not is_empty(self.answers.get(source))
            ):
                self.set_answer(fdef.id, self.answers[source])

    def snapshot(self) -> tuple[int, dict[str, Any]]:
        """A copy of the answers to save, with the generation it represents."""
        return self.generation, copy.deepcopy(self.answers)

    def mark_saved(self, generation: int, saved_at: str) -> None:
        """Record that the answers of `generation` are committed."""
        self.saved_generation = max(self.saved_generation, generation)
        self.saved_at = saved_at
        for listener in list(self._on_saved):
            listener()

    @property
    def language(self) -> str | None:
        """The language the answers are written in."""
        return self.draft.language

    def set_language(self, code: str) -> None:
        """Record the language the answers are written in (the interface is another matter)."""
        if code != self.draft.language:
            self.store.set_language(self.draft_id, code)
            self.draft = dataclasses.replace(self.draft, language=code)

    def statement_shown(self, code: str) -> None:
        """The statement has been shown in language `code`: the draft records it."""
        if code != self.draft.statement_language:
            self.store.record_statement_language(self.draft_id, code)
            self.draft = dataclasses.replace(self.draft, statement_language=code)

    def reload(self, draft: Draft) -> None:
        """Take the answers of a draft read again from the store (an earlier version restored)."""
        self.draft = draft
        self.answers = copy.deepcopy(draft.answers)
        self.report = validate(self.form, self.answers)
        self.generation += 1
        self.saved_generation = self.generation
        self.saved_at = draft.updated_at
        for listener in list(self._on_change):
            listener()

    def save_now(self) -> None:
        """Save synchronously (on close or before leaving the draft): a revision of its own."""
        generation, answers = self.snapshot()
        result = self.store.save(self.draft_id, answers, new_revision=True)
        self.mark_saved(generation, result.saved_at)

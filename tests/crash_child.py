"""Autosave a growing draft in an endless loop, for the crash-safety test to kill.

Run as ``python tests/crash_child.py DATA_DIR DRAFT_ID``. The draft's "vision" is the words
``w1 w2 ... wN``: each iteration appends ``w{N+1}`` and saves, and only after `save()` has
returned prints ``N+1`` on its own line (flushed). So every number printed is a save the store
said was committed, and the stored text itself tells which save it holds (its word count).
A killed child resumes from the stored text when started again.
"""

from __future__ import annotations

import sys
from pathlib import Path

from desktop.core.store.drafts import DraftsStore


def main(argv: list[str]) -> int:
    """Open the store and save forever; returns only on a usage error or a recovered store."""
    if len(argv) != 3:
        sys.stderr.write("usage: crash_child.py DATA_DIR DRAFT_ID\n")
        return 2
    data_dir, draft_id = Path(argv[1]), argv[2]
    store = DraftsStore.open(data_dir)
    if store.open_report.recovered:
        # The parent checks the file after every kill: a recovery here is a failure to report.
        sys.stderr.write(f"store was recovered on open: {store.open_report.reason}\n")
        return 3
    answers = dict(store.get(draft_id).answers)
    words = answers.get("vision", "").split()
    iteration = len(words)
    out = sys.stdout
    while True:
        iteration += 1
        words.append(f"w{iteration}")
        answers["vision"] = " ".join(words)
        store.save(draft_id, answers)
        out.write(f"{iteration}\n")
        out.flush()


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Answers that could not be saved when nobody could be asked (the system was shutting down).

The drafts file refused the last save (a full disk, a removed USB stick) just as the session
ended: the answers still in memory go to a file of their own in the data folder, in the form
`hrcities drafts import` reads, and the log says where. Nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sync.durable import write_atomically

RESCUE_FOLDER = "rescued"
log = logging.getLogger(__name__)


def rescue_answers(
    data_dir: Path, draft_id: str, answers: Mapping[str, Any], reason: object
) -> Path | None:
    """Write the answers beside the drafts file; the path, or None if that failed too."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = data_dir / RESCUE_FOLDER / f"draft-{draft_id}-{stamp}.json"
    data = json.dumps(dict(answers), ensure_ascii=False, indent=2).encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data)
    except OSError:
        log.exception("the unsaved answers of draft %s could not be rescued either", draft_id)
        return None
    log.error(
        "draft %s could not be saved (%s); its answers were kept in %s", draft_id, reason, path
    )
    return path

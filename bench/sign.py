"""Time to unlock the office key, and to sign and verify a full submission with three 5 MB files.

Run as ``python -m bench.sign`` (or `make bench`). Unlocking uses the real key-derivation
parameters (`sync.office_key.DEFAULT_KDF`), chosen so it takes 0.3 to 1 s on the project's
machine: slow enough to make guessing passphrases costly, quick enough for a person.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop.core.signing import sign_draft, verify_submission
from desktop.core.store.drafts import DraftsStore
from desktop.form.pdf_export import ensure_gui, form_pdf
from sync import office_key
from sync.signed_pdf import verify_signed_pdf
from tests.factories import complete_answers, tiny_png

RUNS = 5
ATTACHMENT_BYTES = 5 * 1024 * 1024
PASSPHRASE = "benchmark passphrase with several plain words"
PNG = tiny_png()


def timed(work) -> tuple[float, object]:
    start = time.perf_counter()
    result = work()
    return (time.perf_counter() - start) * 1000, result


def main() -> None:
    """Measure and print."""
    ensure_gui()
    kdf = office_key.DEFAULT_KDF
    _key, key_file = office_key.create_key("Benchmark office", PASSPHRASE)
    unlocks = [timed(lambda: office_key.unlock(key_file, PASSPHRASE))[0] for _ in range(RUNS)]
    key = office_key.unlock(key_file, PASSPHRASE)
    signing, verifying, pdf_checks = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        store = DraftsStore.open(Path(folder))
        try:
            for run in range(RUNS):
                answers = complete_answers()
                answers["local_actions"][0]["documents"] = [
                    store.add_attachment_bytes(
                        b"%PDF-1.7\n" + os.urandom(ATTACHMENT_BYTES - 9), f"annex-{run}-{n}.pdf"
                    )
                    for n in range(3)
                ]
                draft = store.create(answers)
                elapsed, submission = timed(
                    lambda draft=draft: sign_draft(store, draft.id, key, PNG, make_pdf=form_pdf)
                )
                signing.append(elapsed)
                elapsed, report = timed(lambda s=submission: verify_submission(store, s.envelope))
                assert report.ok
                verifying.append(elapsed)
                pdf = store.attachment_bytes(submission.signed_pdf)
                pdf_checks.append(timed(lambda pdf=pdf: verify_signed_pdf(pdf))[0])
        finally:
            store.close()
    print(f"date: {dt.date.today()}  machine: {platform.platform()}, {os.cpu_count()} cores")
    print(
        f"key derivation: Argon2id, {kdf.memory_cost // 1024} MiB, {kdf.iterations} passes, "
        f"{kdf.lanes} lanes"
    )
    median = statistics.median(unlocks)
    verdict = "met" if 300 <= median <= 1000 else "NOT met"
    print(f"unlock the office key: median {median:.0f} ms (target 300-1000 ms: {verdict})")
    print(
        f"sign a full submission with 3 x 5 MB attachments (envelope, self-check, signed PDF): "
        f"median {statistics.median(signing):.0f} ms, max {max(signing):.0f} ms"
    )
    print(
        f"verify it (signature, hashes of the 15 MB, answers): "
        f"median {statistics.median(verifying):.0f} ms"
    )
    print(f"verify the signed PDF: median {statistics.median(pdf_checks):.0f} ms")


if __name__ == "__main__":
    main()

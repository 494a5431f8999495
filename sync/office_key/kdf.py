"""The Argon2id parameters that protect the office key, and the bounds a key file must keep.

A key file records its own parameters, so a file can ask for anything. Below the floor, the key
would fall to guessing on an ordinary graphics card: the app never wrote such a file, and one is
refused rather than trusted (a thief could have swapped in a weakly wrapped copy of the public
part to learn the passphrase faster). Above the ceiling, trying one passphrase would take
gigabytes or minutes: that is an attack on the computer, or a file from elsewhere, and it is
refused before anything is allocated. Files between the floor and today's default (made by an
older app, or on a slower machine's advice) still open, and are re-wrapped with today's
parameters at their next unlock (`sync.office_key.storage.unlock_stored`).

The floor is the product's rule, for tests too: tests use keys at the floor, never below it.
"""

from __future__ import annotations

from dataclasses import dataclass

from i18n.translate import N_
from sync.office_key.errors import KeyFileTooCostly, KeyFileTooWeak, damaged

KIB_PER_MIB = 1024
# The floor: RFC 9106's second recommendation has 64 MiB; two passes, not one, so that no
# time-memory trade-off halves the work of a guess.
MIN_ITERATIONS = 2
MIN_MEMORY_COST = 64 * KIB_PER_MIB  # KiB
# The ceiling: what any computer the campaign meets can spend on one unlock, and no more.
MAX_ITERATIONS = 10
MAX_LANES = 16
MAX_MEMORY_COST = 2 * 1024 * KIB_PER_MIB  # KiB (2 GiB)


@dataclass(frozen=True)
class KdfParameters:
    """Argon2id cost parameters; `memory_cost` is in KiB, as RFC 9106 and `cryptography` count.

    Only parameters within the floor and the ceiling can be made (ValueError otherwise): the
    app never writes a key file it would refuse to read.
    """

    iterations: int
    lanes: int
    memory_cost: int

    def __post_init__(self) -> None:
        for name in ("iterations", "lanes", "memory_cost"):
            if type(getattr(self, name)) is not int:
                raise ValueError(f"{name} must be an int")
        if not MIN_ITERATIONS <= self.iterations <= MAX_ITERATIONS:
            raise ValueError(f"iterations must be {MIN_ITERATIONS} to {MAX_ITERATIONS}")
        if not 1 <= self.lanes <= MAX_LANES:
            raise ValueError(f"lanes must be 1 to {MAX_LANES}")
        if not MIN_MEMORY_COST <= self.memory_cost <= MAX_MEMORY_COST:
            raise ValueError(f"memory_cost must be {MIN_MEMORY_COST} to {MAX_MEMORY_COST} KiB")

    def weaker_than(self, other: KdfParameters) -> bool:
        """Whether a guess costs less here than with `other` in memory and passes, and no more
        in either: such a file is re-wrapped with `other`. (Lanes change how many cores one
        guess uses, not what it costs.)"""
        no_more = self.memory_cost <= other.memory_cost and self.iterations <= other.iterations
        return no_more and (self.memory_cost, self.iterations) != (
            other.memory_cost,
            other.iterations,
        )


# Measured on the 2-core reference machine (bench/sign.py reports it): unlocking takes about
# 0.7 s there, so an older PC stays within a couple of seconds, and 256 MiB per guess makes
# guessing on graphics cards slow.
DEFAULT_KDF = KdfParameters(iterations=3, lanes=4, memory_cost=256 * KIB_PER_MIB)
# The cheapest parameters the app accepts (about 0.13 s to unlock on the reference machine):
# what tests use, so that they exercise the product's own rule.
FLOOR_KDF = KdfParameters(iterations=MIN_ITERATIONS, lanes=1, memory_cost=MIN_MEMORY_COST)
TEST_KDF = FLOOR_KDF


def _whole_number(value: object, what: str) -> int:
    if type(value) is not int:
        raise damaged(f"{what}: not an integer")
    return value


def parameters_in_bounds(iterations: object, lanes: object, memory_cost: object) -> KdfParameters:
    """The parameters a key file names, refused with a message saying which bound they break.

    Raises KeyFileTooWeak (below the floor), KeyFileTooCostly (above the ceiling) or
    DamagedKeyFile (not whole numbers, or not valid Argon2id parameters at all).
    """
    passes = _whole_number(iterations, "kdf.iterations")
    threads = _whole_number(lanes, "kdf.lanes")
    memory = _whole_number(memory_cost, "kdf.memory_cost")
    if passes < 1 or threads < 1 or memory < 8 * threads:
        raise damaged("kdf: not valid Argon2id parameters")
    values = {
        # Two decimals at most: a test key's 8 KiB must not read as "0 MiB".
        "memory": f"{memory / KIB_PER_MIB:.2f}".rstrip("0").rstrip("."),
        "passes": passes,
        "lanes": threads,
    }
    if passes > MAX_ITERATIONS or memory > MAX_MEMORY_COST or threads > MAX_LANES:
        raise KeyFileTooCostly(
            _TOO_COSTLY,
            max_memory=MAX_MEMORY_COST // KIB_PER_MIB,
            max_passes=MAX_ITERATIONS,
            max_lanes=MAX_LANES,
            reason="kdf above the ceiling",
            **values,
        )
    if passes < MIN_ITERATIONS or memory < MIN_MEMORY_COST:
        raise KeyFileTooWeak(
            _TOO_WEAK,
            min_memory=MIN_MEMORY_COST // KIB_PER_MIB,
            min_passes=MIN_ITERATIONS,
            reason="kdf below the floor",
            **values,
        )
    return KdfParameters(iterations=passes, lanes=threads, memory_cost=memory)


def not_enough_memory(kdf: KdfParameters) -> KeyFileTooCostly:
    """The error when this computer could not give the memory an unlock needs."""
    return KeyFileTooCostly(
        N_(
            "This computer does not have the {memory} MiB of free memory needed to unlock the "
            "office key. Nothing was changed. Close other programs and try again, or unlock "
            "the key on another computer and change its passphrase there."
        ),
        memory=kdf.memory_cost // KIB_PER_MIB,
        reason="not enough memory",
    )


_TOO_WEAK = N_(
    "The office key file is protected too weakly to be trusted ({memory} MiB of memory and "
    "{passes} passes per passphrase tried; this app requires at least {min_memory} MiB and "
    "{min_passes} passes): it was not made by this app, or was made for tests. Nothing was "
    "changed. Restore the office key from its backup, or create a new office key."
)
_TOO_COSTLY = N_(
    "Unlocking this office key file would take {memory} MiB of memory, {passes} passes and "
    "{lanes} threads, more than this app asks of any computer (at most {max_memory} MiB, "
    "{max_passes} passes and {max_lanes} threads): it was not made by this app. Nothing was "
    "changed. Restore the office key from its backup."
)

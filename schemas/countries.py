"""The country codes a form accepts: ISO 3166-1 alpha-2, from the CLDR data babel ships.

CLDR also lists codes that are not countries (EU, UN, pseudo-locales) and exceptionally reserved
ones (Ascension Island, Canary Islands...); those are left out. Kosovo's user-assigned XK stays,
because its municipalities use it and the UN system does too.
"""

from __future__ import annotations

from functools import cache

from babel import Locale

NOT_ISO_3166_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
)


@cache
def country_codes() -> frozenset[str]:
    """Every accepted country code."""
    return frozenset(
        code
        for code in Locale("en").territories
        if len(code) == 2 and code.isalpha() and code not in NOT_ISO_3166_COUNTRIES
    )


def is_country_code(value: object) -> bool:
    """Whether `value` is an accepted country code (upper case, as stored in answers)."""
    return isinstance(value, str) and value in country_codes()

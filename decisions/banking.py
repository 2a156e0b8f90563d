"""Swedish banking days: weekdays that are neither public holidays nor the de facto bank holidays
(midsummer eve, Christmas eve, New Year's eve), from the ``holidays`` package."""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.utils.translation import get_language


@lru_cache(maxsize=64)
def _bank_holidays(year: int, language: str = "sv") -> holidays.HolidayBase:
    return holidays.SE(
        years=year,
        include_sundays=False,
        categories=("public", "de_facto"),
        language="en_US" if language == "en" else "sv",
    )


def is_banking_day(day: date) -> bool:
    """Return whether Swedish banks execute payments on ``day``."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def holiday_name(day: date) -> str | None:
    """Return the name of the holiday on ``day`` in the active language, if any."""
    return _bank_holidays(day.year, get_language() or "sv").get(day)


def next_banking_day(day: date) -> date:
    """Return ``day`` if it is a banking day, else the first banking day after it."""
    while not is_banking_day(day):
        day += timedelta(days=1)
    return day

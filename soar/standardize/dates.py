"""Dates of birth, full or partial, parsed once per distinct value."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date that may lack its day or month; `iso` keeps what is known (`1980-07`)."""

    year: int
    month: int | None
    day: int | None

    @property
    def iso(self) -> str:
        """`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, zero-padded."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    @property
    def is_full(self) -> bool:
        return self.month is not None and self.day is not None

    @property
    def is_valid_calendar_date(self) -> bool:
        """True for a full date that exists (not 1980-02-30); typos produce such dates."""
        if self.month is None or self.day is None:
            return False
        try:
            date(self.year, self.month, self.day)
        except ValueError:
            return False
        return True


@lru_cache(maxsize=100_000)
def parse_date(text: str | None) -> PartialDate | None:
    """Parse `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, `YYYYMMDD` or US `MM/DD/YYYY`; else None.

    An impossible date with plausible parts (`1980-02-30`, a typo) is kept, not dropped:
    its digits still agree with the true date in all but one place.

    >>> parse_date("1980-7").iso
    '1980-07'
    """
    if text is None:
        return None
    value = text.strip()
    year: str | None
    month: str | None
    day: str | None
    if (m := _ISO.match(value)) or (m := _COMPACT.match(value)):
        year, month, day = m.group(1), m.group(2), m.group(3)
    elif m := _US.match(value):
        month, day, year = m.group(1), m.group(2), m.group(3)
    else:
        return None
    y = int(year)
    mo = int(month) if month else None
    d = int(day) if day else None
    if mo is not None and not 1 <= mo <= 12:
        return None
    if d is not None and not 1 <= d <= 31:
        return None
    return PartialDate(y, mo, d)

"""Record-level noise: the ways real extracts misspell, reorder and lose what is true.

Each kind of noise has a stated rate among the records it can apply to (its eligible
records). `NoiseLog` keeps, per kind, which records were eligible and which were hit, so the
realised rates can be reported and tested against the stated ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from soar.synth.tables import StrArray, strings

BoolArray = npt.NDArray[np.bool_]

#: Stated rates, each among the records where the noise is possible (see README.txt).
RATES: dict[str, float] = {
    "transliteration": 0.30,  # a name with romanisation variants is written in another one
    "accented": 0.30,  # UTF-8 sources: a name with diacritics keeps them (NGUYỄN, MUÑOZ)
    "nickname": 0.06,  # a given name with a nickname appears as the nickname
    "middle_initial": 0.15,  # a middle name is cut to its initial
    "middle_missing": 0.15,  # a middle name is left out
    "swapped_order": 0.04,  # given and family name exchanged (Vietnamese/Chinese: x3)
    "typo": 0.05,  # one keyboard slip in the given or family name
    "alias_primary": 0.12,  # registry: the record's name is an alias, the true name an AKA
    "dob_day_month_swap": 0.02,  # among dates whose day is 12 or less and differs from month
    "dob_off_by_one": 0.02,
    "dob_year_digit": 0.015,  # the last digit of the year is wrong
    "dob_missing": 0.01,
    "dob_sentinel": 0.005,  # written as 1900-01-01 (canonical: empty)
    "sex_missing": 0.02,
    "moved_address": 0.25,  # the record holds an older address than the person's current one
    "identifier_typo": 0.01,  # one digit of an A-number or FBI number is wrong
    "ssn_sentinel": 0.03,  # written as 000000000 (canonical: empty)
    "country_sentinel": 0.03,  # birth country written UNKNOWN (canonical: empty)
    "stale_status": 0.15,  # a naturalized person's A-file still says lpr, no naturalization
}

#: What each kind of noise does, for README.txt (including the layout-driven kinds).
NOISE_MEANING: dict[str, str] = {
    "transliteration": "a name with romanisation variants written in another one "
    "(MOHAMMED/MUHAMMAD, ZHANG/CHANG)",
    "accented": "a name with diacritics keeps them (NGUYỄN, MUÑOZ); Latin-1 files: Spanish only",
    "nickname": "a given name appears as its nickname (WILLIAM/BILL, FRANCISCO/PACO)",
    "middle_initial": "a middle name cut to its initial",
    "middle_missing": "a middle name left out",
    "swapped_order": "given and family names exchanged (x3 for Vietnamese and Chinese names)",
    "typo": "one keyboard slip in the given or the family name",
    "alias_primary": "registry: an alias is the record's name; the true name is listed as an AKA",
    "second_surname_dropped": "a Hispanic maternal surname dropped, or only the maternal kept",
    "surnames_merged": "paternal and maternal surnames in one field, with a space or a hyphen",
    "dob_day_month_swap": "day and month exchanged (among dates whose day is 12 or less "
    "and differs from the month)",
    "dob_off_by_one": "birth date one day off",
    "dob_year_digit": "the last digit of the birth year wrong",
    "dob_missing": "birth date left empty",
    "dob_sentinel": "birth date written as 1900-01-01 (canonical copy: empty)",
    "sex_missing": "sex left empty",
    "moved_address": "an older address than the person's current one",
    "identifier_typo": "one digit of an A-number or FBI number wrong",
    "ssn_sentinel": "SSN written as 000000000 (canonical copy: empty)",
    "country_sentinel": "birth country written UNKNOWN (canonical copy: empty)",
    "stale_status": "a naturalized person's A-file still says lpr, no naturalization date",
}

#: How often each origin's records swap given and family names, relative to the base rate.
SWAP_FACTOR: dict[str, float] = {"vietnamese": 3.0, "chinese": 3.0}

#: Ways a record writes a Hispanic paternal + maternal surname; split needs its own column.
SURNAME_FORMS: tuple[str, ...] = ("split", "merged", "hyphen", "dropped", "maternal_only")


@dataclass
class NoiseLog:
    """Per kind of noise: which records could have it and which got it."""

    size: int
    eligible: dict[str, BoolArray] = field(default_factory=dict)
    applied: dict[str, BoolArray] = field(default_factory=dict)

    def draw(
        self, kind: str, eligible: BoolArray, rng: np.random.Generator, scale: Any = 1.0
    ) -> BoolArray:
        """Decide which eligible records get `kind`, at its stated rate times `scale`."""
        hit = eligible & (rng.random(self.size) < RATES[kind] * np.asarray(scale))
        self.record(kind, eligible, hit)
        return hit

    def record(self, kind: str, eligible: BoolArray, hit: BoolArray) -> None:
        self.eligible[kind] = self.eligible.get(kind, np.zeros(self.size, bool)) | eligible
        self.applied[kind] = self.applied.get(kind, np.zeros(self.size, bool)) | hit

    def labels(self) -> StrArray:
        """Per record, the kinds of noise it carries, joined by `;` (empty when clean)."""
        out = strings([""] * self.size)
        for kind in sorted(self.applied):
            hit = self.applied[kind]
            sep = np.where(out[hit] == "", "", ";")
            out[hit] = np.strings.add(np.strings.add(out[hit], sep), kind)
        return out


ALPHABET = strings(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
DIGITS = strings(list("0123456789"))


def typo(text: StrArray, rng: np.random.Generator) -> StrArray:
    """One keyboard slip per string: substitute, delete, insert or transpose a letter."""
    size = text.size
    length = np.strings.str_len(text)
    pos = (rng.random(size) * np.maximum(length, 1)).astype(np.int64)
    op = rng.integers(0, 4, size)
    letter = ALPHABET[rng.integers(0, ALPHABET.size, size)]
    head = np.strings.slice(text, 0, pos)
    tail_after = np.strings.slice(text, pos + 1, length)
    tail_at = np.strings.slice(text, pos, length)
    here = np.strings.slice(text, pos, pos + 1)
    after = np.strings.slice(text, pos + 1, pos + 2)
    tail_after2 = np.strings.slice(text, pos + 2, length)
    # A substitution must change the letter: replace with the next one when it would not.
    letter = np.where(letter == here, ALPHABET[(rng.integers(1, 26, size))], letter)
    out = np.where(op == 0, np.strings.add(np.strings.add(head, letter), tail_after), text)
    out = np.where((op == 1) & (length > 3), np.strings.add(head, tail_after), out)
    out = np.where(op == 2, np.strings.add(np.strings.add(head, letter), tail_at), out)
    swap = (op == 3) & (pos + 1 < length) & (here != after)
    swapped = np.strings.add(np.strings.add(np.strings.add(head, after), here), tail_after2)
    out = np.where(swap, swapped, out)
    # Whatever op could not change the string (short names, equal neighbours) substitutes.
    unchanged = out == text
    out[unchanged] = np.strings.add(
        np.strings.add(head[unchanged], letter[unchanged]), tail_after[unchanged]
    )
    return out.astype(np.dtypes.StringDType())


def digit_typo(text: StrArray, rng: np.random.Generator, skip: int = 0) -> StrArray:
    """Change one digit of each identifier, leaving the first `skip` characters alone."""
    size = text.size
    length = np.strings.str_len(text)
    pos = skip + (rng.random(size) * np.maximum(length - skip, 1)).astype(np.int64)
    here = np.strings.slice(text, pos, pos + 1)
    digit = DIGITS[rng.integers(0, 10, size)]
    digit = np.where(digit == here, DIGITS[(np.searchsorted(DIGITS, digit) + 1) % 10], digit)
    return np.strings.add(
        np.strings.add(np.strings.slice(text, 0, pos), digit),
        np.strings.slice(text, pos + 1, length),
    ).astype(np.dtypes.StringDType())


def initial(text: StrArray) -> StrArray:
    return np.strings.slice(text, 0, 1).astype(np.dtypes.StringDType())

"""What the linked records say about one person, as of a date: the facts policies read.

Removability is judged here, once, from status, orders and classified convictions; a policy
only decides what to do about it. Citizenship is not a fact a policy sees: the safeguards
stop such a person before any policy runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from soar.policy.offenses import Classification, OffenseCategory

#: Statuses that are removable by themselves: no lawful admission, or no status left.
REMOVABLE_STATUSES = frozenset({"ewi", "overstay", "unknown"})


@dataclass(frozen=True)
class Offense:
    """One offense with its proposed classification."""

    statute: str
    description: str
    disposition: str
    classification: Classification
    offense_date: dt.date | None = None
    conviction_date: dt.date | None = None
    victim_age: int | None = None
    sentence_months: int | None = None


@dataclass(frozen=True)
class PersonFacts:
    """The facts of one lead, as of `as_of`."""

    as_of: dt.date
    immigration_status: str | None
    removal_order: str | None = None
    prior_removals: int = 0
    status_date: dt.date | None = None
    dob: dt.date | None = None
    offenses: tuple[Offense, ...] = field(default_factory=tuple)

    @property
    def convictions(self) -> tuple[Offense, ...]:
        return tuple(o for o in self.offenses if o.classification.conviction)

    @property
    def aggravated_felonies(self) -> tuple[Offense, ...]:
        return tuple(o for o in self.convictions if o.classification.aggravated_felony)

    @property
    def age(self) -> int | None:
        if self.dob is None:
            return None
        before_birthday = (self.as_of.month, self.as_of.day) < (self.dob.month, self.dob.day)
        return self.as_of.year - self.dob.year - before_birthday

    def removability(self) -> tuple[bool, list[str]]:
        """Whether the records show the person removable, with each ground found."""
        grounds = []
        if self.immigration_status in REMOVABLE_STATUSES:
            grounds.append(
                f"immigration status {self.immigration_status}: no lawful status on record"
            )
        if self.removal_order in ("final", "pending"):
            grounds.append(f"removal order {self.removal_order}")
        if self.prior_removals > 0:
            grounds.append(f"{self.prior_removals} prior removal(s) and present again")
        for offense in self.convictions:
            ground = offense.classification.removal_ground
            if ground:
                grounds.append(f"conviction under {offense.statute}: {ground}")
        return bool(grounds), grounds

    def years_since_last_offense(self) -> float | None:
        dates = [o.offense_date or o.conviction_date for o in self.offenses]
        known = [d for d in dates if d]
        return (self.as_of - max(known)).days / 365.25 if known else None

    def years_in_us(self) -> float | None:
        return (self.as_of - self.status_date).days / 365.25 if self.status_date else None

    def victim_minor(self) -> bool:
        minor_categories = {OffenseCategory.SEXUAL_ABUSE_MINOR, OffenseCategory.CHILD_PORNOGRAPHY}
        return any(
            (o.victim_age is not None and o.victim_age < 18)
            or o.classification.category in minor_categories
            for o in self.convictions
        )

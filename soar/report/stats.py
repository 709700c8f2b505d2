"""The figures an operation reports, computed from the case store in a few queries.

Arrests to date (cumulative, "N arrests as of DATE"), by offense category, field office and
country of citizenship; convicted vs charged; detainers and their outcomes; the funnel from
leads to removals; match-review figures. Every figure can be scoped to one field office,
so a field officer's dashboard shows only their own area (DESIGN.md roles).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from soar.cases.models import Arrest, Case, Detainer, LeadSnapshot, Transition, User
from soar.cases.service import FUNNEL_STATES

# Dispositions that count as a conviction for "convicted vs charged" (DOMAIN.md).
CONVICTED = "convicted"
CHARGED = ("charged", "pending")
# Where citizenship review ends when the question is settled in the person's favour of action.
CITIZENSHIP_CLEARED_TO = ("priority_assessed", "in_review")


@dataclass(frozen=True)
class ReviewLabel:
    """One reviewer decision on a candidate pair: a label for evaluating the model."""

    case_id: int
    registry_record_id: str
    immigration_record_id: str
    match: bool
    match_probability: float
    reviewer: str
    decided_at: datetime
    reason: str


@dataclass
class OperationStats:
    """Every figure of the dashboard; `as_dict()` is the JSON API's shape."""

    as_of: date
    field_office: str | None
    arrests: int = 0
    arrests_targeted: int = 0
    arrests_collateral: int = 0
    cumulative_arrests: list[tuple[date, int]] = field(default_factory=list)
    by_offense_category: dict[str, int] = field(default_factory=dict)
    by_field_office: dict[str, int] = field(default_factory=dict)
    by_country: dict[str, int] = field(default_factory=dict)
    convicted_vs_charged: dict[str, int] = field(default_factory=dict)
    detainers_issued: int = 0
    detainer_outcomes: dict[str, int] = field(default_factory=dict)
    removals: int = 0
    funnel: dict[str, int] = field(default_factory=dict)
    reviews: dict[str, int] = field(default_factory=dict)

    @property
    def headline(self) -> str:
        """The figure leadership quotes: "N arrests as of DATE"."""
        noun = "arrest" if self.arrests == 1 else "arrests"
        return f"{self.arrests:,} {noun} as of {self.as_of.isoformat()}"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        data["cumulative_arrests"] = [
            {"date": day.isoformat(), "arrests": count} for day, count in self.cumulative_arrests
        ]
        data["headline"] = self.headline
        return data


QueryT = TypeVar("QueryT", bound="Select[*tuple[Any, ...]]")


def _scoped(query: QueryT, field_office: str | None) -> QueryT:
    return query if field_office is None else query.where(Case.field_office == field_office)


def _newest_leads(session: Session, case_ids: set[int]) -> dict[int, dict[str, Any]]:
    """The newest lead snapshot of each case, read 500 cases at a time."""
    ids = sorted(case_ids)
    leads: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        newest = (
            select(func.max(LeadSnapshot.id))
            .where(LeadSnapshot.case_id.in_(chunk))
            .group_by(LeadSnapshot.case_id)
        )
        for case_id, lead in session.execute(
            select(LeadSnapshot.case_id, LeadSnapshot.lead).where(LeadSnapshot.id.in_(newest))
        ):
            leads[case_id] = lead
    return leads


def offense_category(lead: dict[str, Any]) -> str:
    """The category an arrest is counted under: the first convicted offense's, else the
    first offense's, else "no offense on record"."""
    offenses = [o for o in lead.get("offenses", []) if isinstance(o, dict)]
    convicted = [o for o in offenses if o.get("disposition") == CONVICTED]
    chosen = (convicted or offenses or [{}])[0]
    return str(chosen.get("category") or "no offense on record")


def conviction_status(lead: dict[str, Any]) -> str:
    """ "convicted" when any offense is a conviction, "charged" when only charges are
    pending; charged is not convicted (DOMAIN.md)."""
    dispositions = {o.get("disposition") for o in lead.get("offenses", []) if isinstance(o, dict)}
    if CONVICTED in dispositions:
        return "convicted"
    if dispositions & set(CHARGED):
        return "charged"
    return "no offense on record"


def _count(counter: Counter[str]) -> dict[str, int]:
    """Largest first, then by name, so tables and charts read the same every time."""
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def funnel(session: Session, field_office: str | None = None) -> dict[str, int]:
    """Leads, then the cases that ever reached each stage (as `service.funnel`), scoped."""
    counts = {
        "leads": session.scalar(_scoped(select(func.count()).select_from(Case), field_office)) or 0
    }
    # A Result has keys(), so dict() would read it as a mapping: go through its rows.
    reached: dict[str, int] = dict(
        session.execute(
            _scoped(
                select(Transition.to_state, func.count(func.distinct(Transition.case_id)))
                .join(Case, Case.id == Transition.case_id)
                .where(Transition.to_state.in_(FUNNEL_STATES))
                .group_by(Transition.to_state),
                field_office,
            )
        ).all()
    )
    for state in FUNNEL_STATES:
        counts[state] = int(reached.get(state, 0))
    return counts


def review_figures(session: Session, field_office: str | None = None) -> dict[str, int]:
    """Matches confirmed and rejected; citizenship reviews opened, cleared, confirmed."""
    rows = session.execute(
        _scoped(
            select(Transition.from_state, Transition.to_state, func.count())
            .join(Case, Case.id == Transition.case_id)
            .group_by(Transition.from_state, Transition.to_state),
            field_office,
        )
    )
    figures = Counter[str]()
    for from_state, to_state, count in rows:
        if to_state == "match_confirmed":
            figures["matches_confirmed"] += count
        elif to_state == "match_rejected":
            figures["matches_rejected"] += count
        elif to_state == "citizenship_review":
            figures["citizenship_reviews_opened"] += count
        elif to_state == "citizenship_confirmed":
            figures["citizenship_confirmed"] += count
        if from_state == "citizenship_review" and to_state in CITIZENSHIP_CLEARED_TO:
            figures["citizenship_reviews_cleared"] += count
    waiting = session.scalar(
        _scoped(
            select(func.count()).select_from(Case).where(Case.state == "candidate"), field_office
        )
    )
    names = (
        "matches_confirmed",
        "matches_rejected",
        "citizenship_reviews_opened",
        "citizenship_reviews_cleared",
        "citizenship_confirmed",
    )
    return {**{name: figures[name] for name in names}, "awaiting_review": int(waiting or 0)}


def operation_stats(
    session: Session, *, as_of: date | None = None, field_office: str | None = None
) -> OperationStats:
    """Every dashboard figure, as of `as_of` (default today), for one field office or all."""
    day = as_of or date.today()
    stats = OperationStats(as_of=day, field_office=field_office)
    arrests = session.execute(
        _scoped(
            select(
                Arrest.case_id,
                Arrest.arrested_on,
                Arrest.field_office,
                Arrest.targeted,
                Case.country_of_citizenship,
            )
            .join(Case, Case.id == Arrest.case_id)
            .where(Arrest.arrested_on <= day)
            .order_by(Arrest.arrested_on, Arrest.id),
            field_office,
        )
    ).all()
    leads = _newest_leads(session, {row.case_id for row in arrests})
    per_day = Counter[date]()
    by_category, by_office, by_country, convicted = (Counter[str]() for _ in range(4))
    for row in arrests:
        lead = leads.get(row.case_id, {})
        per_day[row.arrested_on] += 1
        by_office[row.field_office] += 1
        by_country[row.country_of_citizenship or "unknown"] += 1
        by_category[offense_category(lead)] += 1
        convicted[conviction_status(lead)] += 1
        if row.targeted:
            stats.arrests_targeted += 1
        else:
            stats.arrests_collateral += 1
    stats.arrests = len(arrests)
    running = 0
    for day_of_arrest in sorted(per_day):
        running += per_day[day_of_arrest]
        stats.cumulative_arrests.append((day_of_arrest, running))
    stats.by_offense_category = _count(by_category)
    stats.by_field_office = _count(by_office)
    stats.by_country = _count(by_country)
    stats.convicted_vs_charged = _count(convicted)
    outcomes = session.execute(
        _scoped(
            select(Detainer.outcome, func.count())
            .join(Case, Case.id == Detainer.case_id)
            .group_by(Detainer.outcome),
            field_office,
        )
    )
    outcome_counts = Counter[str]()
    for outcome, count in outcomes:
        outcome_counts[outcome or "open"] += count
    stats.detainer_outcomes = _count(outcome_counts)
    stats.detainers_issued = sum(outcome_counts.values())
    stats.funnel = funnel(session, field_office)
    stats.removals = stats.funnel.get("removed", 0)
    stats.reviews = review_figures(session, field_office)
    return stats


def review_labels(
    session: Session, *, offset: int = 0, limit: int | None = None
) -> list[ReviewLabel]:
    """Every match decision a person made (confirm = 1, reject = 0), oldest first.

    The labels live where the decisions already are, the case transitions (audited,
    never edited), so no second copy can drift; export them with `labels_csv`.
    """
    query = (
        select(Transition, Case.registry_record_id, Case.immigration_record_id)
        .join(Case, Case.id == Transition.case_id)
        .join(User, User.id == Transition.actor_id)
        .where(Transition.to_state.in_(("match_confirmed", "match_rejected")))
        .order_by(Transition.id)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    labels = []
    for step, registry_id, immigration_id in session.execute(query):
        probability = _probability_at(session, step)
        labels.append(
            ReviewLabel(
                case_id=step.case_id,
                registry_record_id=registry_id,
                immigration_record_id=immigration_id,
                match=step.to_state == "match_confirmed",
                match_probability=probability,
                reviewer=step.actor_name,
                decided_at=step.at,
                reason=step.reason,
            )
        )
    return labels


def _probability_at(session: Session, step: Transition) -> float:
    """The match probability of the lead the reviewer saw (the newest snapshot before)."""
    lead = session.scalar(
        select(LeadSnapshot.lead)
        .where(LeadSnapshot.case_id == step.case_id, LeadSnapshot.imported_at <= step.at)
        .order_by(LeadSnapshot.id.desc())
        .limit(1)
    )
    if isinstance(lead, dict):
        return float(lead.get("match_probability", 0.0))
    return 0.0


def review_label_count(session: Session) -> int:
    """How many match decisions people have made (the labels `review_labels` pages over)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Transition)
            .where(
                Transition.to_state.in_(("match_confirmed", "match_rejected")),
                Transition.actor_id.is_not(None),
            )
        )
        or 0
    )


LABEL_COLUMNS = (
    "case_id",
    "registry_record_id",
    "immigration_record_id",
    "match",
    "match_probability",
    "reviewer",
    "decided_at",
    "reason",
)


def labels_csv(labels: list[ReviewLabel]) -> str:
    """The labels as CSV (`match` is 1 or 0), for `soar evaluate`-style scoring."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LABEL_COLUMNS)
    for label in labels:
        writer.writerow(
            [
                label.case_id,
                label.registry_record_id,
                label.immigration_record_id,
                1 if label.match else 0,
                f"{label.match_probability:.6f}",
                label.reviewer,
                label.decided_at.isoformat(),
                label.reason,
            ]
        )
    return buffer.getvalue()

"""The state one linkage run carries from step to step, and the knobs a caller may turn."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from soar.linkage.blocking_rules import BlockingRule
from soar.linkage.comparisons import Comparison
from soar.linkage.engines.base import Engine
from soar.linkage.model import Model

#: `report(done, total, description)`, as the CLI's progress bar takes it.
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class Settings:
    """Tuning that rarely needs changing; defaults are measured on FEBRL and synthetic data."""

    seed: int = 42
    #: Random pairs for u; None scales with the inputs (10 per record, 50k to 100k). On
    #: FEBRL4 and 20,000 synthetic persons 50k, 100k and 200k pairs gave the same F1 to
    #: within the spread between two seeds of one size; at 200,000 persons 100k pairs
    #: scored as 250k did (F1 at 0.5 0.9645 to 0.9648 against 0.9648, precision 0.9825 to
    #: 0.9842 over seeds 42, 3 and 7) in 0.45 s less.
    u_random_pairs: int | None = None
    #: A blocking rule estimated above this many pairs triggers a warning.
    warn_rule_pairs: int = 50_000_000
    #: A single block (one key value) above this many pairs is skipped, with a warning:
    #: such a block is a sentinel value or a very common name, not a useful candidate set.
    max_block_pairs: int = 5_000_000
    #: EM training passes sample down to this many pairs: patterns, not pairs, drive EM,
    #: and 100,000 pairs hold a thousand matches even in a pass where 1% match. At 200,000
    #: persons 100k and 150k scored as 300k did: F1 at 0.5 within 0.0005, precision
    #: within the spread between seeds (0.980 to 0.983 for 300k with seeds 3, 7 and 42).
    max_training_pairs: int = 100_000
    em_max_iterations: int = 200
    em_tolerance: float = 1e-7
    #: Re-estimate u inside each training block (see `em.expectation_maximisation`).
    em_estimate_u: bool = True


@dataclass(slots=True)
class RuleReport:
    """Pairs a blocking rule produced, and how many of them no earlier rule had produced."""

    rule: str
    description: str
    pairs: int
    new_pairs: int


@dataclass(slots=True)
class LinkJob:
    """Inputs, settings and everything the steps produce, in one place."""

    engine: Engine
    #: Local files as `Path`; a URI (`hdfs://`, `s3a://`) as text, for Spark.
    left: Path | str
    right: Path | str | None
    settings: Settings = field(default_factory=Settings)
    threshold: float = 0.5
    one_to_one: bool = False
    model: Model | None = None
    progress: Progress | None = None
    #: Keep the loaded input tables (`raw_l`, `raw_r`) after standardising: explain shows
    #: the values as the files gave them.
    keep_raw: bool = False
    # Filled in by the steps.
    fields: frozenset[str] = frozenset()
    comparisons: tuple[Comparison, ...] = ()
    rules: tuple[BlockingRule, ...] = ()
    left_count: int = 0
    right_count: int = 0
    candidate_pairs: int = 0
    blocking_report: list[RuleReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def is_dedupe(self) -> bool:
        return self.right is None

    @property
    def total_pairs(self) -> int:
        """Pairs a full comparison would make: the denominator of the prior."""
        if self.is_dedupe:
            return self.left_count * (self.left_count - 1) // 2
        return self.left_count * self.right_count

    @property
    def u_sample_size(self) -> int:
        """Random pairs to draw for u."""
        if self.settings.u_random_pairs is not None:
            return self.settings.u_random_pairs
        per_side = (self.left_count + self.right_count) // 2
        return max(50_000, min(100_000, 10 * per_side))

    def report(self, done: int, total: int, description: str) -> None:
        if self.progress is not None:
            self.progress(done, total, description)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

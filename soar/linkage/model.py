"""The trained model: m and u per comparison level, the prior, and how they were learned.

Saved as JSON a reviewer can read: each level carries its label, m, u and match weight, and
every guard-rail correction is written down in `adjustments`.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from soar.errors import InputError
from soar.linkage.comparisons import Comparison, LevelKind
from soar.linkage.tables import atomic_path

#: Bump when the JSON layout or the meaning of a level changes; older files are refused.
SCHEMA = "soar.linkage.model/1"


@dataclass(slots=True)
class LevelParameters:
    """m = P(level | same person), u = P(level | different people); weight = log2(m/u)."""

    label: str
    kind: str
    m: float | None
    u: float | None

    @property
    def weight(self) -> float:
        """Partial match weight in bits; 0 for the missing level and untrained levels."""
        if self.kind == LevelKind.MISSING or not self.m or not self.u:
            return 0.0
        return math.log2(self.m / self.u)


@dataclass(slots=True)
class ComparisonParameters:
    """The learned parameters of one comparison, in level order."""

    name: str
    description: str
    levels: list[LevelParameters]
    trained_in: list[str] = field(default_factory=list)

    def weights(self) -> list[float]:
        return [level.weight for level in self.levels]


@dataclass(slots=True)
class TrainingPass:
    """One EM pass: the blocking rule that made its pairs and what EM found there."""

    rule: str
    pairs: int
    patterns: int
    proportion_matching: float
    iterations: int
    converged: bool
    trained: list[str]


@dataclass(slots=True)
class Model:
    """A Fellegi-Sunter model for person records, as saved to and loaded from JSON."""

    link_type: str
    prior: float
    comparisons: list[ComparisonParameters]
    prior_source: str = "estimated by EM over all candidate pairs"
    expected_matches: float = 0.0
    u_random_pairs: int = 0
    seed: int = 0
    training_passes: list[TrainingPass] = field(default_factory=list)
    adjustments: list[str] = field(default_factory=list)
    inputs: dict[str, str | None] = field(default_factory=dict)
    schema: str = SCHEMA

    @property
    def prior_weight(self) -> float:
        """log2 of the prior odds: the match weight of a pair before any evidence."""
        return math.log2(self.prior / (1.0 - self.prior))

    def parameters(self, name: str) -> ComparisonParameters:
        for params in self.comparisons:
            if params.name == name:
                return params
        raise KeyError(name)

    def check_against(self, comparisons: tuple[Comparison, ...], source: str) -> None:
        """Refuse a model whose levels are not those of the comparisons this version runs."""
        known = {c.name: c for c in comparisons}
        for params in self.comparisons:
            comparison = known.get(params.name)
            if comparison is None:
                raise InputError(
                    f"{source}: the model compares '{params.name}', which this version of "
                    "SOAR does not know; retrain the model with `soar match --save-model`"
                )
            labels = [level.label for level in comparison.levels]
            if labels != [level.label for level in params.levels]:
                raise InputError(
                    f"{source}: the levels of comparison '{params.name}' differ from this "
                    "version's; retrain the model with `soar match --save-model`"
                )

    def to_json(self) -> str:
        data = asdict(self)
        data = {"schema": data.pop("schema"), **data}
        data["prior_match_weight"] = round(self.prior_weight, 4)
        for params, saved in zip(self.comparisons, data["comparisons"], strict=True):
            for level, saved_level in zip(params.levels, saved["levels"], strict=True):
                saved_level["match_weight"] = round(level.weight, 4)
        return json.dumps(data, indent=2) + "\n"

    def save(self, path: Path) -> None:
        """Write the model atomically (temp file, then rename)."""
        with atomic_path(path) as temp:
            temp.write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def from_json(cls, text: str, source: str = "model") -> Model:
        try:
            data: dict[str, Any] = json.loads(text)
        except json.JSONDecodeError as error:
            raise InputError(
                f"{source}: not a JSON model file (line {error.lineno}: {error.msg})"
            ) from error
        schema = data.get("schema") if isinstance(data, dict) else None
        if schema != SCHEMA:
            raise InputError(
                f"{source}: model schema is {schema!r}, this version of SOAR reads {SCHEMA!r}; "
                "retrain with `soar match --save-model` or use the SOAR version that wrote it"
            )
        try:
            comparisons = [
                ComparisonParameters(
                    name=c["name"],
                    description=c["description"],
                    levels=[
                        LevelParameters(lv["label"], lv["kind"], lv["m"], lv["u"])
                        for lv in c["levels"]
                    ],
                    trained_in=list(c.get("trained_in", [])),
                )
                for c in data["comparisons"]
            ]
            return cls(
                link_type=data["link_type"],
                prior=float(data["prior"]),
                comparisons=comparisons,
                prior_source=data.get("prior_source", ""),
                expected_matches=float(data.get("expected_matches", 0.0)),
                u_random_pairs=int(data.get("u_random_pairs", 0)),
                seed=int(data.get("seed", 0)),
                training_passes=[TrainingPass(**p) for p in data.get("training_passes", [])],
                adjustments=list(data.get("adjustments", [])),
                inputs=dict(data.get("inputs", {})),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise InputError(
                f"{source}: model file is incomplete or damaged ({error!r}); retrain it"
            ) from error

    @classmethod
    def load(cls, path: Path) -> Model:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise InputError(f"{path}: cannot read the model file ({error.strerror})") from error
        return cls.from_json(text, str(path))

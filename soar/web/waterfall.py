"""The match explanation (`soar explain`) for the pair on the review screen, cached.

`soar.linkage.explain` re-runs the comparison SQL for one pair and takes about a second,
so each pair is explained once per model file and kept (the model's mtime is in the key:
retraining shows new weights). Without a workspace model, the review screen shows the
lead's own evidence instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from soar.errors import SoarError
from soar.linkage import Explanation, explain


@dataclass(frozen=True)
class WaterfallLine:
    """One bar of the waterfall: a comparison (or the prior), its level and weight."""

    label: str
    level: str
    left: str
    right: str
    weight: float


@dataclass(frozen=True)
class Waterfall:
    """The lines, the total weight and probability, or why there is none."""

    lines: tuple[WaterfallLine, ...]
    match_weight: float | None
    match_probability: float | None
    unavailable: str = ""


def _values(values: dict[str, str | None]) -> str:
    return " ".join(value for value in values.values() if value)


def _from_explanation(explanation: Explanation) -> Waterfall:
    lines = [WaterfallLine("prior", "two random records match", "", "", explanation.prior_weight)]
    for comparison in explanation.comparisons:
        lines.append(
            WaterfallLine(
                comparison.name,
                comparison.level,
                _values(comparison.left_values),
                _values(comparison.right_values),
                comparison.match_weight,
            )
        )
    for name, weight in explanation.frequency_adjustments.items():
        lines.append(WaterfallLine(name, "how common the name is", "", "", weight))
    return Waterfall(
        tuple(lines), explanation.match_weight, explanation.match_probability, unavailable=""
    )


@lru_cache(maxsize=2048)
def _cached(linkage: Path, mtime: float, registry_id: str, immigration_id: str) -> Waterfall:
    try:
        explanation = explain(
            registry_id,
            immigration_id,
            model=linkage / "model.json",
            left=linkage / "registry.parquet",
            right=linkage / "immigration.parquet",
        )
    except SoarError as error:
        return Waterfall((), None, None, unavailable=f"cannot explain this pair: {error}")
    return _from_explanation(explanation)


def waterfall(linkage: Path, registry_id: str, immigration_id: str) -> Waterfall:
    """The explanation of one registry–immigration pair from the workspace's model."""
    model = linkage / "model.json"
    needed = (model, linkage / "registry.parquet", linkage / "immigration.parquet")
    if not all(path.is_file() for path in needed):
        return Waterfall(
            (),
            None,
            None,
            unavailable=f"no linkage model in {linkage} (run `soar link`); showing the lead's "
            "own evidence",
        )
    return _cached(linkage.resolve(), model.stat().st_mtime, registry_id, immigration_id)

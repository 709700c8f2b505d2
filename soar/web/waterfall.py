"""The match explanation (`soar explain`) for the pair on the review screen, computed in
the background and cached.

`soar.linkage.explain` re-standardises both linkage files to score one pair (term
frequencies come from the whole files), so it takes about a second at 20,000 persons and
many seconds at 200,000. The review screen never waits for it: the first request starts it
on a worker thread and shows "being computed" (with a reload link; the page's script
fetches `/review/ID/waterfall` when it is ready); the queue starts the next candidates'
explanations ahead of time. Results are kept per model file (its mtime is in the key, so
retraining shows new weights).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from soar.errors import SoarError
from soar.linkage import Explanation, explain

# One worker: explanations are CPU-heavy; more would slow the pages that are being served.
_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="soar-explain")
_KEEP = 4096
_lock = threading.Lock()
_results: OrderedDict[tuple[str, float, str, str], Future[Waterfall]] = OrderedDict()


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
    """The lines, the total weight and probability, or why there are none (yet)."""

    lines: tuple[WaterfallLine, ...]
    match_weight: float | None
    match_probability: float | None
    unavailable: str = ""
    pending: bool = False


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
    return Waterfall(tuple(lines), explanation.match_weight, explanation.match_probability)


def _compute(linkage: Path, registry_id: str, immigration_id: str) -> Waterfall:
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


def _missing(linkage: Path) -> Waterfall | None:
    needed = (linkage / "model.json", linkage / "registry.parquet", linkage / "immigration.parquet")
    if all(path.is_file() for path in needed):
        return None
    return Waterfall(
        (),
        None,
        None,
        unavailable=f"no linkage model in {linkage} (run `soar link`); showing the lead's "
        "own evidence",
    )


def _future(linkage: Path, registry_id: str, immigration_id: str) -> Future[Waterfall]:
    """The (possibly still running) explanation of the pair; started if new."""
    key = (
        str(linkage.resolve()),
        (linkage / "model.json").stat().st_mtime,
        registry_id,
        immigration_id,
    )
    with _lock:
        future = _results.get(key)
        if future is None:
            future = _WORKER.submit(_compute, linkage, registry_id, immigration_id)
            _results[key] = future
            while len(_results) > _KEEP:
                _results.popitem(last=False)
        else:
            _results.move_to_end(key)
        return future


def waterfall(
    linkage: Path, registry_id: str, immigration_id: str, *, wait_seconds: float = 0.0
) -> Waterfall:
    """The explanation of one registry–immigration pair, or a pending one while it runs."""
    missing = _missing(linkage)
    if missing is not None:
        return missing
    future = _future(linkage, registry_id, immigration_id)
    if not (future.done() or (wait_seconds > 0 and _wait(future, wait_seconds))):
        return Waterfall(
            (),
            None,
            None,
            unavailable="the model's explanation of this pair is being computed; it appears "
            "here in a few seconds (reload the page)",
            pending=True,
        )
    return future.result()


def _wait(future: Future[Waterfall], seconds: float) -> bool:
    try:
        future.result(timeout=seconds)
    except TimeoutError:
        return False
    return True


def prefetch(linkage: Path, pairs: Iterable[tuple[str, str]]) -> None:
    """Start explaining pairs a reviewer is about to open."""
    if _missing(linkage) is not None:
        return
    for registry_id, immigration_id in pairs:
        _future(linkage, registry_id, immigration_id)

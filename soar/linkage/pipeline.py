"""The ordered steps of a linkage run, as sqlglot orders its optimizer rules."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from soar.linkage.job import LinkJob
from soar.linkage.steps import blocking, cluster, compare, score, standardise, train


@dataclass(frozen=True, slots=True)
class Step:
    """One step: a name for reports and timings, and the function that runs it."""

    name: str
    run: Callable[[LinkJob], None]


#: standardise -> blocking -> compare -> train -> score -> cluster. Explain and evaluate
#: read these steps' outputs and are not part of a run.
STEPS: tuple[Step, ...] = (
    Step(standardise.NAME, standardise.run),
    Step(blocking.NAME, blocking.run),
    Step(compare.NAME, compare.run),
    Step(train.NAME, train.run),
    Step(score.NAME, score.run),
    Step(cluster.NAME, cluster.run),
)


def run_steps(job: LinkJob, steps: tuple[Step, ...] = STEPS) -> None:
    """Run `steps` in order on `job`, timing each."""
    for step in steps:
        started = time.perf_counter()
        step.run(job)
        job.timings[step.name] = round(time.perf_counter() - started, 3)

"""Leads against the truth: the whole pipeline on a generated population, under each policy.

    python -m bench.leads [--persons 20000] [--seed 2021] [--keep DIR] [--diagnose]
    python -m bench.leads --persons 10000 20000 --seed 1 7 11 2021   # every combination

generate → ingest every extract → link → leads under every built-in policy (2017-02,
2021-02-interim, 2021-09-guidelines, 2025-01), each compared with the truth (people.csv):
how many true priorities were found (recall), and how many true US citizens got an action
decision (must be none).
`--keep DIR` keeps the generated data and the linked workspace in DIR and reuses them on the
next run (to try changes in leads and safeguards without linking again); `--diagnose`
prints, per policy, each missed true priority and each citizen with action, with its cause.
With several sizes or seeds, each combination is generated and linked afresh, and a summary
gives each run's recall under 2021-02-interim, its citizens with action under any policy,
and the recall pooled over the seeds of each size (the must-show of issue #5 holds only
when every run has no citizen with action).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
import time
from pathlib import Path

from bench.harness import table
from bench.leads_diagnosis import diagnose as diagnose_leads
from soar.ingest.extracts import ingest_generated
from soar.pipeline.leads import build_leads
from soar.pipeline.link import LinkReport, link_workspace
from soar.pipeline.truth import LeadTruth, compare
from soar.policy.policies import load_policies
from soar.synth.generate import generate
from soar.workspace import Workspace, init

AS_OF = dt.date(2026, 6, 1)  # the synthetic extracts' as-of day
POLICIES = tuple(load_policies())  # every built-in policy: 2017-02 ... 2025-01


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, nargs="+", default=[20_000])
    parser.add_argument("--seed", type=int, nargs="+", default=[2021])
    parser.add_argument("--keep", type=Path, help="keep (and reuse) data and workspace here")
    parser.add_argument("--diagnose", action="store_true", help="print each miss and its cause")
    args = parser.parse_args(argv)
    runs = [(persons, seed) for persons in args.persons for seed in args.seed]
    if len(runs) > 1 and args.keep is not None:
        parser.error("--keep takes one size and one seed")
    results = {run: run_one(*run, keep=args.keep, diagnose=args.diagnose) for run in runs}
    if len(runs) > 1:
        print(summary(results))


Result = list[tuple[str, LeadTruth]]


def run_one(persons: int, seed: int, *, keep: Path | None, diagnose: bool = False) -> Result:
    """Generate, ingest and link one population (or reuse `keep`), then compare the leads
    under each policy with the truth; prints the table of one run."""
    with tempfile.TemporaryDirectory() as scratch:
        root = keep or Path(scratch)
        source = root / "source"
        reuse = keep is not None and (root / "ws" / "linkage" / "run.json").is_file()
        if reuse:
            workspace = Workspace(root / "ws")
            linked = LinkReport(
                **{
                    k: v
                    for k, v in json.loads((workspace.linkage / "run.json").read_text()).items()
                }
            )
            print(f"reusing {root} (delete it to generate and link again)")
        else:
            root.mkdir(parents=True, exist_ok=True)
            generate(persons, seed, source, force=True)
            workspace = init(root / "ws")
            ingest_generated(source, workspace)
            started = time.perf_counter()
            linked = link_workspace(workspace)
            print(f"{persons:,} persons, seed {seed}: link {time.perf_counter() - started:.1f} s")
        rows = [
            [
                "policy",
                "action leads",
                "citizenship_review",
                "true priority",
                "found",
                "recall",
                "citizens with action",
                "citizens flagged",
            ]
        ]
        results: Result = []
        for policy_id in POLICIES:
            leads, funnel, policy = build_leads(workspace, policy_id=policy_id, as_of=AS_OF)
            truth = compare(source, leads, policy, AS_OF)
            results.append((policy_id, truth))
            if diagnose:
                diagnose_leads(source, workspace, leads, policy, AS_OF, threshold=linked.threshold)
            rows.append(
                [
                    policy_id,
                    f"{truth.leads_with_action:,}",
                    f"{funnel.citizenship_review:,}",
                    f"{truth.true_priority:,}",
                    f"{truth.found_priority:,}",
                    f"{truth.recall:.4f}",
                    f"{truth.citizens_with_action:,}",
                    f"{truth.citizens_flagged:,}",
                ]
            )
        print(f"registry→immigration pairs at ≥ {linked.threshold}: {linked.pairs_matched:,}")
        print(table(rows))
    return results


def summary(results: dict[tuple[int, int], Result]) -> str:
    """Each run's recall under 2021-02-interim and citizens with action under any policy,
    then the recall pooled over each size's seeds."""
    rows = [["persons", "seed", "true priority", "found", "recall", "citizens with action"]]
    pooled: dict[int, list[int]] = {}
    for (persons, seed), result in results.items():
        interim = dict(result)["2021-02-interim"]
        citizens = max(truth.citizens_with_action for _, truth in result)
        rows.append(
            [
                f"{persons:,}",
                str(seed),
                f"{interim.true_priority:,}",
                f"{interim.found_priority:,}",
                f"{interim.recall:.4f}",
                str(citizens),
            ]
        )
        total = pooled.setdefault(persons, [0, 0, 0])
        total[0] += interim.true_priority
        total[1] += interim.found_priority
        total[2] += citizens
    for persons, (true, found, citizens) in pooled.items():
        rows.append(
            [
                f"{persons:,}",
                "pooled",
                f"{true:,}",
                f"{found:,}",
                f"{found / true:.4f}",
                str(citizens),
            ]
        )
    return "2021-02-interim over every run:\n" + table(rows)


if __name__ == "__main__":
    main()

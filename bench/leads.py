"""Leads against the truth: the whole pipeline on a generated population, under each policy.

    python -m bench.leads [--persons 20000] [--seed 2021] [--keep DIR] [--diagnose]

generate → ingest every extract → link → leads under 2017-02, 2021-02-interim and
2021-09-guidelines, each compared with the truth (people.csv): how many true priorities
were found (recall), and how many true US citizens got an action decision (must be none).
`--keep DIR` keeps the generated data and the linked workspace in DIR and reuses them on the
next run (to try changes in leads and safeguards without linking again); `--diagnose`
prints, per policy, each missed true priority and each citizen with action, with its cause.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
import time
from pathlib import Path

from bench.harness import table
from bench.leads_diagnosis import diagnose
from soar.ingest.extracts import ingest_generated
from soar.pipeline.leads import build_leads
from soar.pipeline.link import LinkReport, link_workspace
from soar.pipeline.truth import compare
from soar.synth.generate import generate
from soar.workspace import Workspace, init

AS_OF = dt.date(2026, 6, 1)  # the synthetic extracts' as-of day
POLICIES = ("2017-02", "2021-02-interim", "2021-09-guidelines")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) data and workspace here")
    parser.add_argument("--diagnose", action="store_true", help="print each miss and its cause")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        root = args.keep or Path(scratch)
        source = root / "source"
        reuse = args.keep is not None and (root / "ws" / "linkage" / "run.json").is_file()
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
            generate(args.persons, args.seed, source, force=True)
            workspace = init(root / "ws")
            ingest_generated(source, workspace)
            started = time.perf_counter()
            linked = link_workspace(workspace)
            print(
                f"{args.persons:,} persons, seed {args.seed}: "
                f"link {time.perf_counter() - started:.1f} s"
            )
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
        for policy_id in POLICIES:
            leads, funnel, policy = build_leads(workspace, policy_id=policy_id, as_of=AS_OF)
            truth = compare(source, leads, policy, AS_OF)
            if args.diagnose:
                diagnose(source, workspace, leads, policy, AS_OF, threshold=linked.threshold)
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


if __name__ == "__main__":
    main()

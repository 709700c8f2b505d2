"""Shared bench tools: timing, peak memory of a call, and printing a comparison table."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _rss_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * _PAGE


@dataclass(frozen=True, slots=True)
class Measured:
    """Wall time of a call, and the peak resident memory above what the process held before."""

    seconds: float
    peak_extra_mib: float
    peak_total_mib: float


def measure(call: Callable[[], T], interval: float = 0.01) -> tuple[T, Measured]:
    """Run `call`, sampling RSS every `interval` s on a thread (it sees native memory too)."""
    baseline = _rss_bytes()
    peak = baseline
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _rss_bytes())
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    try:
        result = call()
    finally:
        elapsed = time.perf_counter() - started
        done.set()
        sampler.join()
    peak = max(peak, _rss_bytes())
    return result, Measured(elapsed, (peak - baseline) / 2**20, peak / 2**20)


def table(rows: list[list[str]]) -> str:
    """Plain aligned text table; the first row is the header."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)

"""`python -m bench` (what `make bench` runs): FEBRL, then synthetic 20,000 persons."""

from __future__ import annotations

from bench import febrl, synth

febrl.main([])
synth.main([])

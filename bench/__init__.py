"""Benchmarks: SOAR against its peers, measured in the same process (needs the bench extra)."""

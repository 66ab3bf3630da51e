"""Benchmarks at the scale of DESIGN.md; run with `python -m benchmarks.run` (not in tests)."""

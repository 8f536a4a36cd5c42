"""Benchmarks: plan quality and speed against simple baselines and proven bounds.

Run with `python -m benchmarks.run --quick` or `--full`; see benchmarks/README.md.
"""

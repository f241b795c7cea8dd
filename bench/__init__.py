"""Benchmarks: `make bench` (python -m bench). Each reports ratios against a baseline measured in the same run."""

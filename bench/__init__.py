"""Benchmarks that print figures: storage, terminal and journal costs, each against a baseline measured in the same run.

`python -m bench` runs them all and writes `docs/benchmarks.md`; `python -m bench.storage`
or `python -m bench.terminal` runs one. Nothing here is a test: the figures are
for people to read, with the targets beside them.
"""

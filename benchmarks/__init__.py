"""Benchmarks: measurements of the product at the real size and at national
scale on synthetic data (never tests, never mixed with the real data).
`python -m benchmarks.run` runs them all and writes benchmarks/out/results.md."""

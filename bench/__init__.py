"""Benchmarks (not part of the test run): see ``make bench``."""

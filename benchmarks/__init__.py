"""Benchmarks: figures measured against the simulator in a real Home Assistant test instance."""

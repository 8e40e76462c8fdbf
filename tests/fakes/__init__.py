"""Fakes at the network edge (Slack, Discord, feeds) shared by tests and benchmarks."""

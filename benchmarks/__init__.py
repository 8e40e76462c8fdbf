"""Quality and speed measurements that print tables (not part of the test run).

Run them as scripts from the project root, e.g. ``python benchmarks/quality.py``.
"""

"""Shared test helpers: a local HTTP server (web.py) and feed/page builders (content.py)."""

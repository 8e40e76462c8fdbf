"""A throwaway PostgreSQL schema, for the ``database_url`` fixture and the benchmarks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote


@contextmanager
def scratch_schema(base_url: str, schema: str) -> Iterator[str]:
    """Create ``schema`` in the database at ``base_url``; yield a URL whose connections use it
    (``search_path``); drop it with everything in it on the way out."""
    import sqlalchemy as sa

    admin = sa.create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base_url else "?"
    try:
        yield f"{base_url}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

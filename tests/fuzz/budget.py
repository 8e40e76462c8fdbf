"""How hard the fuzz tests try.

In CI and a plain ``pytest`` run every property is bounded (``ci_examples``) and
derandomized: the whole of ``tests/fuzz`` takes a few seconds and fails the same way twice.
For a deeper, random hunt set ``BRIEFBOT_FUZZ_EXAMPLES``, e.g.
``BRIEFBOT_FUZZ_EXAMPLES=3000 pytest tests/fuzz``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_DEEP = os.environ.get("BRIEFBOT_FUZZ_EXAMPLES", "").strip()


def fuzz_settings(ci_examples: int) -> settings:
    deep = int(_DEEP) if _DEEP.isdigit() else 0
    return settings(
        max_examples=deep or ci_examples,
        derandomize=not deep,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )

"""Write ``summaries/_dropped_table.py``: the code points ``summaries.inert`` drops in
Unicode planes 0-3 and 14, for the running Python's Unicode version.

    python tools/dropped_table.py

Reading them from ``unicodedata`` takes about 0.1 s, paid by every process that renders
text (a CLI ``brief`` among them); the table ships them for the Unicode version of the
Python the project runs on, and ``inert`` reads the tables itself under any other.
``tests/summaries/test_inert.py`` fails when the table and the running Python disagree.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summaries import inert  # noqa: E402

TABLE = ROOT / "summaries" / "_dropped_table.py"


def render() -> str:
    ranges = "".join(
        f"    (0x{lo:X}, 0x{hi:X}),\n" for lo, hi in inert._dropped_ranges(inert._ASSIGNABLE)
    )
    return (
        '"""The code points of Unicode planes 0-3 and 14 that ``summaries.inert`` drops\n'
        "wherever they stand, for one Unicode version.  Written by `python\n"
        'tools/dropped_table.py`; do not edit (a test compares it with the tables)."""\n\n'
        f'UNIDATA_VERSION = "{unicodedata.unidata_version}"\n\n'
        f"RANGES: tuple[tuple[int, int], ...] = (\n{ranges})\n"
    )


if __name__ == "__main__":
    TABLE.write_text(render(), encoding="utf-8")
    print(f"wrote {TABLE.relative_to(ROOT)} (Unicode {unicodedata.unidata_version})")

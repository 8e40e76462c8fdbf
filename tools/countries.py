"""Write ``bot/data/countries.json``: the facts of every ISO 3166 country that
``bot.topics.countries`` takes from pycountry and countryinfo, as the installed ones give them.

    python tools/countries.py

Run it after upgrading either package; ``tests/bot/test_countries_snapshot.py`` fails while
the file and the installed packages disagree.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.topics.countries import package_records  # noqa: E402

SNAPSHOT = ROOT / "bot" / "data" / "countries.json"


def render() -> str:
    head = {
        "about": "Written by `python tools/countries.py` from the packages named here; "
        "do not edit (a test compares it with them).",
        "pycountry": version("pycountry"),
        "countryinfo": version("countryinfo"),
    }
    lines = [f" {json.dumps(key)}: {json.dumps(value)}," for key, value in head.items()]
    records = ",\n".join(
        f"  {json.dumps(record, ensure_ascii=False)}" for record in package_records()
    )
    return "{\n" + "\n".join(lines) + f'\n "countries": [\n{records}\n ]\n}}\n'


if __name__ == "__main__":
    SNAPSHOT.write_text(render(), encoding="utf-8")
    print(f"wrote {SNAPSHOT.relative_to(ROOT)}")

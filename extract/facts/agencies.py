"""National ministries and agencies under one name: "Kemendagri" is "Kementerian Dalam Negeri".

`data/agencies.json` lists each official name with the acronyms and short forms news text uses.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def agency_aliases() -> tuple[dict[str, str], re.Pattern[str]]:
    """Lower-cased alias → official name, and a pattern finding any alias as a whole word."""
    raw = json.loads(resources.files("extract.facts.data").joinpath("agencies.json").read_text("utf-8"))
    names = {alias.lower(): a["name"] for a in raw["agencies"] for alias in a["aliases"]}
    ordered = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w/])(?:" + "|".join(re.escape(a) for a in ordered) + r")(?![\w/])", re.I)
    return names, pattern


def expand_agencies(text: str) -> str:
    """The text with every ministry or agency acronym written out ("BPSDM Kemendagri" →
    "BPSDM Kementerian Dalam Negeri"); an acronym followed by its own name is left alone."""
    names, pattern = agency_aliases()

    def official(match: re.Match[str]) -> str:
        name = names[match.group(0).lower()]
        around = text[max(0, match.start() - len(name) - 3) : match.end() + len(name) + 3]
        return match.group(0) if name.lower() in around.lower() else name

    return pattern.sub(official, text)

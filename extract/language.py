"""Which language a text is in: Indonesian ('id') or English ('en'), for this corpus."""

from __future__ import annotations

import re
from functools import lru_cache

# Indonesian and Malay are near-identical in writing: both are candidates and Malay counts
# as Indonesian. A few other widespread languages stay candidates, so a French or Chinese
# document is not forced into Indonesian or English.
CANDIDATES = ("id", "ms", "en", "nl", "fr", "de", "es", "pt", "it", "zh", "ja", "ko", "ru", "ar",
              "th", "vi")  # fmt: skip
ALIASES = {"ms": "id"}
MIN_LETTERS = 20
MIN_WORDS = 3
SAMPLE_CHARS = 20_000

_WORD = re.compile(r"[^\W\d_]{2,}")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    identifier.set_languages(list(CANDIDATES))
    return identifier


def detect_language(text: str) -> str | None:
    """'id', 'en' (or another ISO 639-1 code among CANDIDATES); None for too little text."""
    sample = text[:SAMPLE_CHARS]
    words = _WORD.findall(sample)
    if len(words) < MIN_WORDS or sum(len(w) for w in words) < MIN_LETTERS:
        return None
    code, _score = _identifier().classify(sample)
    return ALIASES.get(code, code)

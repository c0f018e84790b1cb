"""The lexicon: the annotation vocabulary and the gazetteers, in one place.

- :mod:`.vocabulary`: the words of the annotation contract (cluster type words, administrative
  and feature words, area units and their size in hectares, multipliers, qualifiers);
- :mod:`.gazetteers`: name lists and the administrative units table, read from ``data/``;
- :mod:`.tones`: the two tone-mark placements;
- :mod:`.version`: the lexicon's version and content hash, recorded by every trained model.

Rules, hints, document memory, generated text and tests read it; none spells its words out.
``python -m annotations.lexicon stats|show NAME|build`` prints or rebuilds the lists.
"""

from .gazetteers import ALIASES, NAMES, AdminUnit, admin_units, load
from .tones import OLD_TO_NEW, tone_new_style, tone_variants
from .version import LEXICON_VERSION, lexicon_version

__all__ = ["ALIASES", "NAMES", "AdminUnit", "admin_units", "load", "OLD_TO_NEW", "tone_new_style",
           "tone_variants", "LEXICON_VERSION", "lexicon_version"]

"""Generated, exactly labelled Vietnamese news text for training.

Sentences come from hand-written templates (``data/synth/synth_templates.txt``)
whose slots (``{cluster}``, ``{prov}``, ``{area}`` ...) render to *segments*:
``(text, label)`` pairs with ``label=None`` for plain text. A document is the
concatenation of its segments, so every span's offsets are known by construction and
nothing is searched for in the rendered string.

This package is the engine; what it writes is data in ``data/synth/``: the templates, the
names, words and weights of ``synth_vocabulary.yaml`` (:func:`vocabulary`) and the
probability of each choice in ``synth_probabilities.yaml`` (:func:`probabilities`), read on
first use. The words of the annotation contract (area units, type words, administrative
words) and the gazetteers come from ``annotations.lexicon``.

``generate(n_docs, seed)`` is deterministic per seed (document ``i`` depends only on
``seed`` and ``i``). ``python -m training.synth --n 5 --seed 0`` prints samples as
inline markup.

Its modules, each importing only from those before it:

- :mod:`.data`: the data files (:func:`vocabulary`, :func:`probabilities`);
- :mod:`.context`: the state of one document (``Ctx``) and the helpers every renderer shares;
- :mod:`.entities`: the texts of places, parks, areas, percentages, people, money and dates;
- :mod:`.slots`: the slot registry :data:`SLOTS`, filled by :mod:`.slots_parks`,
  :mod:`.slots_places`, :mod:`.slots_plain` and :mod:`.slots_prose`;
- :mod:`.templating`: the templates, parsed and rendered to segments;
- :mod:`.documents`: one article, its segments joined into a document;
- :mod:`.generation`: the documents of a seed and their label statistics;
- :mod:`.cli`: ``python -m training.synth``.
"""

from .data import (PROBABILITIES_FILE, PROSE_FILE, SYNTH_DIR, TEMPLATE_FILE, TEMPLATE_FILES, VOCABULARY_FILE,
                   probabilities, vocabulary)
from .context import Ctx, _new_ctx, fmt_number, invent_name  # noqa: F401  (_new_ctx: for the tests)
from .entities import (area_text, cluster_name, cluster_text, date_text, money_text, percent_text, person_name,
                       province_text, village_text)
from .slots import SLOTS, A, C, L, P, Seg, SlotFn, slot
from . import slots_parks, slots_places, slots_plain, slots_prose  # noqa: F401  (they fill SLOTS, in this order)
from .slots_prose import bare_place
from .templating import Template, parse_template, render, templates
from .documents import _genres, plain_templates, segments_to_document  # noqa: F401  (_genres: for the tests)
from .generation import corpus_stats, generate, generate_one, iter_generated
from .cli import main

__all__ = [
    "PROBABILITIES_FILE", "PROSE_FILE", "SYNTH_DIR", "TEMPLATE_FILE", "TEMPLATE_FILES", "VOCABULARY_FILE",
    "probabilities", "vocabulary", "Ctx", "fmt_number", "invent_name", "area_text", "cluster_name", "cluster_text",
    "date_text", "money_text", "percent_text", "person_name", "province_text", "village_text", "SLOTS", "A", "C", "L",
    "P", "Seg", "SlotFn", "slot", "bare_place", "Template", "parse_template", "render", "templates",
    "plain_templates", "segments_to_document", "corpus_stats", "generate", "generate_one", "iter_generated", "main",
]

"""Rule hints: what the rules tagger (:mod:`models.rules`) says of each word, as model input.

With ``hints: rules`` the model reads, beside each subword, the IOB2 tag the rules give
its word (``O``, ``B-CLUSTER``, ``I-CLUSTER``, ...), through RoBERTa's token type
embeddings (``token_type_ids``; ``type_vocab_size`` = number of tags). The model learns
when to follow the rules and when to overrule them; trained with hints dropped from some
windows (``training.hint_dropout``) it also tags on its own. Specials get ``O``.

The rules are code and the lexicon (:mod:`annotations.lexicon`) of this package, not files of the
model directory: a model records :func:`rules_version` of what it was trained with (the rules'
version, the lexicon's version and content hash), and the tagger warns, naming what changed,
only when the installed ones differ.
"""

from __future__ import annotations

from typing import Sequence

from annotations.labels import BIO_TAGS, tag_to_id

from .segment import Word

#: what ``hints`` may name (``None``: no hints, plain token type 0): ``rules``, the rules' tag
#: of each word; ``rules+context``, also the document memory of :mod:`models.context` where
#: the rules say ``O``; ``rules+context+lists``, also the items continuing a tagged name's list
#: (:mod:`models.lists`) where both say ``O``
HINT_SOURCES = ("rules", "rules+context", "rules+context+lists")
#: token type ids of the ``rules`` source: one per IOB2 tag
HINT_TYPES = len(BIO_TAGS)
#: the extra types of ``rules+context``, after the IOB2 tags: a remembered name's words
#: (:mod:`models.context`), then the words of a known administrative unit's name that the
#: rules left untagged (:func:`models.rules.known_unit_spans`: communes and wards too)
MEMORY_TAGS = tuple(f"{p}-{label}" for label in ("CLUSTER", "LOCATION") for p in ("B", "I"))
KNOWN_UNIT_TAGS = ("B-KNOWN", "I-KNOWN")
#: the extra types of ``rules+context+lists``, after those of ``rules+context``: a proposed list item's words
LIST_TAGS = MEMORY_TAGS
_TAG_ID = tag_to_id()
_MEMORY_ID = {tag: HINT_TYPES + i for i, tag in enumerate(MEMORY_TAGS)}
_KNOWN_ID = {"B-LOCATION": HINT_TYPES + len(MEMORY_TAGS), "I-LOCATION": HINT_TYPES + len(MEMORY_TAGS) + 1}
_CONTEXT_TYPES = HINT_TYPES + len(MEMORY_TAGS) + len(KNOWN_UNIT_TAGS)
_LIST_ID = {tag: _CONTEXT_TYPES + i for i, tag in enumerate(LIST_TAGS)}


def hint_types(hints: str | None) -> int:
    """Token types a model reading ``hints`` needs (1: none, plain type 0)."""
    check_hints(hints)
    if hints is None:
        return 1
    return {"rules": HINT_TYPES, "rules+context": _CONTEXT_TYPES, "rules+context+lists": _CONTEXT_TYPES + len(LIST_TAGS)}[hints]


def rules_version() -> dict[str, object]:
    """What the hints depend on, as data: the rules' version and the lexicon's version and
    content hash (:mod:`annotations.lexicon.version`). A comment or reformatting changes none of them."""
    from annotations.lexicon import lexicon_version
    from .rules import RULES_VERSION

    lexicon = lexicon_version()
    return {"rules": RULES_VERSION, "lexicon": lexicon["version"], "lexicon_sha256": lexicon["sha256"]}


def fingerprint() -> str:
    """:func:`rules_version` in one string: ``rules-13+lexicon-2026.12.2-<hash>``."""
    v = rules_version()
    return f"rules-{v['rules']}+lexicon-{v['lexicon']}-{v['lexicon_sha256']}"


def version_differences(recorded: dict | None) -> list[str]:
    """The parts of ``recorded`` (a model's :func:`rules_version`) that differ from the
    installed rules and lexicon, as ``"name recorded -> installed"``; empty when equal."""
    if not recorded:
        return []
    installed = rules_version()
    return [f"{key} {recorded.get(key)} -> {installed[key]}" for key in installed if recorded.get(key) != installed[key]]


def check_hints(hints: str | None) -> None:
    if hints is not None and hints not in HINT_SOURCES:
        raise ValueError(f"hints must be one of {', '.join(HINT_SOURCES)} or null, not {hints!r}")


def word_hints(text: str, words: Sequence[Word], hints: str = "rules") -> list[int]:
    """Per word of ``text`` (offsets into ``text``), the tag id the hint source gives it.
    A rules span that starts or ends inside a word marks no word."""
    from .word_spans import word_labels
    from .rules import extract

    check_hints(hints)
    spans = extract(text)
    tags, _ = word_labels(words, spans)
    ids = [_TAG_ID[tag] for tag in tags]
    if hints in ("rules+context", "rules+context+lists"):
        from annotations.document import Span

        from .context import memory_spans
        from .rules import known_unit_spans

        memory = memory_spans(text, spans)
        remembered, _ = word_labels(words, memory)
        known, _ = word_labels(words, [Span.from_text(text, a, b, "LOCATION") for a, b in known_unit_spans(text)])
        if hints == "rules+context+lists":
            from .lists import list_spans

            listed, _ = word_labels(words, list_spans(text, [*spans, *memory]))
        else:
            listed = ["O"] * len(words)
        ids = [i if i else _MEMORY_ID[m] if m != "O" else _LIST_ID[li] if li != "O" else _KNOWN_ID.get(k, 0)
               for i, m, li, k in zip(ids, remembered, listed, known)]
    return ids


def hint_tag_ids(context: bool = True) -> list[int]:
    """Per token type id of ``rules+context+lists`` (a prefix of it for the other sources), the
    IOB2 tag id the hint stands for: the rules' tag itself, a remembered name's tag, ``B/I-LOCATION``
    for a known unit, a proposed list item's tag; with ``context=False`` the rules' view, where the
    context types are words the rules left ``O``. Training compares labels with it to find the
    words where gold overrules a hint."""
    memory = [_TAG_ID[t] for t in MEMORY_TAGS]
    known = [_TAG_ID["B-LOCATION"], _TAG_ID["I-LOCATION"]]
    listed = [_TAG_ID[t] for t in LIST_TAGS]
    extra = memory + known + listed
    return list(range(HINT_TYPES)) + (extra if context else [_TAG_ID["O"]] * len(extra))


def token_types(word_ids: Sequence[int | None], hints: Sequence[int]) -> list[int]:
    """Token type ids of a window: every piece of a word carries its word's hint, specials ``O``."""
    return [0 if w is None else hints[w] for w in word_ids]

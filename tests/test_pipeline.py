"""The inference path (models/pipeline.py): each stage called once, in order, and the
caller's offsets reached once, at the end; every span a slice of the caller's string."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from annotations.labels import LABELS
from annotations.labelstudio import load_documents
from strategies import texts

STAGES = ["normalize", "document_words", "word_hints", "encode_windows", "window_logits", "decode_tags_batch",
          "words_to_spans", "spans_to_original"]
SEEDS = [d.text for d in load_documents(Path(__file__).resolve().parent.parent / "annotations/gold/seeds.json")]


@pytest.fixture(scope="module")
def tagger(smoke_model):
    from models import Tagger

    tagger = Tagger.from_pretrained(smoke_model, dtype="float32")
    assert tagger.settings.hints == "rules"  # the hints stage runs
    return tagger


def test_one_extract_calls_each_stage_once_in_order(tagger, monkeypatch):
    from models import encoding, pipeline
    from models.normalize import NormalizedText

    calls: list[str] = []
    inside: list[str] = []

    def recorded(name, function):
        def stage(*args, **kwargs):
            calls.append(name)
            inside.append(name)
            try:
                return function(*args, **kwargs)
            finally:
                inside.pop()
        return stage

    for name in ("normalize", "document_words", "word_hints", "encode_windows", "decode_tags_batch", "words_to_spans"):
        monkeypatch.setattr(pipeline, name, recorded(name, getattr(pipeline, name)))
    monkeypatch.setattr(tagger, "window_logits", recorded("window_logits", tagger.window_logits))
    monkeypatch.setattr(NormalizedText, "spans_to_original",
                        recorded("spans_to_original", NormalizedText.spans_to_original))
    mapped = []
    for name in ("to_original_start", "to_original_end"):
        def to_original(self, i, _name=name, _f=getattr(NormalizedText, name)):
            mapped.append(list(inside))
            return _f(self, i)
        monkeypatch.setattr(NormalizedText, name, to_original)
    monkeypatch.setattr(encoding, "words_in_original", recorded("words_in_original", encoding.words_in_original))

    text = unicodedata.normalize("NFD", SEEDS[0]).replace(" ", "\u00a0", 5)  # offsets really change
    spans = tagger.extract(text)
    assert spans and all(text[s.start:s.end] == s.text for s in spans)
    assert calls == STAGES  # words_in_original never: no word goes back to the caller's offsets
    assert mapped and all(trail == ["spans_to_original"] for trail in mapped)  # offsets mapped at the end only


def _valid(text, spans):
    return all(0 <= s.start < s.end <= len(text) and text[s.start:s.end] == s.text and s.label in LABELS
               for s in spans) and all(a.end <= b.start for a, b in zip(spans, spans[1:]))


#: pieces of the seed articles (names, areas, rates among them) between random texts
seed_pieces = st.tuples(st.sampled_from(SEEDS), st.integers(0, 4000), st.integers(1, 400)).map(
    lambda t: t[0][t[1]:t[1] + t[2]])
mixed = st.lists(st.one_of(texts, seed_pieces, seed_pieces.map(lambda s: unicodedata.normalize("NFD", s))),
                 max_size=5).map("".join)


@settings(max_examples=40)
@given(mixed)
def test_every_span_is_a_slice_of_the_callers_text(tagger, text):
    assert _valid(text, tagger.extract(text))

"""Numbers kept whole and line-break pseudo-words (models.segment.join_numbers,
mark_line_breaks) and span edge trimming at decoding (models.decoding.trim_span)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.document import Span
from annotations.labels import BIO_TAGS
from models.decoding import EDGE_PUNCTUATION, trim_span
from models.pipeline import decode_document, encode_document
from models.words import model_words
from models.segment import LINE_MARK, Word, get_segmenter, is_line_mark, join_numbers, mark_line_breaks

SYL = get_segmenter("syllable")
PIECES = ["KCN", "Tân", "Tạo", "rộng", "186,4ha", "1.156,77", "ha", "84,21%", "15", "-", "20", "m2", "700m²",
          "4.0.1", ".", ",", "5.x", "12h30", "(", ")", "%", "năm", "2011", "–", "Q9", "1A", "3,", ",4"]
GAPS = [" ", "", "\n", "\n\n", " \n ", "\r\n", "  "]
texts = st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(GAPS)), max_size=30).map(
    lambda parts: "".join(a + b for a, b in parts))


def forms(text: str, **kw) -> list[str]:
    return [w.form for w in model_words(text, SYL, **kw)]


def test_numbers_are_whole_and_apart_from_units():
    text = "diện tích 186,4ha, lấp đầy 84,21%. Tổng 1.156,77 ha; 700m² và 1,5 triệu m2 (15 - 20 ha)."
    assert forms(text, join_numbers=True) == [
        "diện", "tích", "186,4", "ha", ",", "lấp", "đầy", "84,21", "%", ".", "Tổng", "1.156,77", "ha", ";",
        "700", "m²", "và", "1,5", "triệu", "m2", "(", "15", "-", "20", "ha", ")", "."]
    # Without the option the syllable segmentation is unchanged.
    assert forms(text) == [w.form for w in SYL.segment(text)]


def test_separators_not_between_digits_stay_punctuation():
    assert forms("năm 2011, 2012. Điểm 5.x và 3 ,4", join_numbers=True) == [
        "năm", "2011", ",", "2012", ".", "Điểm", "5", ".", "x", "và", "3", ",", "4"]


@given(texts)
@settings(max_examples=300, deadline=None)
def test_join_numbers_keeps_exact_offsets(text):
    words = join_numbers(SYL.segment(text), text)
    prev = 0
    for w in words:
        assert prev <= w.start < w.end and text[w.start:w.end] == w.form
        prev = w.end
    # The same non-space characters are covered, and no word mixes digits with a following letter.
    assert {i for w in words for i in range(w.start, w.end)} == {i for i, c in enumerate(text) if not c.isspace()}
    for prev, w in zip([None] + words, words):
        assert not re.fullmatch(r"\d[\d.,]*[^\W\d_]\w*", w.form), w
        # A separator glued between a number and a digit is inside the number.
        glued_number = (prev is not None and prev.end == w.start and re.fullmatch(r"\d+(?:[.,]\d+)*", prev.form)
                        and w.end < len(text) and text[w.end].isdigit())
        assert not (w.form in (".", ",") and glued_number), (prev, w)


@given(texts)
@settings(max_examples=300, deadline=None)
def test_line_marks_sit_on_line_breaks_between_words(text):
    base = SYL.segment(text)
    words = mark_line_breaks(base, text)
    assert [w for w in words if not is_line_mark(text, w)] == base
    marks = [i for i, w in enumerate(words) if is_line_mark(text, w)]
    for i in marks:
        assert 0 < i < len(words) - 1 and not is_line_mark(text, words[i - 1])
        gap = text[words[i - 1].end:words[i + 1].start]
        assert "\n" in gap or "\r" in gap
        assert words[i].form == LINE_MARK
    expected = sum(1 for a, b in zip(base, base[1:]) if re.search(r"[\n\r]", text[a.end:b.start]))
    assert len(marks) == expected


def test_a_pilcrow_in_the_text_is_not_a_line_mark():
    text = "a ¶ b"
    words = mark_line_breaks(SYL.segment(text), text)
    assert [w.form for w in words] == ["a", "¶", "b"] and not any(is_line_mark(text, w) for w in words)


class CharEncoder:
    """One id per character; enough for encode_document without a real tokenizer."""
    cls_id, sep_id = 0, 2

    def pieces(self, form):
        return [5 + (ord(c) % 50) for c in form]


def _logits_for(encoded, tags_per_word):
    """Window logits that give each word's first subword the wanted tag."""
    out = []
    for window in encoded.windows:
        logits = np.full((len(window.input_ids), len(BIO_TAGS)), -5.0)
        for row, (w, first) in enumerate(zip(window.word_ids, window.first_subword)):
            if w is not None and first:
                logits[row, BIO_TAGS.index(tags_per_word[w])] = 5.0
        out.append(logits)
    return out


def test_decoding_never_joins_a_span_across_a_line_break():
    text = "xã\n\nĐiện Biên"
    enc = encode_document(text, SYL, CharEncoder(), max_length=64, stride=8, line_breaks=True)
    assert [w.form for w in enc.words] == ["xã", LINE_MARK, "Điện", "Biên"]
    # The model (wrongly) continues a LOCATION over the break: decoding splits it there.
    logits = _logits_for(enc, ["B-LOCATION", "I-LOCATION", "I-LOCATION", "I-LOCATION"])
    spans = decode_document(text, enc, logits, dict(enumerate(BIO_TAGS)))
    assert [(s.text, s.label) for s in spans] == [("xã", "LOCATION"), ("Điện Biên", "LOCATION")]


def test_decoding_trims_edge_punctuation():
    text = "lấp đầy 50%. Diện tích 527ha."
    enc = encode_document(text, SYL, CharEncoder(), max_length=64, stride=8)
    tags = {"50": "B-PERCENT", "%": "I-PERCENT", "527ha": "B-AREA"}
    words = [w.form for w in enc.words]
    seq = []
    for i, f in enumerate(words):
        if f == "." and i and words[i - 1] in ("%", "527ha"):
            seq.append("I-" + seq[-1][2:])  # the model runs on over the full stop
        else:
            seq.append(tags.get(f, "O"))
    spans = decode_document(text, enc, _logits_for(enc, seq), dict(enumerate(BIO_TAGS)))
    assert [(s.text, s.label) for s in spans] == [("50%", "PERCENT"), ("527ha", "AREA")]
    assert all(text[s.start:s.end] == s.text for s in spans)


@given(st.text(alphabet="ab .,%()–-\n", min_size=1, max_size=12), st.data())
@settings(max_examples=300, deadline=None)
def test_trim_span_property(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    span = Span(start, end, "AREA", text[start:end], score=0.5)
    out = trim_span(text, span)
    if out is None:
        assert all(c in EDGE_PUNCTUATION or c.isspace() for c in span.text)
        return
    assert span.start <= out.start < out.end <= span.end
    assert out.text == text[out.start:out.end] and out.label == span.label and out.score == span.score
    assert out.text[0] not in EDGE_PUNCTUATION and not out.text[0].isspace()
    assert out.text[-1] not in EDGE_PUNCTUATION and not out.text[-1].isspace()
    assert out.text in span.text
    depth = 0
    for c in out.text:  # brackets inside a span pair up
        depth += {"(": 1, ")": -1}.get(c, 0)
        assert depth >= 0
    assert depth == 0


def test_trim_span_cuts_at_an_unmatched_bracket_keeping_the_longer_side():
    for text, kept in [("khu công nghiệp Thuỵ Vân (Phú Thọ", "khu công nghiệp Thuỵ Vân"),
                       ("Khu công nghiệp (KCN) Hiệp Phước", "Khu công nghiệp (KCN) Hiệp Phước"),
                       ("Hiệp Phước) với", "Hiệp Phước"), ("(Chợ Mới", "Chợ Mới")]:
        out = trim_span(text, Span(0, len(text), "CLUSTER", text))
        assert out is not None and out.text == kept, text


def test_min_score_drops_spans_below_it():
    text = "KCN Tân Tạo rộng 16 ha"
    enc = encode_document(text, SYL, CharEncoder(), max_length=64, stride=8, join_numbers=True)
    assert [w.form for w in enc.words] == ["KCN", "Tân", "Tạo", "rộng", "16", "ha"]
    tags = ["B-CLUSTER", "I-CLUSTER", "I-CLUSTER", "O", "B-AREA", "I-AREA"]
    logits = _logits_for(enc, tags)
    # Make the AREA uncertain: its tags barely win.
    for window, lg in zip(enc.windows, logits):
        for row, (w, first) in enumerate(zip(window.word_ids, window.first_subword)):
            if w in (4, 5) and first:
                lg[row, :] = 0.0
                lg[row, BIO_TAGS.index(tags[w])] = 1.0
    id2label = dict(enumerate(BIO_TAGS))
    every = decode_document(text, enc, logits, id2label)
    assert [(s.text, s.label) for s in every] == [("KCN Tân Tạo", "CLUSTER"), ("16 ha", "AREA")]
    area_score = every[1].score
    assert 0 < area_score < 0.5 < every[0].score
    kept = decode_document(text, enc, logits, id2label, min_score=0.5)
    assert [s.text for s in kept] == ["KCN Tân Tạo"]
    assert decode_document(text, enc, logits, id2label, min_score=area_score) == every
    for bad in (-0.1, 1.5):
        with pytest.raises(ValueError, match="min_score"):
            decode_document(text, enc, logits, id2label, min_score=bad)


@pytest.mark.parametrize("value", [-1, 2, "high", True])
def test_config_rejects_a_bad_min_score(value):
    from training.config import load_config

    with pytest.raises(ValueError, match="min_score"):
        load_config("smoke", {"min_score": value})
    assert load_config("smoke", {"min_score": 1}).min_score == 1.0


@given(texts)
@settings(max_examples=100, deadline=None)
def test_encoding_with_words_given_equals_segmenting_again(text):
    from models.normalize import normalize

    kw = dict(max_length=16, stride=4, join_numbers=True, line_breaks=True)
    words = model_words(normalize(text).text, SYL, join_numbers=True, line_breaks=True)
    given = encode_document(text, SYL, CharEncoder(), words=words, **kw)
    again = encode_document(text, SYL, CharEncoder(), **kw)
    assert (given.words, given.windows, given.word_pieces, given.n_split) == (
        again.words, again.windows, again.word_pieces, again.n_split)


def test_words_beyond_the_text_are_rejected():
    with pytest.raises(ValueError, match="beyond the normalised text"):
        encode_document("ab", SYL, CharEncoder(), words=[Word(0, 5, "abcde")])

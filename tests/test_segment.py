"""Word segmentation with exact offsets (models.segment)."""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.syllables import syllable_spans
from models.segment import (
    Segmenter,
    Word,
    _AlignedSegmenter,
    _chunks,
    available_segmenters,
    benchmark_segmenters,
    get_segmenter,
    split_words_at,
)

ARTICLES = sorted((Path(__file__).resolve().parent.parent / "annotations" / "articles").glob("*.txt"))
WORDLIKE = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")

needs_pyvi = pytest.mark.skipif(importlib.util.find_spec("pyvi") is None, reason="pyvi is not installed")
needs_underthesea = pytest.mark.skipif(importlib.util.find_spec("underthesea") is None,
                                       reason="underthesea is not installed (optional extra)")
EXTERNAL = [pytest.param("pyvi", marks=needs_pyvi), pytest.param("underthesea", marks=needs_underthesea)]
ALL = [pytest.param("syllable")] + EXTERNAL


def check_words(text: str, words: list[Word]) -> None:
    """The invariants every segmenter guarantees."""
    prev_end = 0
    covered = set()
    for w in words:
        assert isinstance(w, Word)
        assert prev_end <= w.start < w.end <= len(text), "in order, non-overlapping, non-empty"
        prev_end = w.end
        surface = text[w.start:w.end]
        assert surface.replace(" ", "_") == w.form
        assert not any(c.isspace() for c in w.form)
        assert "  " not in surface and surface.strip() == surface
        covered.update(range(w.start, w.end))
        if " " in surface:  # joined words are letter/digit syllables only
            assert all(WORDLIKE.fullmatch(part) for part in surface.split(" "))
    assert covered == {i for i, c in enumerate(text) if not c.isspace()} | {
        i for w in words for i in range(w.start, w.end) if text[i] == " "}
    inside = {i for s, e in syllable_spans(text) for i in range(s + 1, e)}
    assert not inside & ({w.start for w in words} | {w.end for w in words}), "a syllable token is never split"


# --- text strategies -------------------------------------------------------------------------

SYLLABLES = ("Khu công nghiệp Cụm Thanh Bình tỉnh Bắc Kạn Hoà Hòa Thuỷ Thủy Lạng Sơn thành phố Hồ Chí Minh "
             "diện tích đất doanh nghiệp đầu tư hạ tầng giai đoạn mở rộng TP HCM KCN CCN xã huyện").split()
PUNCT = list(".,;:-–()%/“”\"'!?…_@") + ["186,4ha", "16ha", "100%", "TP.HCM", "4/2025", "84,21"]
SPACES = [" ", " ", " ", " ", "\n", "  ", "\t", "\u00a0", " \n ", "\r\n"]

viet_text = st.lists(
    st.tuples(st.sampled_from(SYLLABLES + PUNCT), st.sampled_from(SPACES + [""])), max_size=40,
).map(lambda parts: "".join(a + b for a, b in parts))

any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60) | viet_text


# --- the registry ----------------------------------------------------------------------------

def test_registry():
    assert "syllable" in available_segmenters()
    seg = get_segmenter("syllable")
    assert isinstance(seg, Segmenter) and seg.name == "syllable"
    with pytest.raises(ValueError, match="unknown segmenter"):
        get_segmenter("vncorenlp-please")
    for name in available_segmenters():
        assert get_segmenter(name).name == name


@pytest.mark.parametrize("name", ALL)
def test_bad_input(name):
    with pytest.raises(TypeError):
        get_segmenter(name).segment(None)  # type: ignore[arg-type]


# --- invariants --------------------------------------------------------------------------------

@given(any_text)
@settings(max_examples=300, deadline=None)
def test_syllable_segmenter_invariants(text):
    words = get_segmenter("syllable").segment(text)
    check_words(text, words)
    assert [(w.start, w.end) for w in words] == syllable_spans(text)


@pytest.mark.parametrize("name", EXTERNAL)
def test_external_segmenter_invariants(name):
    seg = get_segmenter(name)

    @given(viet_text)
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    def run(text):
        check_words(text, seg.segment(text))

    run()


@pytest.mark.parametrize("name", ALL)
def test_empty_and_blank(name):
    seg = get_segmenter(name)
    assert seg.segment("") == []
    assert seg.segment(" \n\t ") == []
    assert [w.form for w in seg.segment("KCN")] == ["KCN"]


@pytest.mark.parametrize("name", EXTERNAL)
def test_rewrites_never_change_the_text(name):
    # underthesea rewrites Hoà as Hòa and joins across newlines; pyvi splits 186,4ha and 16ha
    text = "Khu công nghiệp Hoà Bình có diện tích 186,4ha, “16ha” ở Hòa\nDòng, thành phố Hồ Chí Minh."
    words = get_segmenter(name).segment(text)
    check_words(text, words)
    forms = [w.form for w in words]
    assert "Hoà_Bình" in forms and "công_nghiệp" in forms
    assert "4ha" in forms and "16ha" in forms
    assert not any("Dòng" in f and "Hòa" in f for f in forms)
    assert "Hồ_Chí_Minh" in forms or "thành_phố" in forms


@pytest.mark.parametrize("name", EXTERNAL)
def test_articles(name):
    seg = get_segmenter(name)
    n_joined = 0
    for path in ARTICLES:
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
        words = seg.segment(text)
        check_words(text, words)
        n_joined += sum("_" in w.form for w in words)
    assert n_joined > 100  # it does join words


@pytest.mark.parametrize("name", EXTERNAL)
def test_long_single_line_document(name):
    sentence = "Khu công nghiệp Thanh Bình tỉnh Bắc Kạn có tổng diện tích 186,4ha, lấp đầy 84,21%. "
    text = sentence * 300  # ~25k chars, no newline: segmented in pieces
    words = get_segmenter(name).segment(text)
    check_words(text, words)
    assert sum(w.form == "công_nghiệp" for w in words) >= 290


# --- alignment against a segmenter that rewrites its input --------------------------------------

class Rewriting(_AlignedSegmenter):
    """Joins pairs of syllables and rewrites its output the ways real segmenters do."""

    name = "rewriting"
    max_chunk_chars = 40

    def __init__(self, rewrite):
        self.rewrite = rewrite

    def _words(self, chunk):
        toks = re.findall(r"\w+|[^\w\s]", chunk)
        pairs = ["_".join(toks[i:i + 2]) for i in range(0, len(toks), 2)]
        return [self.rewrite(p) for p in pairs]


@pytest.mark.parametrize("rewrite", [
    lambda w: w,
    lambda w: w.replace("oà", "òa").replace("uỷ", "ủy"),          # tone-mark placement
    lambda w: unicodedata.normalize("NFD", w).upper(),            # decomposed, recased
    lambda w: w.replace("“", '"').replace("”", '"'),              # quotes
    lambda w: w.replace("a", ""),                                 # dropped characters
    lambda w: "xx" + w + "@",                                     # invented characters
    lambda w: "",                                                 # nothing at all
])
def test_alignment_survives_rewrites(rewrite):
    seg = Rewriting(rewrite)

    @given(viet_text)
    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
    def run(text):
        check_words(text, seg.segment(text))

    run()


def test_alignment_follows_the_segmenter():
    text = "Thành phố Hoà Bình, “khu công nghiệp”"
    words = Rewriting(lambda w: w.replace("oà", "òa")).segment(text)
    assert [w.form for w in words] == ["Thành_phố", "Hoà_Bình", ",", "“", "khu_công", "nghiệp", "”"]


def test_chunks_are_bounded_and_cut_at_sentences():
    text = ("Câu một có năm chữ. " * 50) + "x" * 300
    sylls = syllable_spans(text)
    chunks = list(_chunks(text, sylls, 100))
    assert chunks[0][0] == 0 and chunks[-1][1] == len(sylls)
    assert all(a < b for a, b in chunks) and all(b == c for (_, b), (c, _) in zip(chunks, chunks[1:]))
    for a, b in chunks:
        assert sylls[b - 1][1] - sylls[a][0] <= 100 or b - a == 1
        if b < len(sylls) and sylls[b][0] < len(text) - 300:
            assert text[sylls[b - 1][0]] == "."  # cut after a sentence


# --- split_words_at ----------------------------------------------------------------------------

def test_split_words_at_gold_span_inside_a_word():
    text = "Khu công nghiệp Thanh Bình"
    words = [Word(0, 15, "Khu_công_nghiệp"), Word(16, 26, "Thanh_Bình")]
    new, n = split_words_at(words, [4, 15, 21], text=text)
    assert n == 2
    assert new == [Word(0, 3, "Khu"), Word(4, 15, "công_nghiệp"), Word(16, 21, "Thanh"), Word(22, 26, "Bình")]
    assert split_words_at(words, [3, 21]) == (new[:1] + [Word(4, 15, "công_nghiệp")] + new[2:], 2)
    assert split_words_at(words, [0, 15, 16, 26, 100]) == (words, 0)  # edges and outside split nothing
    # A cut inside a syllable splits its characters: no gold boundary is ever lost.
    assert split_words_at(words, [1]) == ([Word(0, 1, "K"), Word(1, 15, "hu_công_nghiệp"), words[1]], 1)


@given(viet_text, st.data())
@settings(max_examples=200, deadline=None)
def test_split_words_at_makes_boundaries_word_boundaries(text, data):
    words = Rewriting(lambda w: w).segment(text)
    bounds = sorted({b for s in syllable_spans(text) for b in s})
    chosen = data.draw(st.lists(st.sampled_from(bounds), max_size=6) if bounds else st.just([]))
    new, n = split_words_at(words, chosen, text=text)
    check_words(text, new)
    assert split_words_at(words, chosen) == (new, n)  # forms alone suffice
    edges = {w.start for w in new} | {w.end for w in new}
    for b in chosen:
        assert not any(w.start < b < w.end for w in new)
        assert b in edges or text[b - 1:b] == " " or b in (0, len(text))
    assert n == sum(1 for w in words if any(w.start < b < w.end for b in chosen))
    assert len(new) >= len(words) + n


def test_split_words_at_rejects_inconsistent_words():
    with pytest.raises(ValueError):
        split_words_at([Word(0, 5, "ab_c")], [2], text="ab cde")


# --- benchmark --------------------------------------------------------------------------------

def test_benchmark_reports_every_segmenter():
    texts = ["Khu công nghiệp Thanh Bình.", "Cụm công nghiệp Huyền Tụng (16ha)."]
    res = benchmark_segmenters(texts, names=["syllable"], repeat=1)
    assert set(res) == {"syllable"}
    assert res["syllable"]["chars"] == sum(map(len, texts))
    assert res["syllable"]["words"] == sum(len(syllable_spans(t)) for t in texts)
    assert res["syllable"]["chars_per_s"] > 0

"""Subword encoding, windowing and merging (models.encoding)."""

from __future__ import annotations

import functools
import importlib.util
import re
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.document import Span
from annotations.labels import BIO_TAGS
from annotations.syllables import syllable_spans
from models.encoding import (
    EncodedDocument,
    Window,
    WordPieceEncoder,
    make_windows,
    merge_windows,
)
from models.pipeline import encode_document
from models.segment import Word, get_segmenter
from models.word_spans import word_labels, words_to_spans

ROOT = Path(__file__).resolve().parent.parent
PHOBERT_DIR = ROOT.parent / "shared" / "phobert-tokenizer"
ARTICLES = sorted((ROOT / "annotations" / "articles").glob("*.txt"))

CLS, SEP = 1, 2


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


# --- tokenizers ---------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def char_tokenizer():
    """A real fast HF tokenizer built here: one token per character, U+200B removed."""
    from tokenizers import Tokenizer, models, normalizers
    from transformers import PreTrainedTokenizerFast

    specials = ["[UNK]", "[CLS]", "[SEP]", "[PAD]"]
    chars = sorted({c for p in ARTICLES for c in unicodedata.normalize("NFC", p.read_text(encoding="utf-8"))}
                   | set("_%,.()“”0123456789"))
    vocab = {t: i for i, t in enumerate(specials + [c for c in chars if not c.isspace()])}
    tk = Tokenizer(models.BPE(vocab=vocab, merges=[], unk_token="[UNK]"))
    tk.normalizer = normalizers.Replace("\u200b", "")
    return PreTrainedTokenizerFast(tokenizer_object=tk, unk_token="[UNK]", cls_token="[CLS]",
                                   sep_token="[SEP]", pad_token="[PAD]")


@functools.lru_cache(maxsize=1)
def char_word_encoder():
    return WordPieceEncoder(char_tokenizer())


@pytest.fixture(scope="module")
def char_encoder():
    return char_word_encoder()


@pytest.fixture(scope="module")
def phobert():
    if not (PHOBERT_DIR / "vocab.txt").exists() or not (PHOBERT_DIR / "bpe.codes").exists():
        pytest.skip(f"PhoBERT tokenizer files not found in {PHOBERT_DIR} (shared/ is absent)")
    from transformers import PhobertTokenizer

    return PhobertTokenizer(vocab_file=str(PHOBERT_DIR / "vocab.txt"), merges_file=str(PHOBERT_DIR / "bpe.codes"))


def segmenter_names():
    names = ["syllable"]
    if importlib.util.find_spec("pyvi") is not None:
        names.append("pyvi")
    return names


class Pairs:
    """A segmenter joining every two neighbouring letter syllables of a line (deterministic)."""

    name = "pairs"

    def segment(self, text):
        words, pending = [], None
        for s, e in syllable_spans(text):
            wordlike = re.fullmatch(r"\w+", text[s:e]) is not None
            if pending and wordlike and pending[1] + 1 == s and text[pending[1]] == " ":
                words.append(Word(pending[0], e, text[pending[0]:e].replace(" ", "_")))
                pending = None
                continue
            if pending:
                words.append(Word(pending[0], pending[1], text[pending[0]:pending[1]]))
                pending = None
            if wordlike:
                pending = (s, e)
            else:
                words.append(Word(s, e, text[s:e]))
        if pending:
            words.append(Word(pending[0], pending[1], text[pending[0]:pending[1]]))
        return words


# --- window invariants ----------------------------------------------------------------------------

def check_windows(word_pieces, windows, max_length, stride):
    budget = max_length - 2
    lens = [len(p) for p in word_pieces]
    seen = [[] for _ in word_pieces]  # piece lists per word, per window
    for win in windows:
        assert isinstance(win, Window)
        n = len(win.input_ids)
        assert 3 <= n <= max_length
        assert len(win.word_ids) == len(win.first_subword) == n
        assert win.input_ids[0] == CLS and win.input_ids[-1] == SEP
        assert win.word_ids[0] is None and win.word_ids[-1] is None
        content = win.word_ids[1:-1]
        assert None not in content and content == sorted(content)
        assert win.first_subword[0] is False and win.first_subword[-1] is False
        pos = 1
        for w in dict.fromkeys(content):
            k = content.count(w)
            seen[w].append(win.input_ids[pos:pos + k])
            if lens[w] <= budget:  # never starts or ends inside a word that fits
                assert win.input_ids[pos:pos + k] == list(word_pieces[w])
                assert win.first_subword[pos:pos + k] == [True] + [False] * (k - 1)
            pos += k
        full = [w for w in dict.fromkeys(content) if lens[w] <= budget]
        assert list(range(win.word_start, win.word_end)) == full
    for w, parts in enumerate(seen):
        assert parts, f"word {w} is in no window"
        if lens[w] > budget:  # split across its own windows, nothing dropped
            assert [t for part in parts for t in part] == list(word_pieces[w])
    firsts = [(w, sum(win.first_subword[i] and win.word_ids[i] == w for win in windows for i in
                      range(len(win.input_ids)))) for w in range(len(word_pieces))]
    assert all(c >= 1 for _, c in firsts)
    normal = [win for win in windows if win.word_end > win.word_start]
    prefix = np.concatenate([[0], np.cumsum(lens)]) if lens else np.array([0])
    for a, b in zip(windows, windows[1:]):
        if a not in normal or b not in normal:
            continue
        assert a.word_start < b.word_start and a.word_end < b.word_end
        assert b.word_start <= a.word_end, "no word is skipped"
        if a.word_end < len(lens):  # greedy: the next word would not have fitted
            assert prefix[a.word_end + 1] - prefix[a.word_start] > budget
        overlap = prefix[a.word_end] - prefix[b.word_start]
        if overlap < stride:  # only when one more word on the left was impossible
            s2 = b.word_start - 1
            assert s2 <= a.word_start or prefix[a.word_end + 1] - prefix[s2] > budget


@given(
    st.lists(st.one_of(st.integers(1, 4), st.integers(1, 40)), max_size=120),
    st.integers(3, 64),
    st.data(),
)
@settings(max_examples=400, deadline=None)
def test_window_invariants(lengths, max_length, data):
    stride = data.draw(st.integers(0, max_length - 3))
    word_pieces = [[100 + 10 * w + k for k in range(n)] for w, n in enumerate(lengths)]
    windows = make_windows(word_pieces, max_length=max_length, stride=stride, cls_id=CLS, sep_id=SEP)
    check_windows(word_pieces, windows, max_length, stride)
    # merge picks one row per word, from a window that holds the word's first piece
    scores = [[(k, t) for t in range(len(win.input_ids))] for k, win in enumerate(windows)]
    merged = merge_windows(windows, scores, len(lengths))
    assert len(merged) == len(lengths)
    for w, (k, t) in enumerate(merged):
        assert windows[k].word_ids[t] == w and windows[k].first_subword[t]


def test_make_windows_examples_and_errors():
    pieces = [[10], [11, 12], [13], [14, 15, 16], [17]]
    wins = make_windows(pieces, max_length=6, stride=2, cls_id=CLS, sep_id=SEP)
    assert [(w.word_start, w.word_end) for w in wins] == [(0, 3), (2, 4), (3, 5)]  # (1, 3) adds no word
    assert wins[0].input_ids == [CLS, 10, 11, 12, 13, SEP]
    assert wins[0].word_ids == [None, 0, 1, 1, 2, None]
    assert wins[0].first_subword == [False, True, True, False, True, False]
    assert make_windows([], stride=0, cls_id=CLS, sep_id=SEP) == []
    long_word = make_windows([[1] * 10, [2]], max_length=6, stride=1, cls_id=CLS, sep_id=SEP)
    assert [len(w.input_ids) for w in long_word] == [6, 6, 4, 3]
    with pytest.raises(ValueError, match="stride"):
        make_windows(pieces, max_length=6, stride=4, cls_id=CLS, sep_id=SEP)
    with pytest.raises(ValueError, match="max_length"):
        make_windows(pieces, max_length=2, stride=0, cls_id=CLS, sep_id=SEP)
    with pytest.raises(ValueError, match="no pieces"):
        make_windows([[1], []], max_length=6, stride=0, cls_id=CLS, sep_id=SEP)


def test_merge_windows_prefers_context_and_checks_shapes():
    pieces = [[10 + i] for i in range(8)]
    wins = make_windows(pieces, max_length=7, stride=3, cls_id=CLS, sep_id=SEP)
    assert [(w.word_start, w.word_end) for w in wins] == [(0, 5), (2, 7), (4, 8)]
    scores = np.stack([np.full((7, 1), k) for k in range(len(wins))])  # padded batch, row = window id
    merged = merge_windows(wins, scores, 8)
    # word 3: context 1 in windows 0 and 1 (the first wins); word 4: 0, 2, 0; word 6: 0 in 1, 1 in 2
    assert [int(r[0]) for r in merged] == [0, 0, 0, 0, 1, 1, 2, 2]
    with pytest.raises(ValueError, match="score sets"):
        merge_windows(wins, scores[:2], 8)
    with pytest.raises(ValueError, match="score rows"):
        merge_windows(wins, [s[:3] for s in scores], 8)
    with pytest.raises(ValueError, match="in no window"):
        merge_windows(wins, scores, 9)


# --- the encoder --------------------------------------------------------------------------------

def test_word_piece_encoder(char_encoder):
    enc = char_encoder
    assert (enc.cls_id, enc.sep_id, enc.pad_id, enc.unk_id) == (1, 2, 3, 0)
    before = enc.cached_forms
    a = enc.pieces("Khu_công")
    assert len(a) == len("Khu_công") and enc.pieces("Khu_công") == a
    assert enc.cached_forms == before + 1
    assert enc.pieces("\u200b") == [enc.unk_id]  # tokenizes to nothing
    with pytest.raises(TypeError):
        enc.pieces(None)  # type: ignore[arg-type]


def test_encoder_needs_special_tokens():
    with pytest.raises(ValueError, match="cls_token_id"):
        WordPieceEncoder(object())


# --- documents ----------------------------------------------------------------------------------

@pytest.mark.parametrize("segmenter", segmenter_names())
def test_nfd_document_round_trip(segmenter, char_encoder):
    text = nfd("Toàn cảnh Khu công nghiệp Hoà Bình (tỉnh Hoà Bình) rộng 186,4ha, lấp đầy 84,21%.\n"
               "Cụm công nghiệp Huyền Tụng (thành phố Bắc Kạn, 16ha).")
    gold = [Span.from_text(text, m.start(), m.end(), label) for label, pat in [
        ("CLUSTER", nfd("Khu công nghiệp Hoà Bình")), ("LOCATION", nfd("tỉnh Hoà Bình")),
        ("AREA", "186,4ha"), ("PERCENT", "84,21%"), ("CLUSTER", nfd("Cụm công nghiệp Huyền Tụng")),
        ("LOCATION", nfd("thành phố Bắc Kạn")), ("AREA", "16ha")] for m in [re.search(re.escape(pat), text)]]
    doc = encode_document(text, get_segmenter(segmenter), char_encoder, max_length=16, stride=4,
                          boundaries=[b for s in gold for b in (s.start, s.end)])
    assert isinstance(doc, EncodedDocument) and doc.text == text
    ends = [(w.start, w.end) for w in doc.words]
    assert ends == sorted(ends) and all(a[1] <= b[0] for a, b in zip(ends, ends[1:]))
    for w in doc.words:  # NFC forms, original offsets
        assert unicodedata.normalize("NFC", text[w.start:w.end]).replace(" ", "_") == w.form
    tags, missed = word_labels(doc.words, gold)
    assert missed == []
    spans = words_to_spans(text, doc.words, tags)
    assert [s.key for s in spans] == sorted(s.key for s in gold)
    assert all(s.text == text[s.start:s.end] for s in spans)
    check_windows(doc.word_pieces, doc.windows, 16, 4)


def test_gold_span_inside_a_segmented_word(char_encoder):
    text = nfd("Khu công nghiệp Thanh Bình ở Bắc Kạn")
    start = text.index(nfd("Thanh"))
    gold = [Span.from_text(text, start, text.index(nfd(" ở")), "CLUSTER")]
    plain = encode_document(text, Pairs(), char_encoder)
    assert any(w.form == "nghiệp_Thanh" for w in plain.words) and plain.n_split == 0
    assert word_labels(plain.words, gold)[1] == gold  # not representable without splitting
    doc = encode_document(text, Pairs(), char_encoder, boundaries=[gold[0].start, gold[0].end])
    assert doc.n_split == 2  # nghiệp_Thanh and Bình_ở
    assert [w.form for w in doc.words] == ["Khu_công", "nghiệp", "Thanh", "Bình", "ở", "Bắc_Kạn"]
    tags, missed = word_labels(doc.words, gold)
    assert missed == [] and tags == ["O", "O", "B-CLUSTER", "I-CLUSTER", "O", "O"]
    assert [s.key for s in words_to_spans(text, doc.words, tags)] == [gold[0].key]


def long_text(n_words: int) -> str:
    base = [unicodedata.normalize("NFC", p.read_text(encoding="utf-8")) for p in ARTICLES]
    out, count = [], 0
    while count < n_words:
        for t in base:
            out.append(t)
            count += len(syllable_spans(t))
    return "\n".join(out)


def test_20000_word_document_windows_and_merge(char_encoder):
    text = long_text(20000)
    doc = encode_document(text, get_segmenter("syllable"), char_encoder, max_length=256, stride=64)
    n = len(doc.words)
    assert n >= 20000
    assert all(len(w.input_ids) <= 256 for w in doc.windows)
    assert sum(len(p) for p in doc.word_pieces) > 256 * 50
    scores = [np.array([[w if w is not None else -1] for w in win.word_ids]) for win in doc.windows]
    merged = merge_windows(doc.windows, scores, n)
    assert [int(r[0]) for r in merged] == list(range(n))  # every word exactly once, its own row


def test_spans_at_window_edges_survive_merge(char_encoder):
    text = long_text(1500)
    max_length, stride = 64, 24
    seg = get_segmenter("syllable")
    probe = encode_document(text, seg, char_encoder, max_length=max_length, stride=stride)
    words, windows = probe.words, probe.windows
    assert len(windows) > 20
    # gold: one-word spans on the first and last whole word of every window (bar the document's edges)
    labels = ["CLUSTER", "LOCATION", "AREA", "PERCENT"]
    at_edges = sorted({i for win in windows for i in (win.word_start, win.word_end - 1)} - {0, len(words) - 1})
    gold = [Span.from_text(text, words[i].start, words[i].end, labels[k % 4]) for k, i in enumerate(at_edges)]
    tags, missed = word_labels(words, gold)
    assert missed == []
    # each window predicts the truth where a word has context, and a wrong label near its own edges
    max_piece = max(len(p) for p in probe.word_pieces)
    margin = stride // 2 - max_piece
    assert margin > 0
    tag_id = {t: i for i, t in enumerate(BIO_TAGS)}
    scores = []
    for win in windows:
        rows = np.zeros((max_length, len(BIO_TAGS)))
        n = len(win.input_ids)
        for t, w in enumerate(win.word_ids):
            if w is None:
                continue
            left = t - 1 if win.word_start > 0 else 10**6
            right = n - 2 - t if win.word_end < len(words) else 10**6
            truth = tag_id[tags[w]]
            rows[t, truth if min(left, right) >= margin else (truth + 1) % len(BIO_TAGS)] = 1.0
        scores.append(rows)
    merged = merge_windows(windows, np.stack(scores), len(words))
    predicted = [BIO_TAGS[int(np.argmax(r))] for r in merged]
    assert predicted == tags
    spans = words_to_spans(text, words, predicted, scores=[float(r.max()) for r in merged])
    assert [s.key for s in spans] == [s.key for s in gold] and all(s.score == 1.0 for s in spans)


def test_boundaries_outside_text_rejected(char_encoder):
    with pytest.raises(ValueError, match="boundary"):
        encode_document("abc", get_segmenter("syllable"), char_encoder, boundaries=[4])
    with pytest.raises(TypeError):
        encode_document(None, get_segmenter("syllable"), char_encoder)  # type: ignore[arg-type]


@given(st.lists(st.sampled_from(["a", "e", "-", " ", "\u0301", "\u0323", "\u20d0", "\u0345", "ạ", "\n", "%"]),
                max_size=25).map("".join))
@settings(max_examples=150, deadline=None)
def test_words_never_overlap_after_mapping_back(text):
    doc = encode_document(text, get_segmenter("syllable"), char_word_encoder(), max_length=8, stride=2)
    edges = [(w.start, w.end) for w in doc.words]
    assert all(s < e for s, e in edges) and all(a[1] <= b[0] for a, b in zip(edges, edges[1:]))
    covered = {i for s, e in edges for i in range(s, e)}
    assert covered >= {i for i, c in enumerate(text) if not c.isspace()}
    for w in doc.words:
        assert unicodedata.normalize("NFC", text[w.start:w.end]).replace(" ", "_") == w.form


# --- the real PhoBERT tokenizer -----------------------------------------------------------------

def test_phobert_pieces_join_back_to_the_word(phobert):
    enc = WordPieceEncoder(phobert)
    assert (enc.cls_id, enc.sep_id, enc.pad_id, enc.unk_id) == (0, 2, 1, 3)
    text = unicodedata.normalize("NFC", ARTICLES[0].read_text(encoding="utf-8"))
    seg = get_segmenter(segmenter_names()[-1])
    words = seg.segment(text)
    assert any("_" in w.form for w in words) or seg.name == "syllable"
    for w in words:
        ids = enc.pieces(w.form)
        toks = phobert.convert_ids_to_tokens(ids)
        assert "".join(t[:-2] if t.endswith("@@") else t for t in toks) == w.form
        assert all(t.endswith("@@") for t in toks[:-1]) and not toks[-1].endswith("@@")


def test_phobert_document_windows_respect_256(phobert):
    enc = WordPieceEncoder(phobert)
    text = long_text(5000)
    doc = encode_document(text, get_segmenter(segmenter_names()[-1]), enc, max_length=256, stride=64)
    assert len(doc.windows) > 5
    assert max(len(w.input_ids) for w in doc.windows) <= 256
    for win in doc.windows:
        assert win.input_ids[0] == phobert.cls_token_id and win.input_ids[-1] == phobert.sep_token_id
        body = win.input_ids[1:-1]
        assert body == [t for p in doc.word_pieces[win.word_start:win.word_end] for t in p]
    merged = merge_windows(doc.windows, [list(range(len(w.input_ids))) for w in doc.windows], len(doc.words))
    assert len(merged) == len(doc.words)

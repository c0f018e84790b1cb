"""Document memory (models.context) and the ``rules+context`` hint source that reads it."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from annotations.document import Span
from annotations.labels import BIO_TAGS
from models.context import MEMORY_LABELS, bare_name, memory_spans, remembered_names
from models.hints import HINT_TYPES, KNOWN_UNIT_TAGS, MEMORY_TAGS, hint_types, word_hints
from models.rules import extract as rules, known_unit_spans
from models.segment import get_segmenter

SYL = get_segmenter("syllable")

FRAGMENTS = ["Khu công nghiệp Yên Phong", "Yên Phong", "xã Minh Sơn", "Minh Sơn", "KCN Tân Tạo", "Tân Tạo",
             "rộng 16ha", "tỉnh Bắc Ninh", "Bắc Ninh", "và", "ông", "nhà máy", ",", ".", "\n", "lấp đầy 90%",
             "Yên Phong 2", "huyện Yên Phong", "các", "mở rộng"]
texts = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=30).map(" ".join)


def test_a_name_given_in_full_is_remembered_bare_elsewhere():
    text = "Khu công nghiệp Hoa Phát Xanh rộng 300 ha. Các doanh nghiệp ở Hoa Phát Xanh tuyển thêm."
    spans = rules(text)
    assert [s.text for s in spans if s.label == "CLUSTER"] == ["Khu công nghiệp Hoa Phát Xanh"]
    got = [(s.text, s.label, s.start) for s in memory_spans(text, spans)]
    assert got == [("Hoa Phát Xanh", "CLUSTER", text.index("Hoa Phát Xanh", 20))]
    assert all(s.start >= 0 and text[s.start:s.end] == s.text for s in memory_spans(text, spans))


def test_bare_name_strips_the_type_or_administrative_word():
    text = "KCN Tân Tạo, Khu công nghiệp (KCN) Hiệp Phước, huyện Nhà Bè, TP.HCM, quận 9"
    def name(sub, label):
        start = text.index(sub)
        edges = bare_name(text, Span.from_text(text, start, start + len(sub), label))
        return None if edges is None else text[edges[0]:edges[1]]
    assert name("KCN Tân Tạo", "CLUSTER") == "Tân Tạo"
    assert name("Khu công nghiệp (KCN) Hiệp Phước", "CLUSTER") == "Hiệp Phước"
    assert name("huyện Nhà Bè", "LOCATION") == "Nhà Bè"
    assert name("TP.HCM", "LOCATION") == "HCM"
    assert name("quận 9", "LOCATION") is None  # a number is no name to remember


def test_a_name_two_labels_claim_is_not_remembered():
    text = "KCN Yên Phong và huyện Yên Phong"
    spans = [Span.from_text(text, 0, 13, "CLUSTER"), Span.from_text(text, 17, 32, "LOCATION")]
    assert "Yên Phong" not in remembered_names(text, spans)
    assert remembered_names(text, spans)["KCN Yên Phong"] == "CLUSTER"


@given(texts)
def test_memory_spans_are_exact_disjoint_and_outside_the_rules(text):
    spans = rules(text)
    mem = memory_spans(text, spans)
    for m in mem:
        assert text[m.start:m.end] == m.text and m.label in MEMORY_LABELS
        assert not any(m.overlaps(s) for s in spans)
        assert m.text in remembered_names(text, spans)
    assert all(a.end <= b.start for a, b in zip(mem, mem[1:]))


@given(texts)
def test_context_hints_add_memory_types_only_where_the_rules_say_O(text):
    words = SYL.segment(text)
    plain = word_hints(text, words, "rules")
    ctx = word_hints(text, words, "rules+context")
    assert len(plain) == len(ctx)
    for p, c in zip(plain, ctx):
        assert c == p or (p == 0 and HINT_TYPES <= c < hint_types("rules+context"))
    assert all(0 <= c < hint_types("rules+context") for c in ctx)


def test_hint_type_counts():
    assert hint_types(None) == 1
    assert hint_types("rules") == len(BIO_TAGS) == HINT_TYPES
    assert hint_types("rules+context") == len(BIO_TAGS) + len(MEMORY_TAGS) + len(KNOWN_UNIT_TAGS) == len(BIO_TAGS) + 6


def test_known_unit_names_the_rules_leave_untagged_get_their_own_type():
    text = "Công ty JK, Bình Chuẩn, Thuận An. KCN Sóng Thần"
    words = SYL.segment(text)
    ctx = dict(zip([w.form for w in words], word_hints(text, words, "rules+context")))
    plain = dict(zip([w.form for w in words], word_hints(text, words, "rules")))
    known_b = hint_types("rules") + len(MEMORY_TAGS)
    assert plain["Chuẩn"] == 0 and (ctx["Bình"], ctx["Chuẩn"]) == (known_b, known_b + 1)
    assert ctx["Sóng"] == plain["Sóng"] != 0  # the rules' tag wins where there is one
    assert [text[a:b] for a, b in known_unit_spans(text)][:2] == ["Bình Chuẩn", "Thuận An"]


@pytest.mark.slow
def test_a_model_reading_context_hints_trains_saves_and_tags(tmp_path):
    from transformers import AutoModelForTokenClassification

    from models import Tagger
    from models.tagger import TaggerSettings
    from training import train_model

    out = train_model("smoke", tmp_path / "ctx", progress=False,
                      overrides={"hints": "rules+context", "training.max_steps": 8, "training.eval_steps": 4})
    assert AutoModelForTokenClassification.from_pretrained(out).config.type_vocab_size == hint_types("rules+context")
    assert TaggerSettings.load(out).hints == "rules+context"
    tagger = Tagger.from_pretrained(out)
    text = "Khu công nghiệp Hoa Phát Xanh rộng 300 ha. Hoa Phát Xanh ở xã Bình Chuẩn."
    enc = tagger.encode(text)
    assert any(t >= HINT_TYPES for w in enc.windows for t in w.token_type_ids)
    assert all(text[s.start:s.end] == s.text for s in tagger.extract(text))

"""The underthesea baseline: mapping its rewritten tokens back to exact offsets (no underthesea needed),
and one real run where the optional package is installed."""

from __future__ import annotations

import importlib.util

import pytest

from annotations.document import Document
from evaluation.baselines.underthesea_ner import UndertheseaSystem, align_tokens, entities_to_spans
from evaluation.evaluate import evaluate_set


def test_align_tokens_survives_rewritten_text() -> None:
    text = "Hoà bình ở  Thuỷ Nguyên,TP.HCM"
    # underthesea moves tone marks (Hoà -> Hòa), joins words with spaces and splits punctuation
    tokens = ["Hòa bình", "ở", "Thủy Nguyên", ",", "TP.HCM"]
    assert [text[s:e] if (s, e) != (None, None) else None
            for s, e in (p or (None, None) for p in align_tokens(text, tokens))] == \
        ["Hoà bình", "ở", "Thuỷ Nguyên", ",", "TP.HCM"]


def test_entities_to_spans() -> None:
    text = "UBND tỉnh Lạng Sơn: KCN ở \"Hà Nội\" và TP.HCM."
    tagged = [("UBND", "Ny", "B-NP", "O"), ("tỉnh", "N", "B-NP", "B-LOC"), ("Lạng Sơn", "Np", "I-NP", "I-LOC"),
              (":", "CH", "O", "O"), ("KCN", "Np", "B-NP", "B-ORG"), ("ở", "E", "B-PP", "O"),
              ('"', "CH", "O", "B-LOC"), ("Hà Nội", "Np", "B-NP", "I-LOC"), ('"', "CH", "O", "I-LOC"),
              ("và", "C", "O", "O"), ("TP.HCM", "Np", "B-NP", "I-LOC"), (".", "CH", "O", "O")]
    spans, lost = entities_to_spans(text, tagged, offset=100)
    assert lost == 0
    # quotes are trimmed, ORG is not scored, an I-LOC after O starts a new entity
    assert [(s.start - 100, s.end - 100, s.label, s.text) for s in spans] == [
        (5, 18, "LOCATION", "tỉnh Lạng Sơn"), (27, 33, "LOCATION", "Hà Nội"), (38, 44, "LOCATION", "TP.HCM")]
    for s in spans:
        assert text[s.start - 100:s.end - 100] == s.text


def test_unalignable_entity_is_counted_not_guessed() -> None:
    spans, lost = entities_to_spans("abc", [("Hà Nội", "Np", "B-NP", "B-LOC")])
    assert spans == [] and lost == 1


def test_only_location_is_scored() -> None:
    assert UndertheseaSystem().labels == ("LOCATION",)


@pytest.mark.skipif(importlib.util.find_spec("underthesea") is None,
                    reason="underthesea (optional extra) is not installed")
def test_real_run_gives_valid_location_spans() -> None:
    text = "Nhà máy đặt tại tỉnh Bắc Kạn.\n\nÔng Nam đến Hà Nội hôm qua."
    docs = [Document("x", text, [])]
    pred = UndertheseaSystem().predict(docs)[0]
    assert pred and all(s.label == "LOCATION" and text[s.start:s.end] == s.text for s in pred)
    assert "Hà Nội" in [s.text for s in pred]
    figures = evaluate_set(docs, [UndertheseaSystem()], n_boot=10)["systems"]["underthesea"]
    assert figures["strict"]["CLUSTER"] is None and figures["strict"]["LOCATION"]["fp"] == len(pred)


def test_reported_unavailable_without_underthesea(monkeypatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_underthesea(name, *args, **kwargs):
        if name == "underthesea":
            raise ImportError("No module named 'underthesea'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_underthesea)
    figures = evaluate_set([Document("x", "tỉnh Bắc Kạn", [])], [UndertheseaSystem()], n_boot=10)
    assert figures["systems"]["underthesea"]["available"] is False
    assert "not installed" in figures["systems"]["underthesea"]["reason"]

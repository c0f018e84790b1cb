"""Documents <-> syllable BIO tags and CoNLL."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.bio import (BioDocument, bio_to_document, document_to_bio, from_conll, spans_to_tags,
                             tags_to_spans, to_conll)
from annotations.document import Document, Span
from annotations.syllables import syllable_spans
from strategies import document_lists, documents, doc_ids, spans_for, texts


def keys(spans):
    return [(s.key, s.text) for s in sorted(spans, key=lambda s: s.key)]


# ---------------------------------------------------------------------------
# Syllables
# ---------------------------------------------------------------------------


@given(texts)
def test_syllables_are_ordered_nonempty_and_cover_every_non_space(text):
    tokens = syllable_spans(text)
    covered = set()
    prev_end = 0
    for start, end in tokens:
        assert prev_end <= start < end
        assert not any(ch.isspace() for ch in text[start:end])
        covered.update(range(start, end))
        prev_end = end
    assert covered == {i for i, ch in enumerate(text) if not ch.isspace()}


def test_nfd_syllables_stay_whole_and_punctuation_splits():
    text = unicodedata.normalize("NFD", "Tân Tạo") + " 😀 TP.HCM, 186,4ha"
    assert [text[s:e] for s, e in syllable_spans(text)] == [
        unicodedata.normalize("NFD", "Tân"), unicodedata.normalize("NFD", "Tạo"), "😀", "TP", ".", "HCM", ",",
        "186", ",", "4ha"]


# ---------------------------------------------------------------------------
# Documents -> BIO -> documents
# ---------------------------------------------------------------------------


@given(documents(aligned=True))
def test_aligned_spans_round_trip_through_bio(doc):
    bio = document_to_bio(doc)
    assert bio.misaligned == []
    assert bio.tokens == syllable_spans(doc.text) and len(bio.tags) == len(bio.tokens)
    back = bio_to_document(bio)
    assert (back.id, back.text) == (doc.id, doc.text)
    assert keys(back.spans) == keys(doc.spans)


@given(documents())
def test_misaligned_spans_are_reported_and_the_others_kept(doc):
    tokens = syllable_spans(doc.text)
    starts, ends = {s for s, _ in tokens}, {e for _, e in tokens}
    aligned = [s for s in doc.spans if s.start in starts and s.end in ends]
    expected_misaligned = [s for s in doc.spans if s not in aligned]
    bio = document_to_bio(doc)
    assert sorted(bio.misaligned, key=lambda s: s.key) == sorted(expected_misaligned, key=lambda s: s.key)
    assert keys(bio_to_document(bio).spans) == keys(aligned)


def test_misaligned_hand_cases():
    text = "KCN Tân Tạo, 16ha"
    inside = Span(1, 3, "CLUSTER", "CN")           # starts inside a syllable
    with_space = Span(0, 4, "CLUSTER", "KCN ")     # ends on a space
    empty = Span(4, 4, "CLUSTER", "")
    good = Span(0, 11, "CLUSTER", "KCN Tân Tạo")
    tags, misaligned = spans_to_tags(syllable_spans(text), [inside, with_space, empty])
    assert sorted(misaligned, key=lambda s: s.key) == [with_space, inside, empty]
    assert set(tags) == {"O"}
    tags, misaligned = spans_to_tags(syllable_spans(text), [good])
    assert (tags, misaligned) == (["B-CLUSTER", "I-CLUSTER", "I-CLUSTER", "O", "O"], [])


@given(st.data())
def test_overlapping_spans_are_reported_not_merged(data):
    text = data.draw(texts.filter(lambda t: len(syllable_spans(t)) >= 2))
    spans = data.draw(spans_for(text, aligned=True, max_spans=4))
    tokens = syllable_spans(text)
    i = data.draw(st.integers(0, len(tokens) - 1))
    j = data.draw(st.integers(i, len(tokens) - 1))
    extra = Span(tokens[i][0], tokens[j][1], "PERCENT", text[tokens[i][0]:tokens[j][1]])
    tags, misaligned = spans_to_tags(tokens, spans + [extra])
    decoded = tags_to_spans(text, tokens, tags)
    # every input span is either encoded exactly or reported; nothing is lost or invented
    assert sorted([s.key for s in decoded] + [s.key for s in misaligned]) == sorted(
        s.key for s in spans + [extra])
    if any(s.overlaps(extra) for s in spans):
        assert misaligned


# ---------------------------------------------------------------------------
# tags_to_spans by hand
# ---------------------------------------------------------------------------

TEXT = "a b c d e"
TOKENS = syllable_spans(TEXT)


def spans_of(tags, scores=None):
    return [(s.start, s.end, s.label, s.text, s.score) for s in tags_to_spans(TEXT, TOKENS, tags, scores)]


def test_i_after_o_starts_a_span():
    assert spans_of(["O", "I-AREA", "I-AREA", "O", "O"]) == [(2, 5, "AREA", "b c", None)]


def test_i_with_another_label_starts_a_new_span():
    assert spans_of(["B-AREA", "I-PERCENT", "I-PERCENT", "O", "O"]) == [
        (0, 1, "AREA", "a", None), (2, 5, "PERCENT", "b c", None)]


def test_b_after_b_gives_adjacent_spans():
    assert spans_of(["B-LOCATION", "B-LOCATION", "I-LOCATION", "B-CLUSTER", "O"]) == [
        (0, 1, "LOCATION", "a", None), (2, 5, "LOCATION", "b c", None), (6, 7, "CLUSTER", "d", None)]


def test_span_at_the_end_is_closed():
    assert spans_of(["O", "O", "O", "B-PERCENT", "I-PERCENT"]) == [(6, 9, "PERCENT", "d e", None)]


def test_scores_are_averaged_per_span():
    result = spans_of(["B-AREA", "I-AREA", "O", "B-AREA", "O"], [0.2, 0.6, 0.99, 0.5, 0.1])
    assert [(s, e, lab) for s, e, lab, _, _ in result] == [(0, 3, "AREA"), (6, 7, "AREA")]
    assert [score for *_, score in result] == [pytest.approx(0.4), pytest.approx(0.5)]


def test_all_o_gives_no_spans():
    assert spans_of(["O"] * 5) == []
    assert tags_to_spans("", [], []) == []


@pytest.mark.parametrize("tags,scores,match", [
    (["O"] * 4, None, "5 tokens but 4 tags"),
    (["O", "X-AREA", "O", "O", "O"], None, "not an IOB2 tag"),
    (["B-AREA", "O", "O", "O", "O"], [0.5] * 4, "scores"),
])
def test_tags_to_spans_rejects_bad_input(tags, scores, match):
    with pytest.raises(ValueError, match=match):
        tags_to_spans(TEXT, TOKENS, tags, scores)


# ---------------------------------------------------------------------------
# CoNLL
# ---------------------------------------------------------------------------


@given(document_lists(aligned=True))
def test_conll_round_trip_is_exact(docs):
    content, dropped = to_conll(docs)
    assert dropped == []
    back = from_conll(content)
    assert [(d.id, d.text, keys(d.spans)) for d in back] == [(d.id, d.text, keys(d.spans)) for d in docs]
    assert to_conll(back) == (content, [])


@given(document_lists())
def test_conll_reports_what_it_drops(docs):
    content, dropped = to_conll(docs)
    expected = [(d.id, s) for d in docs for s in document_to_bio(d).misaligned]
    assert dropped == expected
    back = from_conll(content)
    dropped_keys = {(doc_id, s.key) for doc_id, s in dropped}
    for doc, got in zip(docs, back):
        assert keys(got.spans) == keys([s for s in doc.spans if (doc.id, s.key) not in dropped_keys])


def test_conll_hand_case_with_tabs_newlines_and_quotes():
    text = 'KCN "Tân\tTạo"\n\r\nở\t“Long An” 😀 \\n 30 %'
    spans = [Span.from_text(text, 0, 12, "CLUSTER"), Span.from_text(text, text.index("Long"), text.index("An") + 2,
                                                                       "LOCATION"),
             Span.from_text(text, text.index("30"), len(text), "PERCENT")]
    doc = Document('id with "quotes"\tand tab', text, spans)
    content, dropped = to_conll([doc])
    assert dropped == []
    lines = content.split("\n")
    assert lines[0] == '# doc_id = id with "quotes"\tand tab'
    assert lines[1] == '# text = "KCN \\"Tân\\tTạo\\"\\n\\r\\nở\\t“Long An” 😀 \\\\n 30 %"'
    assert lines[2] == "KCN\t0\t3\tB-CLUSTER"
    assert content.endswith("\n\n")
    (back,) = from_conll(content)
    assert (back.id, back.text, keys(back.spans)) == (doc.id, doc.text, keys(doc.spans))


@given(doc_ids.filter(lambda i: "\n" not in i and "\r" not in i))
def test_conll_keeps_any_single_line_doc_id(doc_id):
    (back,) = from_conll(to_conll([Document(doc_id, "Huế")])[0])
    assert back.id == doc_id


@pytest.mark.parametrize("doc_id", ["a\nb", "a\rb"])
def test_conll_rejects_doc_ids_with_line_breaks(doc_id):
    with pytest.raises(ValueError, match="doc id"):
        to_conll([Document(doc_id, "Huế")])


def test_empty_inputs():
    assert to_conll([]) == ("", [])
    assert from_conll("") == []
    (doc,) = from_conll(to_conll([Document("e", "")])[0])
    assert (doc.id, doc.text, doc.spans) == ("e", "", [])


@pytest.mark.parametrize("content,match", [
    ('# doc_id = a\n# text = "ab"\nab\t0\t2\n', "expected 'token"),
    ('# doc_id = a\nab\t0\t2\tO\n', "expected 'token"),
    ('# doc_id = a\n# text = "ab"\nxy\t0\t2\tO\n', "token 'xy'"),
])
def test_from_conll_rejects_malformed_lines(content, match):
    with pytest.raises(ValueError, match=match):
        from_conll(content)


def test_bio_document_defaults():
    bio = BioDocument("d", "ab", [(0, 2)], ["B-AREA"])
    assert bio.misaligned == []
    assert bio_to_document(bio).spans == [Span(0, 2, "AREA", "ab")]

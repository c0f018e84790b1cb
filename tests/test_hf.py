"""Documents -> Hugging Face ``datasets.Dataset`` of syllables with ClassLabel tags."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from annotations.bio import tags_to_spans
from annotations.document import Document, Span
from annotations.hf import documents_to_dataset, features
from annotations.labels import BIO_TAGS
from annotations.syllables import syllable_spans
from strategies import document_lists, documents


def test_features_class_label_names_are_the_bio_tags():
    assert features()["ner_tags"].feature.names == list(BIO_TAGS)


@settings(max_examples=25)
@given(document_lists(aligned=True))
def test_rows_are_consistent_with_the_text_and_decode_to_the_spans(docs):
    ds = documents_to_dataset(docs)
    assert ds.features["ner_tags"].feature.names == list(BIO_TAGS)
    assert len(ds) == len(docs)
    names = ds.features["ner_tags"].feature
    for doc, row in zip(docs, ds):
        assert (row["id"], row["text"]) == (doc.id, doc.text)
        offsets = list(zip(row["token_starts"], row["token_ends"]))
        assert offsets == syllable_spans(doc.text)
        assert row["tokens"] == [doc.text[s:e] for s, e in offsets]
        tags = [names.int2str(i) for i in row["ner_tags"]]
        decoded = tags_to_spans(doc.text, offsets, tags)
        assert sorted((s.key, s.text) for s in decoded) == sorted((s.key, s.text) for s in doc.spans)


def test_hand_case_with_emoji_and_nfd():
    text = "KCN Ta\u0302n Ta\u0323o 😀 tỉnh Long An 30%"
    doc = Document("d", text, [Span.from_text(text, 0, 13, "CLUSTER"), Span.from_text(text, 16, 28, "LOCATION"),
                               Span.from_text(text, 29, 32, "PERCENT")])
    row = documents_to_dataset([doc])[0]
    assert row["tokens"] == ["KCN", "Ta\u0302n", "Ta\u0323o", "😀", "tỉnh", "Long", "An", "30", "%"]
    assert [BIO_TAGS[i] for i in row["ner_tags"]] == [
        "B-CLUSTER", "I-CLUSTER", "I-CLUSTER", "O", "B-LOCATION", "I-LOCATION", "I-LOCATION", "B-PERCENT", "I-PERCENT"]


@settings(max_examples=25)
@given(documents())
def test_strict_raises_on_misaligned_and_lenient_drops_only_those(doc):
    tokens = syllable_spans(doc.text)
    starts, ends = {s for s, _ in tokens}, {e for _, e in tokens}
    aligned = [s for s in doc.spans if s.start in starts and s.end in ends]
    if len(aligned) < len(doc.spans):
        with pytest.raises(ValueError, match="syllable"):
            documents_to_dataset([doc])
    else:
        documents_to_dataset([doc])
    row = documents_to_dataset([doc], strict=False)[0]
    decoded = tags_to_spans(doc.text, list(zip(row["token_starts"], row["token_ends"])),
                            [BIO_TAGS[i] for i in row["ner_tags"]])
    assert sorted(s.key for s in decoded) == sorted(s.key for s in aligned)


def test_strict_error_names_the_document_and_span():
    doc = Document("doc-7", "KCN Tân", [Span(0, 2, "CLUSTER", "KC")])
    with pytest.raises(ValueError, match=r"doc-7.*syllable.*'KC'"):
        documents_to_dataset([doc])


def test_empty_list_gives_an_empty_dataset_with_the_features():
    ds = documents_to_dataset([])
    assert len(ds) == 0 and ds.features == features()

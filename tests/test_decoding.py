"""Constrained IOB2 decoding."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from annotations.labels import BIO_TAGS
from models.decoding import (allowed_transitions, check_prior_scale, tag_log_prior,
                             transition_log_probs, transition_matrix, viterbi, viterbi_batch)

LABELS = list(BIO_TAGS)


def _valid(path):
    start, step = allowed_transitions(LABELS)
    return start[path[0]] and all(step[a, b] for a, b in zip(path, path[1:]))


def _score(lp, path):
    return sum(lp[t, j] for t, j in enumerate(path))


def test_a_stray_inside_tag_is_repaired_by_its_context():
    # "6 %": the model is unsure about "6" but sure "%" is inside a PERCENT.
    lp = np.log(np.full((2, len(LABELS)), 0.01))
    lp[0, LABELS.index("O")] = np.log(0.5)
    lp[0, LABELS.index("B-PERCENT")] = np.log(0.4)
    lp[1, LABELS.index("I-PERCENT")] = np.log(0.9)
    assert [LABELS[i] for i in viterbi(lp, LABELS)] == ["B-PERCENT", "I-PERCENT"]


def test_type_switch_inside_a_span_is_not_allowed():
    start, step = allowed_transitions(LABELS)
    assert not step[LABELS.index("B-LOCATION"), LABELS.index("I-CLUSTER")]
    assert step[LABELS.index("B-LOCATION"), LABELS.index("I-LOCATION")]
    assert not start[LABELS.index("I-AREA")] and start[LABELS.index("B-AREA")]


@settings(max_examples=60)
@given(arrays(np.float64, st.tuples(st.integers(1, 4), st.just(len(LABELS))),
              elements=st.floats(-8, 0, allow_nan=False)))
def test_viterbi_is_the_best_valid_sequence(lp):
    path = viterbi(lp, LABELS)
    assert len(path) == len(lp) and _valid(path)
    best = max((p for p in itertools.product(range(len(LABELS)), repeat=len(lp)) if _valid(p)),
               key=lambda p: _score(lp, p))
    assert np.isclose(_score(lp, path), _score(lp, best))


def _trans_score(lp, tr, path):
    return _score(lp, path) + sum(tr[a, b] for a, b in zip(path, path[1:]))


@settings(max_examples=60)
@given(arrays(np.float64, st.tuples(st.integers(1, 4), st.just(len(LABELS))), elements=st.floats(-8, 0)),
       arrays(np.float64, (len(LABELS), len(LABELS)), elements=st.floats(0, 50)))
def test_viterbi_with_transitions_is_the_best_valid_sequence(lp, counts):
    tr = transition_log_probs(counts)
    path = viterbi(lp, LABELS, tr)
    assert len(path) == len(lp) and _valid(path)
    best = max((p for p in itertools.product(range(len(LABELS)), repeat=len(lp)) if _valid(p)),
               key=lambda p: _trans_score(lp, tr, p))
    assert np.isclose(_trans_score(lp, tr, path), _trans_score(lp, tr, best))


@settings(max_examples=80)
@given(st.lists(arrays(np.float64, st.tuples(st.integers(0, 12), st.just(len(LABELS))), elements=st.floats(-8, 0)),
                min_size=1, max_size=5),
       st.none() | arrays(np.float64, (len(LABELS), len(LABELS)), elements=st.floats(0, 50)))
def test_viterbi_of_several_sequences_at_once_is_each_ones_viterbi(seqs, counts):
    """Sequences of any lengths (empty ones too) decoded together give the paths each gets alone."""
    from models import decoding

    tr = None if counts is None else transition_log_probs(counts)
    alone = [viterbi(lp, LABELS, tr) for lp in seqs]
    assert viterbi_batch(seqs, LABELS, tr) == alone
    cells = decoding.VITERBI_BATCH_CELLS
    try:  # batches of a few padded positions: the sequences are cut into many batches
        decoding.VITERBI_BATCH_CELLS = 7
        assert viterbi_batch(seqs, LABELS, tr) == alone
    finally:
        decoding.VITERBI_BATCH_CELLS = cells


@settings(max_examples=80)
@given(arrays(np.float64, st.tuples(st.integers(1, 14), st.just(len(LABELS))), elements=st.floats(-8, 0)),
       st.sets(st.integers(0, 13)),
       st.none() | arrays(np.float64, (len(LABELS), len(LABELS)), elements=st.floats(0, 50)))
def test_a_sequence_cut_at_words_fixed_to_O_decodes_as_the_whole(lp, fixed, counts):
    """Decoding the pieces between words fixed to O (line breaks), each knowing whether an O
    stands before or after it, gives the whole sequence's path."""
    tr = None if counts is None else transition_log_probs(counts)
    fixed = sorted(k for k in fixed if k < len(lp))
    whole = lp.copy()
    o = LABELS.index("O")
    for k in fixed:
        whole[k] = -np.inf
        whole[k, o] = 0.0
    expected = viterbi(whole, LABELS, tr)
    edges = [-1, *fixed, len(lp)]
    cuts = [(a + 1, b) for a, b in zip(edges, edges[1:]) if b - a > 1]
    paths = viterbi_batch([lp[a:b] for a, b in cuts], LABELS, tr, after_o=[a > 0 for a, _ in cuts],
                          before_o=[b < len(lp) for _, b in cuts])
    got = [o] * len(lp)
    for (a, b), path in zip(cuts, paths):
        got[a:b] = path
    assert np.isclose(_trans_score(whole, tr if tr is not None else np.zeros((len(LABELS),) * 2), got),
                      _trans_score(whole, tr if tr is not None else np.zeros((len(LABELS),) * 2), expected))


def test_transition_log_probs_are_smoothed_distributions():
    counts = np.zeros((len(LABELS), len(LABELS)))
    counts[LABELS.index("B-LOCATION"), LABELS.index("I-LOCATION")] = 98
    tr = transition_log_probs(counts)
    assert np.allclose(np.exp(tr).sum(axis=1), 1.0) and np.isfinite(tr).all()
    b, i = LABELS.index("B-LOCATION"), LABELS.index("I-LOCATION")
    assert np.isclose(np.exp(tr[b, i]), 99 / (98 + len(LABELS)))
    for bad in (np.zeros((2, 3)), -np.ones((len(LABELS), len(LABELS)))):
        with pytest.raises(ValueError, match="square matrix"):
            transition_log_probs(bad)
    with pytest.raises(ValueError, match="shape"):
        viterbi(np.zeros((2, len(LABELS))), LABELS, np.zeros((3, 3)))


def test_transitions_keep_a_hesitant_name_whole():
    # "Bình Gia": the model slightly prefers a fresh B- for "Gia"; names rarely follow names.
    lp = np.log(np.full((2, len(LABELS)), 0.01))
    b, i = LABELS.index("B-LOCATION"), LABELS.index("I-LOCATION")
    lp[0, b] = np.log(0.9)
    lp[1, b], lp[1, i] = np.log(0.5), np.log(0.4)
    assert [LABELS[k] for k in viterbi(lp, LABELS)] == ["B-LOCATION", "B-LOCATION"]
    counts = np.zeros((len(LABELS), len(LABELS)))
    counts[b, i], counts[b, b] = 500, 2
    assert [LABELS[k] for k in viterbi(lp, LABELS, transition_log_probs(counts))] == ["B-LOCATION", "I-LOCATION"]


def _counts_spec(counts):
    return {"tags": LABELS, "counts": np.asarray(counts).tolist()}


@given(arrays(np.float64, (len(LABELS), len(LABELS)), elements=st.floats(0, 1000)), st.permutations(range(len(LABELS))))
def test_tag_prior_is_a_distribution_in_the_models_label_order(counts, perm):
    id2label = {i: LABELS[p] for i, p in enumerate(perm)}
    prior = tag_log_prior(_counts_spec(counts), id2label)
    assert prior.shape == (len(LABELS),) and np.isclose(np.exp(prior).sum(), 1.0)
    plain = tag_log_prior(_counts_spec(counts), dict(enumerate(LABELS)))
    assert np.allclose(prior, plain[list(perm)])
    assert tag_log_prior(None, id2label) is None


def test_dividing_out_the_prior_keeps_a_confident_one_word_place():
    """'của Mỹ .': the model is 99 % sure of B-LOCATION for 'Mỹ', but most places in the
    training data run over two syllables, so the bigram path O B O is unlikely; posteriors
    already hold that entity tags are rare, and dividing the prior out keeps the place."""
    from models.pipeline import decode_document, encode_document
    from models.segment import get_segmenter

    o, b, i = (LABELS.index(t) for t in ("O", "B-LOCATION", "I-LOCATION"))
    counts = np.zeros((len(LABELS), len(LABELS)))
    counts[o, o], counts[o, b], counts[b, i], counts[b, o], counts[i, o], counts[i, i] = 9600, 260, 900, 95, 640, 350
    spec, id2label = _counts_spec(counts), dict(enumerate(LABELS))
    text = "của Mỹ ."

    class Chars:
        cls_id, sep_id, pad_id, unk_id = 0, 1, 2, 3

        def pieces(self, form):
            return [10] * len(form)

    enc = encode_document(text, get_segmenter("syllable"), Chars(), max_length=32, stride=4)
    probs = np.full((len(enc.windows[0].input_ids), len(LABELS)), 1e-4)
    for row, (w, first) in enumerate(zip(enc.windows[0].word_ids, enc.windows[0].first_subword)):
        if w is not None and first:
            probs[row, o] = 0.01 if enc.words[w].form == "Mỹ" else 0.999
            probs[row, b] = 0.99 if enc.words[w].form == "Mỹ" else 1e-4
    logits = [np.log(probs)]
    transitions = transition_matrix(spec, id2label)
    assert decode_document(text, enc, logits, id2label) != []  # constraints only: kept
    assert decode_document(text, enc, logits, id2label, transitions=transitions) == []  # double-counted prior
    kept = decode_document(text, enc, logits, id2label, transitions=transitions,
                           log_prior=tag_log_prior(spec, id2label))
    assert [(s.text, s.label) for s in kept] == [("Mỹ", "LOCATION")]
    assert 0.98 < kept[0].score < 1.0  # scores stay the model's probabilities, not the divided ones
    with pytest.raises(ValueError, match="log_prior has shape"):
        decode_document(text, enc, logits, id2label, log_prior=np.zeros(3))


def test_prior_scale_is_checked():
    assert check_prior_scale(0, False) == 0.0 and check_prior_scale(0.5, True) == 0.5
    for bad in (-0.1, True, "0.5", None):
        with pytest.raises(ValueError, match="prior_scale must be"):
            check_prior_scale(bad, True)
    with pytest.raises(ValueError, match="needs tag_transitions"):
        check_prior_scale(0.5, False)

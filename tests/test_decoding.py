"""Constrained IOB2 decoding."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from annotations.labels import BIO_TAGS
from models.decoding import allowed_transitions, viterbi

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

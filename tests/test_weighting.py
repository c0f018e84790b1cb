"""training.overrule_weight: words whose gold overrules their hint weigh more in the loss."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings, strategies as st

from annotations.labels import BIO_TAGS, tag_to_id
from models.hints import HINT_TYPES, MEMORY_TAGS, hint_tag_ids, hint_types
from training.config import load_config
from training.features import IGNORE, LOSS_WEIGHTS, TrainingRows, overrule_weights
from training.weighting import WeightedCollator, weighted_token_loss

T = tag_to_id()


def test_hint_tags_cover_every_token_type() -> None:
    tags = hint_tag_ids()
    assert len(tags) == hint_types("rules+context+lists")
    assert tags[:HINT_TYPES] == list(range(len(BIO_TAGS)))  # a rules hint is its own tag
    assert [tags[HINT_TYPES + i] for i in range(len(MEMORY_TAGS))] == [T[t] for t in MEMORY_TAGS]
    assert tags[-2:] == [T["B-LOCATION"], T["I-LOCATION"]]  # a known unit hints at a place
    rules_view = hint_tag_ids(context=False)  # the rules' view: context types are words they left O
    assert rules_view[:HINT_TYPES] == tags[:HINT_TYPES] and set(rules_view[HINT_TYPES:]) == {T["O"]}


def test_weights_mark_the_words_that_overrule_their_hint() -> None:
    row = {"input_ids": [0, 5, 6, 7, 8, 2],
           # cls, B-CLUSTER agreed, second subword, O overruled by B-LOCATION, memory B-LOCATION agreed, sep
           "labels": [IGNORE, T["B-CLUSTER"], IGNORE, T["B-LOCATION"], T["B-LOCATION"], IGNORE],
           "token_type_ids": [0, T["B-CLUSTER"], T["B-CLUSTER"], 0, HINT_TYPES + 2, 0]}
    assert overrule_weights(row, 4.0, hint_tag_ids()) == [1.0, 1.0, 1.0, 4.0, 1.0, 1.0]


def test_rows_without_hints_weigh_one() -> None:
    row = {"input_ids": [0, 5, 2], "labels": [IGNORE, T["B-LOCATION"], IGNORE], "token_type_ids": [0, 0, 0]}
    data = TrainingRows([row], hint_dropout=0.9, seed=0, overrule_weight=3.0)
    seen = {tuple(data[0][LOSS_WEIGHTS]) for _ in range(50)}
    # dropped: all 1; kept: the O hint under B-LOCATION is overruled
    assert seen == {(1.0, 1.0, 1.0), (1.0, 3.0, 1.0)}
    assert LOSS_WEIGHTS not in TrainingRows([row])[0]  # weight 1: rows as they are


def test_collator_pads_weights_with_one_beside_the_labels() -> None:
    def base(features):
        width = max(len(f["input_ids"]) for f in features)
        return {"input_ids": torch.tensor([f["input_ids"] + [1] * (width - len(f["input_ids"])) for f in features]),
                "labels": torch.tensor([f["labels"] + [IGNORE] * (width - len(f["labels"])) for f in features])}

    batch = WeightedCollator(base)([{"input_ids": [0, 5, 2], "labels": [IGNORE, 1, IGNORE], LOSS_WEIGHTS: [1, 7, 1]},
                                    {"input_ids": [0, 2], "labels": [IGNORE, IGNORE], LOSS_WEIGHTS: [1, 1]}])
    assert batch[LOSS_WEIGHTS].tolist() == [[1, 7, 1], [1, 1, 1]]
    assert LOSS_WEIGHTS not in WeightedCollator(base)([{"input_ids": [0, 2], "labels": [IGNORE, IGNORE]}])


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 3), st.integers(1, 6), st.integers(0, 2**31 - 1))
def test_weight_one_is_the_plain_cross_entropy(batch, width, seed) -> None:
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(batch, width, len(BIO_TAGS), generator=g)
    labels = torch.randint(0, len(BIO_TAGS), (batch, width), generator=g)
    labels[torch.rand(batch, width, generator=g) < 0.3] = IGNORE
    plain = torch.nn.functional.cross_entropy(logits.reshape(-1, len(BIO_TAGS)), labels.reshape(-1),
                                              ignore_index=IGNORE)
    ours = weighted_token_loss(logits, labels, torch.ones(batch, width))
    if (labels != IGNORE).any():
        assert math.isclose(ours.item(), plain.item(), rel_tol=1e-5, abs_tol=1e-6)
    doubled = weighted_token_loss(logits, labels, torch.full((batch, width), 2.0))
    assert math.isclose(doubled.item(), 2 * ours.item(), rel_tol=1e-5, abs_tol=1e-6)


@pytest.mark.parametrize("bad", [0, -1, "heavy", True, 1e6])
def test_overrule_weight_is_checked(bad) -> None:
    with pytest.raises(ValueError, match="overrule_weight"):
        load_config("default", {"training.overrule_weight": bad})


def test_a_weighted_training_runs_and_writes_a_model(tmp_path) -> None:
    from models.tagger import Tagger
    from training.train import train_model

    out = train_model("smoke", tmp_path / "m", overrides={"training.overrule_weight": 5.0, "training.max_steps": 20,
                                                         "training.eval_steps": 10}, progress=False)
    spans = Tagger.from_pretrained(out).extract("KCN Tân Tạo ở TP.HCM rộng 100 ha.")
    assert all(s.text == "KCN Tân Tạo ở TP.HCM rộng 100 ha."[s.start:s.end] for s in spans)
    assert (out / "training_config.yaml").read_text(encoding="utf-8").count("overrule_weight: 5.0") == 1


# ------------------------------------------------------------------ hint span dropout

def test_hinted_spans_follow_words_not_pieces() -> None:
    # cls, B-CLUSTER word of two pieces, I-CLUSTER, O, B-LOCATION, another B-LOCATION, sep
    row = {"labels": [IGNORE, 1, IGNORE, 2, 0, 3, 3, IGNORE], "token_type_ids": [0, 1, 1, 2, 0, 3, 3, 0]}
    from training.features import hinted_spans

    assert hinted_spans(row, hint_tag_ids()) == [(1, 4), (5, 6), (6, 7)]


hint_words = st.lists(st.tuples(st.sampled_from(BIO_TAGS), st.integers(1, 3)), max_size=12)


@settings(max_examples=200, deadline=None)
@given(hint_words, st.floats(0.05, 0.95), st.integers(0, 1000))
def test_span_dropout_drops_whole_hinted_spans_only(words, q, seed) -> None:
    from training.features import hinted_spans

    labels, types = [IGNORE], [0]
    for tag, pieces in words:
        labels += [0] + [IGNORE] * (pieces - 1)
        types += [T[tag]] * pieces
    labels.append(IGNORE)
    types.append(0)
    row = {"input_ids": list(range(len(labels))), "labels": labels, "token_type_ids": types}
    spans = hinted_spans(row, hint_tag_ids())
    covered = [k for a, b in spans for k in range(a, b)]
    assert len(covered) == len(set(covered))  # spans never overlap
    assert all(types[k] for k in covered) and all(not types[k] or k in covered or BIO_TAGS[types[k]].startswith("I-")
                                                 for k in range(len(types)))
    out = TrainingRows([row], span_dropout=q, seed=seed)[0]["token_type_ids"]
    for a, b in spans:  # each span is kept or dropped whole
        assert out[a:b] == types[a:b] or out[a:b] == [0] * (b - a)
    outside = [k for k in range(len(types)) if k not in covered]
    assert [out[k] for k in outside] == [types[k] for k in outside]


def test_span_dropout_is_checked() -> None:
    with pytest.raises(ValueError, match="hint_span_dropout"):
        load_config("default", {"training.hint_span_dropout": 1.0})

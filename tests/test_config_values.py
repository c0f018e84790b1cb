"""Config values of the wrong type or out of range are refused with the field's name, from
YAML and from --set alike; valid values of every shipped config pass."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from training.config import CONFIG_DIR, load_config, parse_override


@pytest.mark.parametrize("override,message", [
    ("training.max_steps=abc", "max_steps must be an integer, got 'abc'"),
    ("training.max_steps=-5", "max_steps must be -1 (no limit) or >= 1"),
    ("training.max_steps=true", "max_steps must be an integer"),
    ("training.learning_rate=fast", "learning_rate must be a number"),
    ("training.learning_rate=0", "learning_rate must be > 0"),
    ("training.per_device_train_batch_size=0", "per_device_train_batch_size must be >= 1"),
    ("data.gold=3", "gold must be a list of strings"),
    ("data.dev_fraction=1.5", "dev_fraction must be in [0, 1]"),
    ("backbone.hidden_size=2.5", "hidden_size must be an integer"),
    ("tag_transitions=maybe", "tag_transitions must be true or false"),
    ("max_length=null", "max_length must not be null"),
])
def test_bad_values_name_the_field(override, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")
                       .replace("]", r"\]")):
        load_config("smoke", dict([parse_override(override)]))


@given(st.integers(1, 10**6))
def test_valid_numbers_pass_and_ints_become_floats_where_floats_are_asked(n):
    cfg = load_config("smoke", {"training.max_steps": n, "training.learning_rate": n})
    assert cfg.training.max_steps == n and isinstance(cfg.training.learning_rate, float)


@pytest.mark.parametrize("name", sorted(p.stem for p in CONFIG_DIR.glob("*.yaml") if p.stem != "quality-floor"))
def test_every_shipped_config_loads(name):
    assert load_config(name).name

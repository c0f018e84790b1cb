"""The lexicon: one vocabulary that rules, memory and generated text share, tone variants,
and a version that follows content, not source bytes."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations import lexicon
from annotations.lexicon import tone_new_style, tone_variants, version, vocabulary

TONE_TEXT = st.text(alphabet="hòaóeủyquýànHÒUỦ ", max_size=30)


@pytest.mark.parametrize("old,new", [
    ("Hòa Bình", "Hoà Bình"), ("Thanh Hóa", "Thanh Hoá"), ("thủy sản", "thuỷ sản"), ("Khánh Hòa", "Khánh Hoà"),
    ("quý", "quý"), ("hoàng", "hoàng"), ("Thúy", "Thuý"), ("khỏe", "khoẻ"), ("hoạch", "hoạch"), ("Thụy Vân", "Thuỵ Vân"),
])
def test_tone_new_style(old, new):
    assert tone_new_style(old) == new


@given(TONE_TEXT)
def test_tone_new_style_keeps_length_and_is_idempotent(text):
    once = tone_new_style(text)
    assert len(once) == len(text) and tone_new_style(once) == once


@given(TONE_TEXT)
def test_tone_variants_hold_the_name_and_its_new_style(text):
    forms = tone_variants(text)
    assert text in forms and tone_new_style(text) in forms
    assert all(len(f) == len(text) for f in forms)


def test_old_to_new_moves_the_tone_to_the_last_vowel():
    # the keys are old style (tone on the first vowel), the values new style
    assert lexicon.OLD_TO_NEW["òa"] == "oà" and lexicon.OLD_TO_NEW["ủy"] == "uỷ" and lexicon.OLD_TO_NEW["Òa"] == "Oà"


def test_alternation_prefers_the_longest_word():
    pattern = re.compile(vocabulary.alternation(("khu", "khu công nghiệp", "khu CN")))
    assert pattern.match("khu công nghiệp Yên Phong").group() == "khu công nghiệp"


def test_every_type_word_of_the_generated_text_is_one_the_rules_know():
    from models.rules import _CLUSTER_TYPE, _DESCRIPTOR
    from training import synth

    for words in synth.vocabulary()["type_words"].values():
        for word in words:
            m = _CLUSTER_TYPE.match(word)
            rest = word[m.end():] if m else word
            assert m and (not rest or _DESCRIPTOR.fullmatch(rest)), \
                f"synth writes type word {word!r} that the lexicon does not hold"


def test_every_area_unit_of_the_generated_text_is_in_the_lexicon_with_its_size():
    from training import synth

    for unit in synth.vocabulary()["area_units"]:
        assert unit in vocabulary.AREA_UNITS and unit in vocabulary.HECTARES_PER_UNIT
    assert set(vocabulary.HECTARES_PER_UNIT) == set(vocabulary.AREA_UNITS)


def test_the_rules_tag_what_the_vocabulary_lists():
    from models.rules import extract

    for unit in vocabulary.AREA_UNITS:
        text = f"Dự án rộng 12,5 {unit} ở đây."
        assert [(s.text, s.label) for s in extract(text)] == [(f"12,5 {unit}", "AREA")], unit
    for word in vocabulary.CLUSTER_TYPE_WORDS + vocabulary.CLUSTER_TYPE_ABBREVIATIONS:
        text = f"Nhà máy đặt tại {word} Tân Bình mới."
        assert (f"{word} Tân Bình", "CLUSTER") in [(s.text, s.label) for s in extract(text)], word


def test_the_version_follows_content_not_source(monkeypatch):
    before = version.content_hash()
    assert before == version.content_hash() and re.fullmatch(r"[0-9a-f]{16}", before)
    version.content_hash.cache_clear()
    monkeypatch.setattr(vocabulary, "AREA_UNITS", vocabulary.AREA_UNITS + ("sải",))
    try:
        assert version.content_hash() != before
    finally:
        version.content_hash.cache_clear()
    monkeypatch.undo()
    assert version.content_hash() == before
    assert version.lexicon_version() == {"version": version.LEXICON_VERSION, "sha256": before}


def test_the_hints_fingerprint_is_rules_and_lexicon_versions():
    from models.hints import fingerprint, rules_version, version_differences
    from models.rules import RULES_VERSION

    v = rules_version()
    assert v == {"rules": RULES_VERSION, "lexicon": version.LEXICON_VERSION, "lexicon_sha256": version.content_hash()}
    assert fingerprint() == f"rules-{RULES_VERSION}+lexicon-{version.LEXICON_VERSION}-{version.content_hash()}"
    assert version_differences(v) == [] and version_differences(None) == []
    assert version_differences({**v, "rules": RULES_VERSION - 1}) == [f"rules {RULES_VERSION - 1} -> {RULES_VERSION}"]


def test_the_lexicon_cli_prints_sizes_and_version(capsys):
    from annotations.lexicon.build import main

    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^province\t\d{2,}$", out, re.M) and f"'version': '{version.LEXICON_VERSION}'" in out


@given(st.lists(st.text(alphabet="aàbB .-Đ", min_size=1, max_size=6), min_size=1, max_size=12),
       st.text(alphabet="aàbB .-Đx", max_size=60))
def test_the_trie_pattern_matches_what_the_alternation_matches(words, text):
    """Same matches, same words at the same places, with the boundaries the rules put around it."""
    import re

    from annotations.lexicon.vocabulary import alternation, trie_alternation

    plain = re.compile(rf"(?<![\w])(?:{alternation(words)})(?![\w])")
    trie = re.compile(rf"(?<![\w])(?:{trie_alternation(words)})(?![\w])")
    assert [m.span() for m in plain.finditer(text)] == [m.span() for m in trie.finditer(text)]

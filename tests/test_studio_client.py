"""Connection settings, key redaction and labeling-config comparison (no server needed)."""

from __future__ import annotations

import pytest

from annotations.studio.client import Settings, StudioError, config_differences, read_label_config, settings_from

CONFIG = read_label_config()


def test_settings_from_env_and_flags():
    env = {"LABEL_STUDIO_URL": "http://h:1/", "LABEL_STUDIO_API_KEY": "k-env"}
    s = settings_from(environ=env)
    assert (s.url, s.api_key) == ("http://h:1", "k-env")
    s = settings_from("https://other", "k-flag", environ=env)
    assert (s.url, s.api_key) == ("https://other", "k-flag")
    assert "k-flag" not in repr(s)


def test_settings_errors():
    with pytest.raises(StudioError, match="no Label Studio API key"):
        settings_from(environ={})
    with pytest.raises(StudioError, match="must start with http"):
        settings_from("localhost:8080", "k", environ={})


def test_redact_masks_the_key_and_makes_one_line():
    s = Settings("http://x", "s3cr3t-key")
    assert s.redact("bad\n token s3cr3t-key here") == "bad token *** here"


def test_same_config_with_other_whitespace_and_colours_matches():
    variant = CONFIG.replace("\n  ", "\n\t\t").replace("#d62728", "red").replace('value="AREA" ', 'value="AREA"  ')
    assert variant != CONFIG
    assert config_differences(CONFIG, variant) == []
    # label order does not matter either
    swapped = CONFIG.replace('"CLUSTER"', '"TMP"').replace('"LOCATION"', '"CLUSTER"').replace('"TMP"', '"LOCATION"')
    assert config_differences(CONFIG, swapped) == []


def test_missing_and_extra_labels_are_named():
    other = CONFIG.replace('<Label value="PERCENT" background="#ff7f0e"/>', '<Label value="MONEY"/>')
    assert config_differences(CONFIG, other) == ["control 'label': missing labels PERCENT; extra labels MONEY"]


def test_renamed_control_and_object_are_named():
    other = CONFIG.replace('name="label"', 'name="ner"')
    assert config_differences(CONFIG, other) == ["control 'label' is missing", "unexpected control 'ner'"]
    other = CONFIG.replace('value="$text"', 'value="$body"')
    assert config_differences(CONFIG, other) == ["object 'text' is 'Text:$body', expected 'Text:$text'"]


def test_invalid_xml_is_a_clear_error():
    with pytest.raises(StudioError, match="not valid XML"):
        config_differences(CONFIG, "<View>")

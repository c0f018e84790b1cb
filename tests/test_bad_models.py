"""Model paths and directories that cannot be used are answered with one clear error, never
a hub lookup for a local path, a traceback from deep inside transformers, or silently
changed output."""

from __future__ import annotations

import shutil

import pytest

from evaluation.command import main as vicluster

pytestmark = pytest.mark.slow


def _copy(smoke_model, tmp_path):
    return shutil.copytree(smoke_model, tmp_path / "model")


@pytest.mark.parametrize("name", ["/no/such/model", "./no-such-model", "../no/such/model", "runs/x/y"])
def test_a_path_that_does_not_exist_is_named_not_looked_up_on_the_hub(name):
    from models import Tagger

    with pytest.raises(FileNotFoundError, match="does not exist"):
        Tagger.from_pretrained(name)


def test_a_file_is_not_a_model_directory(tmp_path):
    from models import Tagger

    f = tmp_path / "model.txt"
    f.write_text("x", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="is a file, not a model directory"):
        Tagger.from_pretrained(f)


def test_a_missing_vicluster_json_is_refused_when_the_model_reads_hints(smoke_model, tmp_path):
    from models import Tagger

    model = _copy(smoke_model, tmp_path)
    (model / "vicluster.json").unlink()
    with pytest.raises(FileNotFoundError, match="vicluster.json is missing"):
        Tagger.from_pretrained(model)


@pytest.mark.parametrize("damage", ["truncate", "foreign"])
def test_damaged_weights_give_one_clear_error(smoke_model, tmp_path, damage):
    from models import Tagger

    model = _copy(smoke_model, tmp_path)
    weights = model / "model.safetensors"
    data = weights.read_bytes()
    weights.write_bytes(data[: len(data) // 3] if damage == "truncate" else b"PK\x03\x04 not safetensors" * 50)
    with pytest.raises(ValueError, match="cannot read the model"):
        Tagger.from_pretrained(model)


def test_missing_tokenizer_files_give_one_clear_error(smoke_model, tmp_path):
    from models import Tagger

    model = _copy(smoke_model, tmp_path)
    for f in model.iterdir():
        if "token" in f.name or f.name in ("vocab.json", "merges.txt", "vocab.txt", "bpe.codes"):
            f.unlink()
    with pytest.raises(ValueError, match="cannot read the tokenizer|tokenizer files are missing"):
        Tagger.from_pretrained(model)


def test_the_cli_answers_a_bad_model_with_one_line_and_exit_code_2(smoke_model, tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text("KCN Tân Tạo rộng 16ha.", encoding="utf-8")
    assert vicluster(["extract", str(article), "--model", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "does not exist" in err[0] and "Traceback" not in err[0]
    assert vicluster(["extract", str(article), "--model", str(smoke_model), "--format", "jsonl"]) == 0
    assert '"label": "CLUSTER"' in capsys.readouterr().out

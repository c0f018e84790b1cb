"""Error paths of push and pull: one clear line, a non-zero exit, nothing written, no key shown."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest

from annotations.document import Document, Span
from annotations.labelstudio import document_to_task
from annotations.studio.client import read_label_config
from labelstudio_server import free_port, label_studio  # noqa: F401 - the fixture
from labelstudio_server import run_cli

CONFIG = read_label_config()
SECRET = "k3y-" + uuid.uuid4().hex


def assert_one_error_line(r, code: int, *fragments: str, key: str = SECRET) -> None:
    assert r.returncode == code, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("error: ")
    for fragment in fragments:
        assert fragment in lines[0]
    assert key not in r.stdout + r.stderr


@pytest.fixture()
def article(tmp_path):
    path = tmp_path / "doc1.txt"
    path.write_text("KCN Tân Tạo rộng 10 ha", encoding="utf-8")
    return path


def test_server_down_is_one_line_exit_2_and_writes_nothing(tmp_path, article):
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    out = tmp_path / "gold.json"
    r = run_cli("pull", "--project", "any project", "--out", str(out), url=url, key=SECRET)
    assert_one_error_line(r, 2, f"cannot reach Label Studio at {url}: ")
    assert not out.exists()
    r = run_cli("push", "--articles", str(article), "--project", "any project", url=url, key=SECRET)
    assert_one_error_line(r, 2, f"cannot reach Label Studio at {url}: ")
    # the key given as a flag is not shown either
    r = run_cli("pull", "--project", "p", "--out", str(out), "--url", url, "--api-key", SECRET)
    assert_one_error_line(r, 2, "cannot reach Label Studio")


def test_missing_key_is_one_line(tmp_path):
    r = run_cli("pull", "--project", "p", "--out", str(tmp_path / "g.json"), url="http://127.0.0.1:9")
    assert_one_error_line(r, 2, "no Label Studio API key")


def test_bad_articles_are_reported_before_connecting(tmp_path):
    r = run_cli("push", "--articles", str(tmp_path / "missing.txt"), "--project", "p",
                url="http://127.0.0.1:9", key=SECRET)
    assert_one_error_line(r, 2, "missing.txt: no such file or directory")


@pytest.mark.labelstudio
@pytest.mark.slow
@pytest.mark.parametrize("kind", ["legacy", "jwt"])
def test_wrong_key_is_one_line_exit_2(label_studio, tmp_path, article, kind):  # noqa: F811
    if kind == "legacy":
        key = SECRET
    else:  # shaped like a personal access token, but not issued by this server
        key = jwt.encode({"token_type": "refresh", "exp": int(time.time()) + 3600, "jti": "x", "user_id": 1},
                         "not-the-secret-of-this-label-studio-server", algorithm="HS256")
    out = tmp_path / "gold.json"
    r = run_cli("pull", "--project", "any project", "--out", str(out), url=label_studio.url, key=key)
    assert_one_error_line(r, 2, f"Label Studio at {label_studio.url} rejected the API key", key=key)
    assert not out.exists()
    r = run_cli("push", "--articles", str(article), "--project", "any project", url=label_studio.url, key=key)
    assert_one_error_line(r, 2, "rejected the API key", key=key)


@pytest.mark.labelstudio
@pytest.mark.slow
def test_project_with_another_labeling_config_is_refused(label_studio, tmp_path, article):  # noqa: F811
    client = label_studio.client()
    title = f"vicluster other config {uuid.uuid4().hex[:8]}"
    other = CONFIG.replace('<Label value="PERCENT" background="#ff7f0e"/>', '<Label value="MONEY"/>')
    project = client.projects.create(title=title, label_config=other)
    url, key = label_studio.url, label_studio.api_key
    r = run_cli("push", "--articles", str(article), "--project", title, url=url, key=key)
    assert_one_error_line(r, 2, f"project {title!r} has a different labeling config",
                          "missing labels PERCENT", "extra labels MONEY", key=key)
    assert list(client.tasks.list(project=project.id)) == []
    out = tmp_path / "gold.json"
    r = run_cli("pull", "--project", title, "--out", str(out), url=url, key=key)
    assert_one_error_line(r, 2, "different labeling config", key=key)
    assert not out.exists()


@pytest.mark.labelstudio
@pytest.mark.slow
def test_pull_of_a_missing_project(label_studio, tmp_path):  # noqa: F811
    out = tmp_path / "gold.json"
    r = run_cli("pull", "--project", "no such project here", "--out", str(out),
                url=label_studio.url, key=label_studio.api_key)
    assert_one_error_line(r, 2, "no Label Studio project titled 'no such project here'", key=label_studio.api_key)
    assert not out.exists()


@pytest.mark.labelstudio
@pytest.mark.slow
def test_invalid_annotations_are_all_reported_and_nothing_is_written(label_studio, tmp_path):  # noqa: F811
    client = label_studio.client()
    title = f"vicluster invalid {uuid.uuid4().hex[:8]}"
    text = "KCN Tân Tạo ở tỉnh Long An"
    project = client.projects.create(title=title, label_config=CONFIG)
    client.projects.import_tasks(project.id, request=[{"text": text, "doc_id": "bad"}])
    task = next(iter(client.tasks.list(project=project.id)))
    spans = [Span(0, 11, "CLUSTER", "KCN Tân Tạo", None, "a"), Span(4, 11, "LOCATION", "Tân Tạo", None, "b"),
             Span(14, 26, "LOCATION", "wrong text", None, "c")]
    result = document_to_task(Document("bad", text, spans), as_predictions=False)["annotations"][0]["result"]
    client.annotations.create(task.id, result=result)
    out = tmp_path / "gold.json"
    out.write_text("[]\n", encoding="utf-8")
    r = run_cli("pull", "--project", title, "--out", str(out), url=label_studio.url, key=label_studio.api_key)
    assert r.returncode == 1
    assert "overlap" in r.stderr and "text-mismatch" in r.stderr
    assert "problem(s) in the annotations; nothing written" in r.stderr
    assert out.read_text(encoding="utf-8") == "[]\n"

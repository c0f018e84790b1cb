"""Round trip against a real Label Studio server: push with predictions, annotate through the
SDK, pull, compare every span; push again; pull again; conflicts; the ML backend."""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass

import pytest

from annotations import ARTICLES_DIR
from annotations.document import Document, Span
from annotations.labelstudio import document_to_task, load_tasks, task_to_document
from annotations.studio.client import config_differences, connect, find_project, read_label_config, settings_from
from annotations.studio.ml_backend import make_server
from annotations.studio.predictor import Predictor
from annotations.studio.pull import pull
from annotations.studio.push import Article, push, read_articles
from labelstudio_server import label_studio  # noqa: F401 - the fixture
from labelstudio_server import find_spans, regex_predict, run_cli

pytestmark = [pytest.mark.labelstudio, pytest.mark.slow]

CONFIG = read_label_config()
EMOJI_TEXT = ("Tin nhanh 😀: KCN Tân Tạo 🏭 ở TP.HCM rộng 442 ha, lấp đầy 95%.\n\n"
              "𝒜 Cụm công nghiệp Hoàng Gia ở tỉnh Long An có 75 ha 👍 và lấp đầy 60%.")


def utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def keys(spans) -> list[tuple]:
    return sorted((s.start, s.end, s.label, s.text) for s in spans)


def human_spans(text: str) -> list[Span]:
    """What the 'annotator' submits: no LOCATION but the model's other spans, plus nothing new."""
    return [Span(s.start, s.end, s.label, s.text) for s in find_spans(text) if s.label != "LOCATION"]


def region_result(doc_id: str, text: str, spans: list[Span]) -> list[dict]:
    spans = [Span(s.start, s.end, s.label, s.text, None, f"h{i}") for i, s in enumerate(spans)]
    return document_to_task(Document(doc_id, text, spans), as_predictions=False)["annotations"][0]["result"]


@dataclass
class Pushed:
    server: object
    client: object
    title: str
    project_id: int
    articles: list[Article]
    report: object
    human: dict[str, list[Span]]
    predicted: dict[str, list[Span]]


@pytest.fixture(scope="module")
def pushed(label_studio, tmp_path_factory) -> Pushed:  # noqa: F811
    arts_dir = tmp_path_factory.mktemp("articles")
    (arts_dir / "zz_emoji.txt").write_text(EMOJI_TEXT, encoding="utf-8")
    (arts_dir / "zz_untouched.txt").write_text("Không ai gán nhãn bài này: KCN Long Hậu.", encoding="utf-8")
    seeds = sorted(ARTICLES_DIR.glob("*.txt"))[:2]
    articles = read_articles([*seeds, arts_dir])
    client = connect(settings_from(label_studio.url, label_studio.api_key))
    title = f"vicluster test {uuid.uuid4().hex[:8]}"
    report = push(client, title, articles, CONFIG, Predictor(regex_predict, "regex-1"))
    tasks = {t.data["doc_id"]: t for t in client.tasks.list(project=report.project_id, fields="all")}
    human = {}
    for a in articles[:3]:
        task = tasks[a.doc_id]
        # an earlier draft of the annotation, then the final one; on the emoji doc a later skip
        client.annotations.create(task.id, result=region_result(a.doc_id, a.text, find_spans(a.text)[:1]))
        human[a.doc_id] = human_spans(a.text)
        client.annotations.create(task.id, result=region_result(a.doc_id, a.text, human[a.doc_id]))
        if "emoji" in a.doc_id:
            client.annotations.create(task.id, result=[], was_cancelled=True)
    predicted = {a.doc_id: find_spans(a.text) for a in articles}
    return Pushed(label_studio, client, title, report.project_id, articles, report, human, predicted)


def test_push_creates_the_project_and_one_task_per_article(pushed):
    assert pushed.report.project_created
    assert pushed.report.imported == [a.doc_id for a in pushed.articles]
    assert pushed.report.predicted == [a.doc_id for a in pushed.articles]
    project = find_project(pushed.client, pushed.title)
    assert project.id == pushed.project_id
    assert config_differences(CONFIG, project.label_config) == []
    # Label Studio shows this version's predictions and serves the least certain task first
    assert project.model_version == "regex-1" and project.sampling == "Uncertainty sampling"
    tasks = list(pushed.client.tasks.list(project=pushed.project_id))
    assert sorted(t.data["doc_id"] for t in tasks) == sorted(a.doc_id for a in pushed.articles)
    texts = {a.doc_id: a.text for a in pushed.articles}
    assert all(t.data == {"text": texts[t.data["doc_id"]], "doc_id": t.data["doc_id"]} for t in tasks)


def test_predictions_arrive_exactly_with_scores_and_version(pushed):
    tasks = list(pushed.client.tasks.list(project=pushed.project_id, fields="all"))
    for task in tasks:
        doc_id, text = task.data["doc_id"], task.data["text"]
        assert len(task.predictions) == 1
        pred = task.predictions[0]
        expected = pushed.predicted[doc_id]
        assert pred.model_version == "regex-1"
        assert pred.score == pytest.approx(min(s.score for s in expected))
        back = task_to_document({"data": task.data, "predictions": [{"result": pred.result}]}, source="predictions")
        assert [(s.start, s.end, s.label, s.text, s.score) for s in back.spans] == \
            [(s.start, s.end, s.label, s.text, s.score) for s in expected]
        for item, s in zip(pred.result, expected):
            assert (item["value"]["start"], item["value"]["end"]) == (utf16(text, s.start), utf16(text, s.end))


def test_pull_gives_every_human_span_exactly(pushed, tmp_path, monkeypatch, capsys):
    from annotations.__main__ import main

    monkeypatch.setenv("LABEL_STUDIO_URL", pushed.server.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", pushed.server.api_key)
    out = tmp_path / "gold.json"
    assert main(["pull", "--project", pushed.title, "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert "3 annotated task(s) pulled, 1 without annotation skipped" in printed.out
    assert pushed.server.api_key not in printed.out + printed.err
    tasks = load_tasks(out)
    assert [t["data"]["doc_id"] for t in tasks] == sorted(pushed.human)
    for task in tasks:
        assert set(task) == {"data", "annotations"} and set(task["data"]) == {"text", "doc_id"}
        doc = task_to_document(task)
        assert keys(doc.spans) == keys(pushed.human[doc.id])
        assert [s.id for s in doc.spans] == [f"{doc.id}-{i}" for i in range(len(doc.spans))]
        for item, s in zip(task["annotations"][0]["result"], doc.spans):
            assert (item["value"]["start"], item["value"]["end"]) == (utf16(doc.text, s.start), utf16(doc.text, s.end))
    emoji = task_to_document(next(t for t in tasks if t["data"]["doc_id"] == "zz_emoji"))
    assert emoji.text == EMOJI_TEXT and len(emoji.spans) >= 5  # spans after 😀, 🏭, 𝒜 and 👍
    assert any(utf16(EMOJI_TEXT, s.start) - s.start >= 3 for s in emoji.spans)


def test_second_push_duplicates_nothing(pushed):
    again = push(pushed.client, pushed.title, pushed.articles, CONFIG, Predictor(regex_predict, "regex-1"))
    assert (again.imported, again.predicted, again.project_created) == ([], [], False)
    assert again.existing == [a.doc_id for a in pushed.articles]
    tasks = list(pushed.client.tasks.list(project=pushed.project_id, fields="all"))
    assert len(tasks) == len(pushed.articles)
    assert all(len(t.predictions) == 1 for t in tasks)


def test_a_new_model_version_adds_one_prediction_per_task_once(label_studio, tmp_path):  # noqa: F811
    client = connect(settings_from(label_studio.url, label_studio.api_key))
    title = f"vicluster versions {uuid.uuid4().hex[:8]}"
    arts = [Article("v1", "KCN Tân Tạo rộng 10 ha"), Article("v2", "lấp đầy 50%")]
    push(client, title, arts, CONFIG, Predictor(regex_predict, "regex-1"))
    first = push(client, title, arts + [Article("v3", "KCN Mới")], CONFIG, Predictor(regex_predict, "regex-2"))
    assert first.imported == ["v3"] and first.predicted == ["v1", "v2", "v3"]
    assert push(client, title, arts, CONFIG, Predictor(regex_predict, "regex-2")).predicted == []
    versions = {t.data["doc_id"]: sorted(p.model_version for p in t.predictions)
                for t in client.tasks.list(project=first.project_id, fields="all")}
    assert versions == {"v1": ["regex-1", "regex-2"], "v2": ["regex-1", "regex-2"], "v3": ["regex-2"]}
    assert client.projects.get(first.project_id).model_version == "regex-2"
    changed = push(client, title, [Article("v1", "KCN Tân Tạo rộng 11 ha")], CONFIG)
    assert changed.text_changed == ["v1"] and changed.imported == []


def test_second_pull_is_byte_identical(pushed, tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    first = pull(pushed.client, pushed.title, a, CONFIG)
    assert first.ok and first.written
    before = a.read_bytes()
    mtime = a.stat().st_mtime_ns
    second = pull(pushed.client, pushed.title, a, CONFIG)
    assert second.ok and not second.written and len(second.merge.unchanged) == 3
    assert a.read_bytes() == before and a.stat().st_mtime_ns == mtime
    pull(pushed.client, pushed.title, b, CONFIG)
    assert b.read_bytes() == before


def test_conflicting_gold_is_reported_then_overwritten_on_request(pushed, tmp_path):
    out = tmp_path / "gold.json"
    pull(pushed.client, pushed.title, out, CONFIG)
    pristine = out.read_bytes()
    tasks = json.loads(pristine)
    victim = tasks[0]["data"]["doc_id"]
    dropped = tasks[0]["annotations"][0]["result"].pop()
    edited = json.dumps(tasks, ensure_ascii=False, indent=1) + "\n"
    out.write_text(edited, encoding="utf-8")

    url, key = pushed.server.url, pushed.server.api_key
    r = run_cli("pull", "--project", pushed.title, "--out", str(out), url=url, key=key)
    assert r.returncode == 1, r.stderr
    assert f"conflict: doc {victim}: existing gold differs from the Label Studio annotation: " \
           f"1 only in Label Studio (first [" in r.stderr
    assert dropped["value"]["text"] in r.stderr
    assert out.read_text(encoding="utf-8") == edited  # not silently replaced
    assert key not in r.stdout + r.stderr

    r = run_cli("pull", "--project", pushed.title, "--out", str(out), "--overwrite", url=url, key=key)
    assert r.returncode == 0, r.stderr
    assert "1 replaced" in r.stdout
    assert out.read_bytes() == pristine


def test_cli_push_is_idempotent(label_studio, tmp_path):  # noqa: F811
    title = f"vicluster cli {uuid.uuid4().hex[:8]}"
    art = tmp_path / "cli_doc.txt"
    art.write_text("KCN Phúc Khánh 😀 rộng 5 ha", encoding="utf-8")
    url, key = label_studio.url, label_studio.api_key
    r = run_cli("push", "--articles", str(art), "--project", title, url=url, key=key)
    assert r.returncode == 0, r.stderr
    assert "(created): 1 task(s) imported, 0 already present" in r.stdout
    r = run_cli("push", "--articles", str(art), "--project", title, url=url, key=key)
    assert r.returncode == 0 and "0 task(s) imported, 1 already present" in r.stdout
    assert key not in r.stdout + r.stderr


def test_label_studio_calls_the_ml_backend(label_studio):  # noqa: F811
    client = connect(settings_from(label_studio.url, label_studio.api_key))
    title = f"vicluster ml {uuid.uuid4().hex[:8]}"
    arts = [Article("m1", EMOJI_TEXT), Article("m2", "KCN Đất Cuốc rộng 212 ha")]
    report = push(client, title, arts, CONFIG)
    server = make_server(Predictor(regex_predict, "served-1"), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        backend = client.ml.create(project=report.project_id, url=server.url, title="vicluster", is_interactive=True)
        assert backend.model_version == "served-1"  # asked through /setup
        client.actions.create(id="retrieve_tasks_predictions", project=report.project_id,
                              selected_items={"all": True, "excluded": []})
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
    for task in client.tasks.list(project=report.project_id, fields="all"):
        assert [p.model_version for p in task.predictions] == ["served-1"]
        back = task_to_document({"data": task.data, "predictions": [{"result": task.predictions[0].result}]},
                                source="predictions")
        assert keys(back.spans) == keys(find_spans(task.data["text"]))


def test_a_personal_access_token_works_too(pushed, tmp_path):
    """Label Studio's default token kind since 1.18 (a JWT refresh token the SDK exchanges)."""
    token = pushed.client.tokens.create().token
    out = tmp_path / "gold.json"
    r = run_cli("pull", "--project", pushed.title, "--out", str(out), url=pushed.server.url, key=token)
    assert r.returncode == 0, r.stderr
    assert "3 annotated task(s) pulled" in r.stdout
    assert token not in r.stdout + r.stderr
    assert len(load_tasks(out)) == 3

"""The ML backend over real HTTP on 127.0.0.1 with an injected predictor."""

from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.request

import pytest

from annotations.document import Span
from annotations.labelstudio import task_to_document
from annotations.studio.client import read_label_config
from annotations.studio.ml_backend import make_server
from annotations.studio.predictor import Predictor


def regex_predict(texts):
    out = []
    for text in texts:
        spans = [Span(m.start(), m.end(), "CLUSTER", m.group(), 0.75) for m in re.finditer(r"KCN [A-ZĐ]\w*", text)]
        spans += [Span(m.start(), m.end(), "PERCENT", m.group(), 0.5) for m in re.finditer(r"\d+%", text)]
        out.append(spans)
    return out


@pytest.fixture()
def backend():
    calls = []

    def predict(texts):
        calls.append(list(texts))
        if any("BOOM" in t for t in texts):
            raise RuntimeError("model exploded")
        if any("BAD" in t for t in texts):
            return [[Span(0, 3, "CLUSTER", "XXX", 0.1)] for _ in texts]
        return regex_predict(texts)

    server = make_server(Predictor(predict, "regex-7"), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.url, calls
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def call(url, path, body=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(url + path, data=data, method="POST" if data is not None else "GET",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_health_and_setup(backend):
    url, _ = backend
    for path in ("/health", "/"):
        status, body = call(url, path)
        assert status == 200 and body["status"] == "UP" and body["model_class"] == "VicLusterTagger"
    status, body = call(url, "/setup", {"project": "3.1700000000", "schema": read_label_config()})
    assert (status, body) == (200, {"model_version": "regex-7"})
    assert call(url, "/metrics") == (200, {})


def test_predict_returns_one_result_per_task_with_utf16_offsets(backend):
    url, calls = backend
    texts = ["Tin 😀: KCN Tân Tạo lấp đầy 90%.", "không có gì", "KCN Đất Cuốc 🏭 100%"]
    tasks = [{"id": 10 + i, "data": {"text": t, "doc_id": f"d{i}"}} for i, t in enumerate(texts)]
    status, body = call(url, "/predict", {"tasks": tasks, "project": "3.17", "label_config": read_label_config(),
                                          "params": {"context": None}})
    assert status == 200
    assert calls == [texts]  # one batch
    results = body["results"]
    assert len(results) == 3
    expected = regex_predict(texts)
    for text, result, spans in zip(texts, results, expected):
        assert result["model_version"] == "regex-7"
        assert result["score"] == (min(s.score for s in spans) if spans else 1.0)
        doc = task_to_document({"data": {"text": text}, "predictions": [result]}, source="predictions")
        assert [(s.start, s.end, s.label, s.text, s.score) for s in doc.spans] == \
            [(s.start, s.end, s.label, s.text, s.score) for s in spans]
    first = results[0]["result"][0]["value"]
    assert (first["start"], first["end"]) == (8, 15)  # "KCN Tân" after the emoji, which counts twice in UTF-16


def test_bad_requests_get_400_or_404(backend):
    url, calls = backend
    assert call(url, "/predict", raw=b"{nope")[0] == 400
    assert call(url, "/predict", {"no": "tasks"})[0] == 400
    assert call(url, "/predict", {"tasks": [{"data": {}}]}) == (400, {"error": "task 0 has no string data.text"})
    other = read_label_config().replace('<Label value="AREA" background="#2ca02c"/>', "")
    status, body = call(url, "/predict", {"tasks": [], "label_config": other})
    assert status == 400 and "missing labels AREA" in body["error"]
    assert call(url, "/nowhere")[0] == 404
    assert call(url, "/nowhere", {})[0] == 404
    assert calls == []
    assert call(url, "/webhook", {"action": "ANNOTATION_CREATED"}) == (200, {"status": "Unknown event"})


def test_model_failures_get_500_and_the_server_keeps_serving(backend):
    url, _ = backend
    status, body = call(url, "/predict", {"tasks": [{"data": {"text": "BOOM"}}]})
    assert status == 500 and "model exploded" in body["error"]
    status, body = call(url, "/predict", {"tasks": [{"data": {"text": "BAD text"}}]})
    assert status == 500 and "text-mismatch" in body["error"]
    assert call(url, "/health")[0] == 200


def _raw_post(url: str, path: str, headers: dict[str, str], body: bytes) -> int:
    """Status of a hand-built request (urllib would fix a bad Content-Length)."""
    import http.client
    from urllib.parse import urlparse

    u = urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    conn.putrequest("POST", path)
    for key, value in headers.items():
        conn.putheader(key, value)
    conn.endheaders()
    conn.send(body)
    status = conn.getresponse().status
    conn.close()
    return status


@pytest.mark.parametrize("length,body,status", [
    ("-5", b"{}", 400),             # negative: would read to the end of the stream and hang
    ("abc", b"{}", 400),
    (str(10**12), b"{}", 413),      # huge: refused before reading
    ("4", b"\xff\xfe{}", 400),      # not UTF-8
])
def test_bad_bodies_get_a_4xx_and_the_server_keeps_serving(backend, length, body, status):
    url, calls = backend
    assert _raw_post(url, "/predict", {"Content-Type": "application/json", "Content-Length": length}, body) == status
    assert call(url, "/health")[0] == 200 and calls == []


def test_lone_surrogates_in_json_are_tagged_not_a_500(backend):
    url, _ = backend
    raw = b'{"tasks": [{"data": {"text": "KCN T\\u00e2n T\\u1ea1o \\ud800 r\\u1ed9ng 16 ha"}}]}'
    status, body = call(url, "/predict", raw=raw)
    assert status == 200 and body["results"][0]["result"]

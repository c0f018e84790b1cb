"""A Label Studio ML backend (label-studio-ml conventions) serving a ``Predictor`` over HTTP.

Routes: ``GET /health`` and ``GET /`` -> ``{"status": "UP", "model_class": ...}``;
``POST /setup`` -> ``{"model_version": ...}``; ``POST /predict`` with ``{"tasks": [...]}`` ->
``{"results": [{"result": [...], "score": ..., "model_version": ...}, ...]}`` (one per task, in
order); ``GET /metrics`` -> ``{}``; ``POST /webhook`` is accepted and ignored (no training here).
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ..validate import check_spans
from .client import config_differences, read_label_config
from .predictor import Predictor, prediction_entry

log = logging.getLogger(__name__)

MODEL_CLASS = "VicLusterTagger"
MAX_BODY = 64 * 1024 * 1024


class BadRequest(Exception):
    """A request the backend cannot serve: answered with ``status`` (4xx), never a 500."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class MLBackend:
    """The backend's logic, independent of HTTP."""

    def __init__(self, predictor: Predictor, label_config: str | None = None) -> None:
        self.predictor = predictor
        self.label_config = label_config if label_config is not None else read_label_config()
        self._lock = threading.Lock()  # one prediction at a time: models are rarely thread-safe

    def health(self) -> dict[str, Any]:
        return {"status": "UP", "model_class": MODEL_CLASS, "model_version": self.predictor.model_version}

    def _check_config(self, config: Any) -> None:
        if not config:
            return
        if not isinstance(config, str):
            raise BadRequest("label_config must be a string")
        diffs = [d for d in config_differences(self.label_config, config) if not d.startswith("unexpected")]
        if diffs:
            raise BadRequest(f"the project's labeling config does not match this model: {'; '.join(diffs)}")

    def setup(self, body: dict[str, Any]) -> dict[str, Any]:
        self._check_config(body.get("schema"))
        return {"model_version": self.predictor.model_version}

    def predict(self, body: dict[str, Any]) -> dict[str, Any]:
        tasks = body.get("tasks")
        if not isinstance(tasks, list):
            raise BadRequest("request has no 'tasks' list")
        self._check_config(body.get("label_config"))
        texts, ids = [], []
        for i, task in enumerate(tasks):
            data = task.get("data") if isinstance(task, dict) else None
            text = data.get("text") if isinstance(data, dict) else None
            if not isinstance(text, str):
                raise BadRequest(f"task {i} has no string data.text")
            texts.append(text)
            ids.append(str(data.get("doc_id") or task.get("id") or i))
        if not texts:
            return {"results": []}
        with self._lock:
            spans_per_text = self.predictor.run(texts)
        results = []
        for doc_id, text, spans in zip(ids, texts, spans_per_text):
            problems = check_spans(text, spans, doc_id=doc_id)
            if problems:
                raise RuntimeError(f"the model's prediction is invalid: {problems[0]}")
            results.append(prediction_entry(doc_id, text, spans, self.predictor.model_version))
        return {"results": results, "model_version": self.predictor.model_version}


class _Handler(BaseHTTPRequestHandler):
    server: "BackendServer"
    protocol_version = "HTTP/1.1"

    def _send(self, status: int, payload: Any) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _path(self) -> str:
        return self.path.split("?", 1)[0].rstrip("/") or "/"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = self._path()
        if path in ("/", "/health"):
            self._send(200, self.server.backend.health())
        elif path == "/metrics":
            self._send(200, {})
        else:
            self._send(404, {"error": f"no route GET {path}"})

    def _body(self) -> dict[str, Any]:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise BadRequest("bad Content-Length") from None
        if length < 0:
            raise BadRequest(f"bad Content-Length {length}")
        if length > MAX_BODY:
            raise BadRequest(f"request body over {MAX_BODY} bytes", status=413)
        raw = self.rfile.read(length) if length else b"{}"
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise BadRequest(f"request body is not JSON: {exc}") from None
        if not isinstance(body, dict):
            raise BadRequest("request body must be a JSON object")
        return body

    def do_POST(self) -> None:  # noqa: N802
        path = self._path()
        backend = self.server.backend
        routes = {"/predict": backend.predict, "/setup": backend.setup,
                  "/webhook": lambda body: {"status": "Unknown event"}}
        if path not in routes:
            self._send(404, {"error": f"no route POST {path}"})
            return
        try:
            self._send(200, routes[path](self._body()))
        except BadRequest as exc:
            self._send(exc.status, {"error": str(exc)})
        except Exception as exc:  # the server must answer, not die
            log.exception("%s failed", path)
            self._send(500, {"error": f"{type(exc).__name__}: {exc}"})

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        log.info("%s %s", self.address_string(), format % args)


class BackendServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], backend: MLBackend) -> None:
        self.backend = backend
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


def make_server(predictor: Predictor, host: str = "127.0.0.1", port: int = 9090,
                label_config: str | None = None) -> BackendServer:
    """A bound (not yet serving) backend server; ``port=0`` picks a free port."""
    return BackendServer((host, port), MLBackend(predictor, label_config))

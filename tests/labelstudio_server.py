"""A real Label Studio server for tests: one per pytest session, started on demand.

Use the ``label_studio`` fixture (import it into a test module:
``from labelstudio_server import label_studio``). The module ends with helpers the studio
tests share: a deterministic regex predictor and a runner for ``python -m annotations``. The server runs from its own virtual
environment (``$VICLUSTER_LS_VENV``, default ``<repo>/.ls-venv``, made by
``.ci/install-label-studio.sh``) with its data in a temporary directory, a legacy API token,
and its own process group, which is killed at the end of the session.

Without the venv the tests skip, unless ``CI`` is set: there they fail, as they must run.

A fresh server spends most of its first start (about a minute) migrating its database; a
snapshot of that migrated database is kept in the venv (``vicluster-test-db-<version>/``) and
copied into later sessions' data directories, which then start in seconds. The test user's
credentials are therefore fixed; the server listens on 127.0.0.1 only and lives for one session.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from annotations.document import Span

REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = float(os.environ.get("VICLUSTER_LS_START_TIMEOUT", "180"))
STOP_TIMEOUT_S = 15.0
USERNAME = "vicluster-test@example.com"
PASSWORD = "vicluster-test-password"
TOKEN = "vicluster0test0token0a1b2c3d4e5f6a7b8c9d0"
DB_NAME = "label_studio.sqlite3"


def ls_venv() -> Path:
    return Path(os.environ.get("VICLUSTER_LS_VENV") or REPO / ".ls-venv")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def server_version() -> str | None:
    found = sorted((ls_venv() / "lib").glob("python3*/site-packages/label_studio-*.dist-info"))
    return found[-1].name[len("label_studio-"):-len(".dist-info")] if found else None


def template_dir() -> Path:
    return ls_venv() / f"vicluster-test-db-{server_version()}"


def _restore_template(data_dir: Path) -> bool:
    template = template_dir()
    if not (template / DB_NAME).is_file() or (data_dir / DB_NAME).exists():
        return False
    for item in template.iterdir():
        shutil.copy2(item, data_dir / item.name)
    return True


def _save_template(data_dir: Path) -> None:
    """Snapshot the freshly migrated database (sqlite's online backup, safe while serving)."""
    template = template_dir()
    if (template / DB_NAME).is_file():
        return
    tmp = Path(tempfile.mkdtemp(prefix=".tmpl-", dir=template.parent))
    try:
        with sqlite3.connect(data_dir / DB_NAME) as src, sqlite3.connect(tmp / DB_NAME) as dst:
            src.backup(dst)
        if (data_dir / ".env").is_file():
            shutil.copy2(data_dir / ".env", tmp / ".env")
        os.replace(tmp, template)
    except OSError:
        pass  # another session saved it first, or the venv is read-only: just slower next time
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LabelStudioServer:
    url: str
    api_key: str = field(repr=False)
    username: str
    password: str = field(repr=False)
    data_dir: Path
    log_path: Path
    process: subprocess.Popen
    start_seconds: float = 0.0

    def client(self):
        from label_studio_sdk import LabelStudio

        return LabelStudio(base_url=self.url, api_key=self.api_key, timeout=60)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(STOP_TIMEOUT_S)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(STOP_TIMEOUT_S)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start_server(data_dir: Path, *, timeout: float = START_TIMEOUT_S) -> LabelStudioServer:
    """Start Label Studio on a free loopback port and wait (at most ``timeout`` s) for ``/health``."""
    exe = ls_venv() / "bin" / "label-studio"
    if not exe.exists():
        raise FileNotFoundError(f"{exe} not found: run .ci/install-label-studio.sh")
    data_dir.mkdir(parents=True, exist_ok=True)
    from_template = _restore_template(data_dir)
    port = free_port()
    username, password, token = USERNAME, PASSWORD, TOKEN
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABEL_STUDIO_", "DJANGO_"))}
    env.update({
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
        "LABEL_STUDIO_USERNAME": username,
        "LABEL_STUDIO_PASSWORD": password,
        "LABEL_STUDIO_USER_TOKEN": token,
        "LATEST_VERSION_CHECK": "false",
        "COLLECT_ANALYTICS": "false",
        # let the server call an ML backend and its webhook on 127.0.0.1 (tests only)
        "ML_BLOCK_LOCAL_IP": "false",
        "SSRF_PROTECTION_ENABLED": "false",
        "SENTRY_DSN": "",
        "FRONTEND_SENTRY_DSN": "",
        "VIRTUAL_ENV": str(ls_venv()),
        "PATH": f"{ls_venv() / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
    })
    env.pop("PYTHONPATH", None)
    log_path = data_dir / "server.log"
    cmd = [str(exe), "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(port),
           "--enable-legacy-api-token"]
    t0 = time.monotonic()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=data_dir, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
    server = LabelStudioServer(url=f"http://127.0.0.1:{port}", api_key=token, username=username,
                               password=password, data_dir=data_dir, log_path=log_path, process=proc)
    atexit.register(server.stop)
    deadline = t0 + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Label Studio exited with code {proc.returncode}:\n{server.log_tail()}")
        if _healthy(server.url):
            server.start_seconds = time.monotonic() - t0
            if not from_template:
                _save_template(data_dir)
            return server
        time.sleep(1.0)
    server.stop()
    raise TimeoutError(f"Label Studio did not answer /health within {timeout:.0f}s:\n{server.log_tail()}")


_state: dict[str, object] = {}


def _session_server(tmp_root: Path) -> LabelStudioServer:
    """The session's server (one however many modules use the fixture)."""
    if "server" in _state:
        return _state["server"]  # type: ignore[return-value]
    if "error" in _state:
        pytest.fail(str(_state["error"]), pytrace=False)
    if not (ls_venv() / "bin" / "label-studio").exists():
        reason = f"Label Studio server not installed at {ls_venv()} (run .ci/install-label-studio.sh)"
        if in_ci():
            _state["error"] = reason + "; CI must run these tests"
            pytest.fail(str(_state["error"]), pytrace=False)
        pytest.skip(reason)
    try:
        server = start_server(tmp_root)
    except Exception as exc:  # noqa: BLE001 - reported as the failure of every server test
        _state["error"] = f"cannot start Label Studio: {exc}"
        pytest.fail(str(_state["error"]), pytrace=False)
    _state["server"] = server
    return server


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory: pytest.TempPathFactory):
    """A running Label Studio server (``LabelStudioServer``) for the whole session."""
    server = _session_server(Path(tempfile.mkdtemp(prefix="ls-data-", dir=tmp_path_factory.getbasetemp())))
    yield server
    server.stop()


# --- helpers for the studio tests ------------------------------------------------------------

PATTERNS = [
    ("CLUSTER", r"(?:Khu|Cụm|khu|cụm) [Cc]ông nghiệp(?: [A-ZĐ]\w*)+|KCN(?: [A-ZĐ]\w*)+"),
    ("LOCATION", r"(?:tỉnh|huyện|xã|thành phố)(?: [A-ZĐ]\w*)+|TP\.HCM"),
    ("AREA", r"\d+(?:[.,]\d+)*\s?ha\b"),
    ("PERCENT", r"\d+(?:[.,]\d+)*\s?%"),
]


def find_spans(text: str, labels: tuple[str, ...] | None = None, score: bool = True) -> list[Span]:
    """Non-overlapping regex spans (earliest, then longest, wins), with made-up deterministic scores."""
    found = []
    for label, pattern in PATTERNS:
        if labels is not None and label not in labels:
            continue
        for m in re.finditer(pattern, text):
            found.append((m.start(), -m.end(), label))
    spans: list[Span] = []
    last_end = 0
    for start, neg_end, label in sorted(found):
        end = -neg_end
        if start < last_end:
            continue
        s = round(0.3 + (start % 61) / 100, 2) if score else None
        spans.append(Span(start, end, label, text[start:end], s))
        last_end = end
    return spans


def regex_predict(texts):
    return [find_spans(t) for t in texts]


def run_cli(*args: str, url: str | None = None, key: str | None = None, timeout: float = 120
            ) -> subprocess.CompletedProcess:
    """``python -m annotations ARGS`` in a fresh process, connection settings in its environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABEL_STUDIO_")}
    if url is not None:
        env["LABEL_STUDIO_URL"] = url
    if key is not None:
        env["LABEL_STUDIO_API_KEY"] = key
    return subprocess.run([sys.executable, "-m", "annotations", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)

"""Connection to a Label Studio server: settings, checks, projects and the errors they raise.

Every failure becomes a ``StudioError`` with a one-line message that never contains the
API key.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

URL_ENV = "LABEL_STUDIO_URL"
KEY_ENV = "LABEL_STUDIO_API_KEY"
DEFAULT_URL = "http://localhost:8080"


class StudioError(Exception):
    """A failure talking to Label Studio; its message is one line, safe to print."""

    exit_code = 2


@dataclass(frozen=True)
class Settings:
    url: str
    api_key: str = field(repr=False)

    def redact(self, message: str) -> str:
        """``message`` on one line, with the API key (if it appears) masked."""
        text = " ".join(str(message).split())
        if self.api_key:
            text = text.replace(self.api_key, "***")
        return text


def settings_from(url: str | None = None, api_key: str | None = None,
                  environ: dict[str, str] | None = None) -> Settings:
    """Connection settings from explicit values, else ``LABEL_STUDIO_URL`` / ``LABEL_STUDIO_API_KEY``."""
    env = os.environ if environ is None else environ
    url = (url or env.get(URL_ENV) or DEFAULT_URL).rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise StudioError(f"error: Label Studio URL must start with http:// or https://, got {url!r}")
    key = api_key or env.get(KEY_ENV)
    if not key:
        raise StudioError(f"error: no Label Studio API key: set {KEY_ENV} or pass --api-key")
    return Settings(url=url, api_key=key)


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text


def connect(settings: Settings, *, timeout: float = 30.0) -> Any:
    """A ``label_studio_sdk.LabelStudio`` client, after checking the server answers and accepts the key."""
    from ..extras import require

    LabelStudio = require("label_studio_sdk", "studio", "talking to Label Studio").LabelStudio
    import httpx  # comes with label-studio-sdk

    url = settings.url
    try:
        response = httpx.get(f"{url}/health", timeout=min(timeout, 10.0), follow_redirects=True)
    except httpx.HTTPError as exc:
        raise StudioError(settings.redact(f"error: cannot reach Label Studio at {url}: {_describe(exc)}")) from None
    if response.status_code != 200:
        raise StudioError(settings.redact(
            f"error: cannot reach Label Studio at {url}: /health answered HTTP {response.status_code}"))

    with translate_errors(settings):
        client = LabelStudio(base_url=url, api_key=settings.api_key, timeout=timeout)
        client.users.whoami()
    return client


# --- labeling config -------------------------------------------------------------------------

def read_label_config(path: str | os.PathLike[str] | None = None) -> str:
    from annotations import LABEL_CONFIG

    path = Path(path or LABEL_CONFIG)
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StudioError(f"error: cannot read the labeling config {path}: {exc}") from None


def config_signature(xml: str) -> dict[str, Any]:
    """What matters in a labeling config: each control tag's name, target and label set, and
    each object tag's name and data field. Whitespace, colours and attribute order do not."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise StudioError(f"error: labeling config is not valid XML: {exc}") from None
    controls: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    objects: dict[str, str] = {}
    for el in root.iter():
        name = el.get("name")
        if name is None:
            continue
        if el.get("toName") is not None:
            labels = tuple(sorted(child.get("value", "") for child in el if child.tag == "Label"))
            controls[name] = (el.tag, el.get("toName", ""), labels)
        elif el.get("value", "").startswith("$"):
            objects[name] = f"{el.tag}:{el.get('value')}"
    return {"controls": controls, "objects": objects}


def config_differences(expected: str, actual: str) -> list[str]:
    """Human-readable differences between two labeling configs (empty when they match)."""
    exp, act = config_signature(expected), config_signature(actual)
    diffs: list[str] = []
    for kind in ("objects", "controls"):
        for name in sorted(set(exp[kind]) | set(act[kind])):
            e, a = exp[kind].get(name), act[kind].get(name)
            if e == a:
                continue
            if a is None:
                diffs.append(f"{kind[:-1]} {name!r} is missing")
            elif e is None:
                diffs.append(f"unexpected {kind[:-1]} {name!r}")
            elif kind == "controls" and e[:2] == a[:2]:
                missing = sorted(set(e[2]) - set(a[2]))
                extra = sorted(set(a[2]) - set(e[2]))
                parts = []
                if missing:
                    parts.append(f"missing labels {', '.join(missing)}")
                if extra:
                    parts.append(f"extra labels {', '.join(extra)}")
                diffs.append(f"control {name!r}: {'; '.join(parts)}")
            else:
                diffs.append(f"{kind[:-1]} {name!r} is {a!r}, expected {e!r}")
    return diffs


# --- projects --------------------------------------------------------------------------------

def find_project(client: Any, title: str) -> Any | None:
    """The project titled exactly ``title``; an error if several have that title."""
    matches = [p for p in client.projects.list(page_size=100) if p.title == title]
    if len(matches) > 1:
        ids = ", ".join(str(p.id) for p in matches)
        raise StudioError(f"error: {len(matches)} Label Studio projects are titled {title!r} (ids {ids})")
    if not matches:
        return None
    return client.projects.get(id=matches[0].id)


def check_project_config(project: Any, label_config: str) -> None:
    diffs = config_differences(label_config, project.label_config or "")
    if diffs:
        raise StudioError(f"error: project {project.title!r} has a different labeling config: {'; '.join(diffs)}")


def ensure_project(client: Any, title: str, label_config: str, *, create: bool = True,
                   **settings: Any) -> tuple[Any, bool]:
    """The project ``title`` with a matching labeling config, created (with the project
    ``settings``) if missing and ``create``; returns ``(project, created)``."""
    if len(title.strip()) < 3:
        raise StudioError(f"error: a project title needs at least 3 characters, got {title!r}")
    project = find_project(client, title)
    if project is None:
        if not create:
            raise StudioError(f"error: no Label Studio project titled {title!r}")
        created = client.projects.create(title=title, label_config=label_config, **settings)
        return client.projects.get(id=created.id), True
    check_project_config(project, label_config)
    return project, False


def iter_tasks(client: Any, project_id: int, *, fields: str = "task_only"):
    """Every task of a project (paged)."""
    yield from client.tasks.list(project=project_id, fields=fields, page_size=100)


class translate_errors:  # noqa: N801 - used as a context manager
    """Turn the SDK's and httpx's exceptions raised inside the block into one-line ``StudioError``s."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __enter__(self) -> "translate_errors":
        return self

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> bool:
        if exc is None or isinstance(exc, StudioError):
            return False
        import httpx
        from label_studio_sdk.core.api_error import ApiError

        url = self.settings.url
        if isinstance(exc, ApiError):
            if exc.status_code in (401, 403):
                raise StudioError(f"error: Label Studio at {url} rejected the API key (HTTP {exc.status_code})") from None
            body = exc.body
            if isinstance(body, dict):
                body = body.get("validation_errors") or body.get("detail") or body
            raise StudioError(self.settings.redact(
                f"error: Label Studio at {url} answered HTTP {exc.status_code}: {body}")) from None
        if isinstance(exc, httpx.HTTPError):
            raise StudioError(self.settings.redact(f"error: cannot reach Label Studio at {url}: {_describe(exc)}")) from None
        return False

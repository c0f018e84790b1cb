"""The templates: parsed from the template files (:func:`templates`, :func:`parse_template`) and
rendered to segments (:func:`render`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import slots_parks, slots_places, slots_plain, slots_prose  # noqa: F401 - importing them fills SLOTS
from .context import Ctx, _cap
from .data import TEMPLATE_FILES
from .slots import SLOTS, Seg


_SLOT_RE = re.compile(r"\{(\w+)(?::([^{}]*))?\}")
_ALT_RE = re.compile(r"<([^<>]*)>")


@dataclass(frozen=True)
class Template:
    section: str
    text: str
    parts: tuple  # str | ("slot", name, arg) | ("alt", (parts, parts, ...))


def _parse_slots(text: str, where: str) -> list:
    parts: list = []
    pos = 0
    for m in _SLOT_RE.finditer(text):
        if m.start() > pos:
            parts.append(text[pos:m.start()])
        if m.group(1) not in SLOTS:
            raise ValueError(f"unknown slot {{{m.group(1)}}} in template {where!r}")
        parts.append(("slot", m.group(1), m.group(2) or ""))
        pos = m.end()
    if pos < len(text):
        parts.append(text[pos:])
    if any(ch in p for p in parts if isinstance(p, str) for ch in "{}<>"):
        raise ValueError(f"stray brace in template {where!r}")
    return parts


def parse_template(text: str, section: str = "") -> Template:
    """Parse ``{slot}``, ``{slot:arg}`` and ``<a|b|c>`` (pick one; may hold slots) in ``text``."""
    parts: list = []
    pos = 0
    for m in _ALT_RE.finditer(text):
        parts.extend(_parse_slots(text[pos:m.start()], text))
        parts.append(("alt", tuple(tuple(_parse_slots(c, text)) for c in m.group(1).split("|"))))
        pos = m.end()
    parts.extend(_parse_slots(text[pos:], text))
    return Template(section, text, tuple(parts))


@lru_cache(maxsize=None)
def templates() -> dict[str, tuple[Template, ...]]:
    """All templates of the template files, by section."""
    out: dict[str, list[Template]] = {}
    for path in TEMPLATE_FILES:
        section = None
        for i, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1].strip()
                continue
            if section is None:
                raise ValueError(f"{path}:{i}: template before any [section]")
            try:
                out.setdefault(section, []).append(parse_template(line, section))
            except ValueError as exc:
                raise ValueError(f"{path}:{i}: {exc}") from None
    return {k: tuple(v) for k, v in out.items()}


def _render_parts(parts, ctx: Ctx, segs: list[Seg]) -> None:
    for part in parts:
        if isinstance(part, str):
            segs.append((part, None))
        elif part[0] == "alt":
            _render_parts(ctx.rng.choice(part[1]), ctx, segs)
        else:
            segs.extend(SLOTS[part[1]](ctx, part[2]))


_SPACES = re.compile(r"  +")
_SPACE_PUNCT = re.compile(r" +([,.;:)])")


def _tidy(raw: list[Seg]) -> list[Seg]:
    """Merge adjacent plain segments and remove the doubled spaces that empty
    alternatives leave (only plain text is touched, so spans stay exact)."""
    segs: list[Seg] = []
    for text, label in raw:
        if not text:
            continue
        if label is None and segs and segs[-1][1] is None:
            segs[-1] = (segs[-1][0] + text, None)
        else:
            segs.append((text, label))
    out = []
    for text, label in segs:
        if label is None:
            text = _SPACE_PUNCT.sub(r"\1", _SPACES.sub(" ", text))
        out.append((text, label))
    if out and out[0][1] is None:
        out[0] = (out[0][0].lstrip(), None)
    if out and out[-1][1] is None:
        out[-1] = (out[-1][0].rstrip(), None)
    return [s for s in out if s[0]]


def render(tpl: Template, ctx: Ctx) -> list[Seg]:
    """Segments of one rendering of ``tpl``; the first character is capitalised."""
    raw: list[Seg] = []
    _render_parts(tpl.parts, ctx, raw)
    segs = _tidy(raw)
    if segs:
        text, label = segs[0]
        segs[0] = (_cap(text), label)
    return segs

"""One article of a genre: title, lead, paragraphs, captions, a list of parks, byline, related
headlines and page furniture, joined into a :class:`~annotations.document.Document`."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterator

from annotations.document import Document, Span
from annotations.lexicon import tone_new_style

from .context import Ctx
from .data import _p, _v
from .slots import Seg, _o
from .slots_parks import _s_cluster_table
from .templating import Template, render, templates


def _pick(ctx: Ctx, section: str) -> Template:
    return ctx.rng.choice(templates()[section])


def _genres() -> dict[str, tuple[float, float, float, float]]:
    """genre: (share of articles, share of a paragraph's sentences from its topic, from prose, from filler; the
    rest from any body section)."""
    return {
        "park": (_p("genre_park.share"), _p("genre_park.topic"), _p("genre_park.prose"), _p("genre_park.filler")),
        "local": (_p("genre_local.share"), _p("genre_local.topic"), _p("genre_local.prose"), _p("genre_local.filler")),
        "general": (_p("genre_general.share"), _p("genre_general.topic"), _p("genre_general.prose"),
                    _p("genre_general.filler")),
    }


#: Slots that never produce a labelled span.
_PLAIN_SLOTS = frozenset((
    "person", "money", "date", "year", "n", "bign", "ratio", "scale", "length", "volume", "rent", "kkt", "hitech",
    "port", "road", "building", "paper", "currency", "street", "generic_cluster", "ministry", "bank", "brand",
    "street2", "event", "law", "vip", "consult",
))


def _slot_names(parts) -> Iterator[str]:
    for part in parts:
        if isinstance(part, tuple):
            if part[0] == "alt":
                for choice in part[1]:
                    yield from _slot_names(choice)
            else:
                yield part[1]


@lru_cache(maxsize=None)
def plain_templates(section: str) -> tuple[Template, ...]:
    """Templates of ``section`` that can render no entity at all."""
    return tuple(t for t in templates()[section] if all(n in _PLAIN_SLOTS for n in _slot_names(t.parts)))


def _pick_prose(ctx: Ctx, section: str) -> Template:
    rng = ctx.rng
    if rng.random() < _p("paragraph.plain_template"):
        plain = plain_templates(section)
        if plain:
            return rng.choice(plain)
    return rng.choice(templates()[section])


def _paragraph(ctx: Ctx, topic: str) -> list[Seg]:
    rng = ctx.rng
    segs: list[Seg] = []
    _, p_topic, p_prose, p_filler = _genres()[ctx.genre]
    n = rng.choice(_v("paragraph_sizes"))
    for i in range(n):
        r = rng.random()
        if r < p_topic:
            sec = topic
        elif r < p_topic + p_prose:
            if rng.random() < _p("paragraph.article_beat"):
                sec = rng.choice(ctx.beats)
            else:
                sec = rng.choice(tuple(_v("prose_sections")))
        elif r < p_topic + p_prose + p_filler:
            sec = "filler"
        else:
            sec = rng.choice(tuple(_v("body_sections")))
        if i:
            segs.append(_o(" " if rng.random() > _p("paragraph.no_space") else ""))
        segs.extend(render(_pick_prose(ctx, sec) if sec in _v("prose_sections") else _pick(ctx, sec), ctx))
    return segs


def _finish(segs: list[Seg], ctx: Ctx, upper: bool = False) -> list[Seg]:
    out = []
    for text, label in segs:
        if ctx.tone_new:
            text = tone_new_style(text)
        if upper:
            text = text.upper()
        out.append((text, label))
    return out


def _build(ctx: Ctx) -> list[Seg]:
    rng = ctx.rng
    secs = templates()
    genres = _genres()
    ctx.genre = rng.choices(tuple(genres), [g[0] for g in genres.values()])[0]
    ctx.beats = tuple(rng.choices(tuple(_v("prose_sections")), tuple(_v("prose_sections").values()), k=2))
    local = ctx.genre == "local"  # general local news: fewer parks, more places
    if local:
        topics = rng.choices(_v("local_sections"), k=rng.randint(2, 4))
    else:
        topics = rng.choices(list(_v("body_sections")), list(_v("body_sections").values()), k=rng.randint(2, 4))
    blocks: list[list[Seg]] = []
    if ctx.genre == "general" and rng.random() < _p("article.prose_title"):
        title_sec = "title_prose"
    else:
        local_title = local or ctx.genre == "general" or rng.random() < _p("article.local_title")
        title_sec = "title_local" if local_title else "title"
    title = render(rng.choice(secs[title_sec]), ctx)
    title = _finish(title, ctx, upper=rng.random() < _p("article.upper_title"))
    blocks.append(title)
    if rng.random() < (_p("article.lead_park") if ctx.genre == "park" else _p("article.lead_other")):
        blocks.append(_finish(render(_pick(ctx, "lead"), ctx), ctx))
    n_par = rng.randint(3, 7)
    tabled = False  # at most one list of parks per article
    for i in range(n_par):
        blocks.append(_finish(_paragraph(ctx, topics[i % len(topics)]), ctx))
        if rng.random() < _p("article.caption"):
            blocks.append(_finish(render(_pick(ctx, "caption"), ctx), ctx))
        p_table = _p("article.table_park") if ctx.genre == "park" else _p("article.table_other")
        if not tabled and rng.random() < p_table:
            tabled = True
            blocks.append(_finish(render(_pick(ctx, "table_head"), ctx), ctx))
            for _ in range(rng.randint(2, 5)):
                bullet = rng.choice(("- ", "+ ", "• ", "", f"{rng.randint(1, 9)}. "))
                item = [_o(bullet)] + _s_cluster_table(ctx, "") + [_o(rng.choice(_v("table_item_ends")))]
                blocks.append(_finish(item, ctx))
    if rng.random() < _p("article.byline"):
        blocks.append(_finish(render(_pick(ctx, "byline"), ctx), ctx))
    if rng.random() < _p("article.related"):  # headlines of other stories, as news pages list them
        blocks.append([_o(rng.choice(_v("related_heads")))])
        for _ in range(rng.randint(2, 6)):
            sec = rng.choice(_v("related_sections"))
            blocks.append(_finish(render(rng.choice(secs[sec]), ctx), ctx))
    if rng.random() < _p("article.furniture"):  # page furniture: counters, navigation, sharing
        for _ in range(rng.randint(1, 3)):
            blocks.append(_finish(render(rng.choice(secs["furniture"]), ctx), ctx))
    sep = rng.choice(_v("block_separators"))
    segs: list[Seg] = []
    for i, b in enumerate(blocks):
        if i:
            segs.append(_o(sep))
        segs.extend(b)
    if rng.random() < _p("article.spaced_quotes"):  # outlets that pad quotes with spaces
        segs = [(t.replace("“", "\" ").replace("”", " \"") if lab is None else t, lab) for t, lab in segs]
    return segs


def segments_to_document(segs: list[Seg], doc_id: str, meta: dict | None = None) -> Document:
    """Concatenate segments into a document; labelled segments become spans."""
    parts: list[str] = []
    spans: list[Span] = []
    pos = 0
    for text, label in segs:
        if label is not None:
            if text != text.strip() or not text:
                raise ValueError(f"{doc_id}: labelled segment with surrounding whitespace: {text!r}")
            spans.append(Span(pos, pos + len(text), label, text))
        parts.append(text)
        pos += len(text)
    return Document(id=doc_id, text="".join(parts), spans=spans, meta=dict(meta or {}))

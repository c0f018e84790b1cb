"""The slots of running news prose: capitalised phrases that are NOT entities (ministries, banks,
brands, streets, events, laws), and bare place names that ARE (``tại Bình Dương``, ``ở Hà Nội``)."""

from __future__ import annotations

import random
from functools import lru_cache

from annotations.lexicon import gazetteers as gz

from .context import Ctx, _admin_index, invent_name
from .data import _p, _v, _weighted
from .entities import person_name
from .slots import SLOTS, L, Seg, _o, _plain, slot


def bare_place(ctx: Ctx, big: bool = False) -> str:
    """A province or major city named bare, as in running prose (``tại Bình Dương``)."""
    rng = ctx.rng
    r = rng.random()
    if big or r < _p("bare_place.big_city"):
        name = rng.choice(_v("big_cities"))
    elif r < _p("bare_place.industrial"):
        name = rng.choice(_v("industrial_provinces"))
    else:
        era = "legacy" if rng.random() < _p("bare_place.legacy_era") else "2025"
        name = rng.choice(_admin_index()["provs"][era]).name
    if name == "Hồ Chí Minh":
        return _weighted(rng, _v("hcm_bare"))
    if name == "Bà Rịa - Vũng Tàu":
        return _weighted(rng, _v("brvt_bare"))
    if name == "Thừa Thiên Huế" and rng.random() < _p("bare_place.hue_alias"):
        return rng.choice(_v("hue_bare"))
    if name == "Hà Tây":
        return "Hà Nội"
    return name


def _bare_list(ctx: Ctx, n: int) -> list[Seg]:
    rng = ctx.rng
    names: list[str] = []
    for _ in range(n * 4):
        nm = bare_place(ctx)
        if nm not in names:
            names.append(nm)
        if len(names) == n:
            break
    sep, last = rng.choice(_v("bare_list_separators")), rng.choice(_v("bare_list_last_joints"))
    segs: list[Seg] = []
    for i, nm in enumerate(names):
        if i:
            segs.append(_o(last if i == len(names) - 1 else sep))
        segs.append((nm, L))
    return segs


@slot("place")
def _s_place(ctx: Ctx, arg: str) -> list[Seg]:
    """A bare province/city name (arg "big": a major city)."""
    return [(bare_place(ctx, big=arg == "big"), L)]


@slot("places")
def _s_places(ctx: Ctx, arg: str) -> list[Seg]:
    """Two to four bare places, coordinated: ``Bình Dương, Đồng Nai và Long An``."""
    return _bare_list(ctx, int(arg) if arg else ctx.rng.choice(_v("places_sizes")))


@slot("provs")
def _s_provs(ctx: Ctx, arg: str) -> list[Seg]:
    """``các tỉnh Đồng Nai, Long An``: admin word with the first name only."""
    rng = ctx.rng
    segs = _bare_list(ctx, rng.choice(_v("provs_sizes")))
    first = segs[0][0]
    if first in ("Hà Nội", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "Huế") or first.startswith(("TP", "Sài", "HCM")):
        return [_o("địa phương ")] + segs  # no "tỉnh" before a city
    word = rng.choice(_v("provs_words"))
    return [(f"{word} {first}", L)] + segs[1:]


@slot("distb")
def _s_distb(ctx: Ctx, arg: str) -> list[Seg]:
    """A district or commune named bare (from the gazetteer, any province)."""
    rng = ctx.rng
    pool = _admin_index()["districts"] if arg != "comm" else _admin_index()["communes"]
    for _ in range(8):
        u = rng.choice(ctx.districts if arg != "comm" and rng.random() < _p("distb.article_district") else pool)
        if any(ch.isalpha() for ch in u.name) and not u.name[:1].isdigit():
            return [(u.name, L)]
    return [(invent_name(rng), L)]


@lru_cache(maxsize=None)
def _place_words() -> frozenset[str]:
    names = set(gz.load("province")) | set(gz.load("country")) | set(gz.load("region")) | set(gz.load("foreign_city"))
    return frozenset(names)


@lru_cache(maxsize=None)
def _safe_brands() -> tuple[str, ...]:
    """Brand/company names with no place name inside (those would need a LOCATION span)."""
    words = _place_words()
    out = []
    for b in _v("brands") + tuple(gz.load("company")):
        toks = b.split()
        grams = {" ".join(toks[i:j]) for i in range(len(toks)) for j in range(i + 1, len(toks) + 1)}
        if b and not grams & words:
            out.append(b)
    return tuple(dict.fromkeys(out))


def _street(rng: random.Random) -> str:
    name = rng.choice(_v("street_names")) if rng.random() < _p("street.named") else person_name(rng)
    r = rng.random()
    if r < _p("street.plain"):
        return f"{rng.choice(_v('street_words'))} {name}"
    if r < _p("street.house_number"):
        number = f"{rng.randint(1, 400)}{rng.choice(_v('house_number_suffixes'))}"
        return f"số {number} {rng.choice(_v('street_words_short'))} {name}"
    if r < _p("street.route"):
        return f"tuyến {rng.choice(_v('street_words_short'))} {name}"
    return f"nút giao {name} - {rng.choice(_v('street_names'))}"


def _vip(rng: random.Random) -> str:
    name = person_name(rng)
    title = rng.choice(_v("titles_national"))
    r = rng.random()
    if r < _p("vip.title_first"):
        return f"{title} {name}"
    if r < _p("vip.comma"):
        return f"{rng.choice(_v('vip_honorifics'))} {name}, {title.replace('Tiến sĩ', 'chuyên gia')}"
    return f"{rng.choice(_v('vip_honorifics'))} {name} ({title})"


SLOTS["ministry"] = _plain(lambda ctx, arg: ctx.rng.choice(_v("ministries")))
SLOTS["bank"] = _plain(lambda ctx, arg: ctx.rng.choice(_v("banks")[:14]))
SLOTS["brand"] = _plain(lambda ctx, arg: ctx.rng.choice(_safe_brands()))
SLOTS["street2"] = _plain(lambda ctx, arg: _street(ctx.rng))
SLOTS["event"] = _plain(lambda ctx, arg: ctx.rng.choice(_v("events")))
SLOTS["law"] = _plain(lambda ctx, arg: ctx.rng.choice(_v("laws")))
SLOTS["vip"] = _plain(lambda ctx, arg: _vip(ctx.rng))
SLOTS["consult"] = _plain(lambda ctx, arg: ctx.rng.choice(_v("consultancies")))

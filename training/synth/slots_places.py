"""The slots of places (LOCATION spans: provinces, districts, addresses, lists of places) and of
amounts (AREA and PERCENT spans)."""

from __future__ import annotations

from annotations.lexicon import gazetteers as gz

from .context import Ctx, _admin_index, invent_name
from .data import _p, _v
from .entities import (_other_province, _pick_commune, _pick_district, _unit_text, _vn_regions, _world_regions,
                       area_text, percent_text, province_text, village_text)
from .slots import SLOTS, A, L, P, Seg, _loc_slot, _o, slot


SLOTS["prov"] = _loc_slot(lambda ctx, arg: province_text(ctx, form=arg or "any"))
SLOTS["prov2"] = _loc_slot(lambda ctx, arg: province_text(ctx, _other_province(ctx), form=arg or "any"))
SLOTS["dist"] = _loc_slot(lambda ctx, arg: _unit_text(ctx, _pick_district(ctx), arg or "any"))
SLOTS["comm"] = _loc_slot(lambda ctx, arg: _unit_text(ctx, _pick_commune(ctx), arg or "prefix"))
SLOTS["village"] = _loc_slot(lambda ctx, arg: village_text(ctx))
SLOTS["region"] = _loc_slot(lambda ctx, arg: ctx.rng.choice(_world_regions() if arg == "world" else _vn_regions()))
SLOTS["feature"] = _loc_slot(lambda ctx, arg: ctx.rng.choice(gz.load("feature")))
SLOTS["country"] = _loc_slot(lambda ctx, arg: ctx.rng.choice(
    _v("countries_common") if ctx.rng.random() < _p("country.common") else gz.load("country")))
SLOTS["foreign"] = _loc_slot(lambda ctx, arg: ctx.rng.choice(gz.load("foreign_place")))
SLOTS["fcity"] = _loc_slot(lambda ctx, arg: ctx.rng.choice(gz.load("foreign_city")))
SLOTS["vn"] = _loc_slot(lambda ctx, arg: "VN" if ctx.rng.random() < _p("country.vn_abbreviated") else "Việt Nam")
SLOTS["hanoi"] = _loc_slot(lambda ctx, arg: "Hà Nội")


@slot("plant")
def _s_plant(ctx: Ctx, arg: str) -> list[Seg]:
    """A plant named after a province (the place is annotated, as for organisations)."""
    rng = ctx.rng
    kind = rng.choice(_v("plant_kinds"))
    return [_o(kind + " "), (province_text(ctx, form="bare"), L)]


@slot("addr")
def _s_addr(ctx: Ctx, arg: str) -> list[Seg]:
    """An address chain: (village,) commune, district, province — each its own span."""
    rng = ctx.rng
    segs: list[Seg] = []
    if rng.random() < _p("addr.village"):
        segs += [(village_text(ctx), L), _o(", ")]
    segs += [(_unit_text(ctx, _pick_commune(ctx), "prefix" if rng.random() < _p("addr.commune_prefixed") else "any"), L),
             _o(", "),
             (_unit_text(ctx, _pick_district(ctx), "prefix" if rng.random() < _p("addr.district_prefixed") else "any"),
              L)]
    if rng.random() < _p("addr.province"):
        segs += [_o(", "), (province_text(ctx), L)]
    return segs


@slot("addr2")
def _s_addr2(ctx: Ctx, arg: str) -> list[Seg]:
    """District and province."""
    return [(_unit_text(ctx, _pick_district(ctx), "any"), L), _o(ctx.rng.choice(_v("addr2_separators"))),
            (province_text(ctx), L)]


@slot("loc_list")
def _s_loc_list(ctx: Ctx, arg: str) -> list[Seg]:
    """Coordinated places; a shared admin word stays with the first name (arg: prov, dist, comm)."""
    rng = ctx.rng
    level = arg or rng.choice(_v("loc_list_levels"))
    n = rng.choice(_v("loc_list_sizes"))
    if level == "prov":
        units = rng.sample(_admin_index()["provs"][ctx.era], n)
        word = "tỉnh"
        units = [u for u in units if u.prefix == "tỉnh"] or units[:1]
    elif level == "dist":
        pool = ctx.districts
        units = rng.sample(pool, min(n, len(pool)))
        word = rng.choice(_v("loc_list_district_words"))
    else:
        pool = ctx.communes
        units = rng.sample(pool, min(n, len(pool)))
        word = rng.choice(_v("loc_list_commune_words"))
    names = [u.name for u in units if any(ch.isalpha() for ch in u.name)] or [invent_name(rng)]
    n = len(names)
    style = rng.random()
    count = {2: "hai", 3: "ba", 4: "bốn", 5: "năm"}.get(n, str(n))
    segs: list[Seg] = []
    sep = rng.choice(_v("list_separators"))
    last = rng.choice(_v("loc_list_last_joints"))
    if style < _p("loc_list.first_word"):  # "các tỉnh A, B và C" -> [tỉnh A], [B], [C]
        segs.append(_o(rng.choice(("các ", f"{count} ", "", "các "))))
        segs.append((f"{word} {names[0]}", L))
        rest = names[1:]
    elif style < _p("loc_list.colon"):  # "các huyện: A, B" -> all bare
        segs.append(_o(f"{rng.choice(_v('loc_list_colon_leads'))}{word}{rng.choice(_v('loc_list_colons'))}"))
        segs.append((names[0], L))
        rest = names[1:]
    elif style < _p("loc_list.bare"):  # bare list
        segs.append((names[0], L))
        rest = names[1:]
    else:  # every name with its own word
        segs.append((f"{word} {names[0]}", L))
        for i, nm in enumerate(names[1:], 1):
            segs += [_o(last if i == n - 1 else sep), (f"{word} {nm}", L)]
        return segs
    for i, nm in enumerate(rest, 1):
        segs += [_o(last if i == n - 1 else sep), (nm, L)]
    return segs


@slot("area")
def _s_area(ctx: Ctx, arg: str) -> list[Seg]:
    """An area amount; arg picks a unit (ha, m2 ...)."""
    return [(area_text(ctx, arg or None), A)]


@slot("area_q")
def _s_area_q(ctx: Ctx, arg: str) -> list[Seg]:
    """A qualifier (outside) and an area amount."""
    q = ctx.rng.choice(_v("area_qualifiers"))
    return [_o(q), (area_text(ctx, arg or None), A)] if q else [(area_text(ctx, arg or None), A)]


@slot("pct")
def _s_pct(ctx: Ctx, arg: str) -> list[Seg]:
    """A percentage; arg "lo-hi" bounds its value."""
    lo, hi = (float(x) for x in arg.split("-")) if arg else (0.1, 100.0)
    return [(percent_text(ctx, lo, hi), P)]


@slot("pct_q")
def _s_pct_q(ctx: Ctx, arg: str) -> list[Seg]:
    rng = ctx.rng
    lo, hi = (float(x) for x in arg.split("-")) if arg else (0.1, 100.0)
    q = rng.choice(_v("percent_qualifiers"))
    segs: list[Seg] = [_o(q)] if q else []
    segs.append((percent_text(ctx, lo, hi), P))
    if q == "từ ":
        segs.append(_o(" trở lên"))
    return segs

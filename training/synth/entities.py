"""The texts of entities and of the plain phrases around them: places, parks, areas,
percentages; people, money and dates (unlabelled)."""

from __future__ import annotations

import random
from functools import lru_cache

from annotations.lexicon import gazetteers as gz
from annotations.lexicon import vocabulary as vocab

from .context import _ALIASES_OF, Ctx, _admin_index, _cap, _num_style, fmt_number, invent_name
from .data import _p, _v, _weighted


# places ------------------------------------------------------------------

def _prefixed(ctx: Ctx, prefix: str, name: str) -> str:
    rng = ctx.rng
    p_abbreviated = _p("admin_word.abbreviated_rare") if prefix in ("xã", "thành phố") else _p("admin_word.abbreviated")
    if prefix in _v("admin_abbreviated") and rng.random() < p_abbreviated:
        return rng.choice(_v("admin_abbreviated")[prefix]) + name
    if prefix == "thành phố":
        style = ctx.tp_style if rng.random() < _p("admin_word.article_city_style") else rng.choice(_v("city_styles"))
        if style == "TP.":
            return f"TP.{name}"
        if style == "TP. ":
            return f"TP. {name}"
        return f"{style} {name}"
    if rng.random() < _p("admin_word.capitalised"):  # official style: "UBND Huyện Tân Yên", "Tỉnh Thái Bình"
        prefix = _cap(prefix)
    return f"{prefix} {name}"


def province_text(ctx: Ctx, unit=None, form: str = "any") -> str:
    """A province mention; ``form`` is "any", "prefix" or "bare"."""
    rng = ctx.rng
    unit = unit or ctx.province
    name = unit.name
    if name == "Hồ Chí Minh":
        if form == "bare":
            return rng.choice(_v("hcm_bare_short"))
        if rng.random() < _p("province.article_hcm_alias"):
            return ctx.hcm_alias
        return rng.choice(_ALIASES_OF[name] + ["thành phố Hồ Chí Minh"])
    if name == "Bà Rịa - Vũng Tàu" and rng.random() < _p("province.brvt_alias"):
        return rng.choice(_ALIASES_OF[name])
    if name == "Thừa Thiên Huế" and rng.random() < _p("province.hue_alias"):
        return rng.choice(_ALIASES_OF[name])
    use_prefix = form == "prefix" or (form == "any" and rng.random() < _p("province.prefixed"))
    if not use_prefix:
        return name
    return _prefixed(ctx, unit.prefix, name)


def _unit_text(ctx: Ctx, unit, form: str) -> str:
    if unit.level == "province":
        return province_text(ctx, unit, form)
    numeric = not any(ch.isalpha() for ch in unit.name)
    if form == "bare" and not numeric:
        return unit.name
    p_bare = _p("unit.district_bare") if unit.level == "district" else _p("unit.commune_bare")
    if form == "any" and not numeric and ctx.rng.random() < p_bare:
        return unit.name
    return _prefixed(ctx, unit.prefix, unit.name)


@lru_cache(maxsize=None)
def _world_regions() -> tuple[str, ...]:
    foreign = set(gz.load("foreign_place"))
    return tuple(r for r in gz.load("region") if r in foreign)


@lru_cache(maxsize=None)
def _vn_regions() -> tuple[str, ...]:
    world = set(_world_regions())
    return tuple(r for r in gz.load("region") if r not in world)


def _pick_district(ctx: Ctx):
    return ctx.rng.choice(ctx.districts)


def _pick_commune(ctx: Ctx):
    rng = ctx.rng
    if rng.random() < _p("unit.commune_elsewhere"):
        return rng.choice(_admin_index()["communes"])
    return rng.choice(ctx.communes)


def _other_province(ctx: Ctx):
    return ctx.rng.choice(_admin_index()["provs"][ctx.era])


def village_text(ctx: Ctx) -> str:
    rng = ctx.rng
    word = rng.choice(_v("village_words"))
    if rng.random() < _p("village.numbered") and word in vocab.ADMIN_NUMBERED:
        name = str(rng.randint(1, 15))
    elif rng.random() < _p("village.invented"):
        name = invent_name(rng)
    else:
        name = rng.choice(_v("place_syllables")) if rng.random() < _p("village.syllable") else _pick_commune(ctx).name
    return f"{word} {name}"


# clusters ---------------------------------------------------------------


def cluster_name(ctx: Ctx) -> str:
    """A park or cluster name without type word: real, admin-derived, invented or composed."""
    rng = ctx.rng
    r = rng.random()
    if r < _p("cluster_name.real"):
        name = rng.choice(gz.load("cluster_name"))
    elif r < _p("cluster_name.admin"):
        u = _pick_commune(ctx) if rng.random() < _p("cluster_name.admin_commune") else _pick_district(ctx)
        name = u.name if any(ch.isalpha() for ch in u.name) else invent_name(rng)
    elif r < _p("cluster_name.invented"):
        name = invent_name(rng)
    else:
        k = rng.random()
        base = invent_name(rng) if rng.random() < _p("cluster_name.composed_invented_base") else _pick_commune(ctx).name
        if not any(ch.isalpha() for ch in base):
            base = invent_name(rng)
        if k < _p("cluster_name.composed_pair"):
            name = f"{base} - {invent_name(rng)}"
        elif k < _p("cluster_name.composed_brand"):
            name = f"{rng.choice(_v('park_brands'))} {rng.choice((ctx.pname, base))}"
        elif k < _p("cluster_name.composed_direction"):
            name = f"{rng.choice(_v('direction_leads'))} {rng.choice(_v('directions'))} {base}".strip()
            if rng.random() < _p("cluster_name.direction_town"):
                name += f" thị trấn {invent_name(rng)}"
        elif k < _p("cluster_name.composed_number"):
            if rng.random() < _p("cluster_name.number_with_base"):
                name = f"số {rng.randint(1, 5)} {base}"
            else:
                name = f"địa phương số {rng.randint(1, 4)}"
        else:
            name = f"{rng.choice(_v('park_name_descriptors'))} {base}"
    if (rng.random() < _p("cluster_name.suffix") and not name[-1].isdigit()
            and name.split()[-1] not in _v("roman_numerals")):
        name += " " + rng.choice(_v("park_name_suffixes"))
    return name


def _type_word(ctx: Ctx, kind: str | None = None) -> str:
    return _weighted(ctx.rng, _v("type_words")[kind or ctx.kind])


def _doc_cluster(ctx: Ctx, fresh: bool = False) -> tuple[str, str]:
    rng = ctx.rng
    if ctx.clusters and not fresh and rng.random() < _p("doc_cluster.repeat"):
        kind, name = rng.choice(ctx.clusters)
    else:
        kind = ctx.kind if rng.random() < _p("doc_cluster.article_kind") else rng.choice(_v("other_kinds"))
        name = cluster_name(ctx)
        ctx.clusters.append((kind, name))
    return kind, name


def cluster_text(ctx: Ctx, fresh: bool = False, short: bool = False) -> str:
    kind, name = _doc_cluster(ctx, fresh)
    word = kind if short else _type_word(ctx, kind)
    if word.isupper() and len(word) > 4:
        name = name.upper()
    return f"{word} {name}"


# amounts ------------------------------------------------------------------


def _magnitude(rng: random.Random, unit: str) -> float:
    size = vocab.HECTARES_PER_UNIT[unit]
    if size == 1.0:  # ha, héc-ta, hécta, hecta
        return rng.choice((rng.uniform(1, 80), rng.uniform(20, 600), rng.uniform(100, 6000), rng.uniform(0.2, 15)))
    if size == 1e-4:  # m2, m²
        return rng.choice((rng.uniform(50, 5000), rng.uniform(1000, 600000), rng.uniform(20, 900)))
    if size == 100.0:  # km2, km²
        return rng.choice((rng.uniform(1, 100), rng.uniform(100, 20000)))
    return rng.uniform(1, 300)


def _fmt_amount(rng: random.Random, ctx: Ctx, value: float) -> str:
    style = _num_style(rng, ctx)
    if value >= 1000 and rng.random() < _p("amount.digits_only"):
        return str(int(value)) if style != "en" else fmt_number(value, 0, "en")
    decimals = _weighted(rng, _v("area_decimals")) if value < 10000 else 0
    if decimals == 0:
        value = round(value) or 1
    return fmt_number(value, decimals, style)


def area_text(ctx: Ctx, unit: str | None = None) -> str:
    rng = ctx.rng
    unit = unit or _weighted(rng, _v("area_units"))
    value = _magnitude(rng, unit)
    p_no_space = _p("area.no_space") if unit in ("ha", "m2", "m²") else _p("area.no_space_other")
    sep = "" if rng.random() < p_no_space else " "
    r = rng.random()
    if r < _p("area.multiplied") and unit in ("ha", "m2", "héc-ta"):
        mult = rng.choice(_v("area_multipliers") if unit != "ha" else _v("area_multipliers_ha"))
        if rng.random() < _p("area.round_multiplied"):
            num = fmt_number(rng.choice(_v("area_multiplied_numbers")), 0, "vi")
        else:
            num = fmt_number(rng.uniform(1, 9), 1, "vi")
        return f"{num} {mult} {unit}"
    if r < _p("area.range"):
        lo = _fmt_amount(rng, ctx, value)
        hi = _fmt_amount(rng, ctx, value * rng.uniform(1.2, 2.5))
        dash = rng.choice(_v("range_dashes"))
        return f"{lo}{dash}{hi}{sep}{unit}"
    return f"{_fmt_amount(rng, ctx, value)}{sep}{unit}"


def percent_text(ctx: Ctx, lo: float = 0.1, hi: float = 100.0) -> str:
    rng = ctx.rng
    style = _num_style(rng, ctx)

    def one(v: float) -> str:
        d = _weighted(rng, _v("percent_decimals"))
        if d == 0 or v == int(v):
            return str(max(1, round(v)))
        return fmt_number(v, d, "en" if style == "en" else "vi")

    round_values = [v for v in _v("round_percents") if lo <= v <= hi]
    value = rng.choice(round_values) if round_values and rng.random() < _p("percent.round") else rng.uniform(lo, hi)
    r = rng.random()
    if r < _p("percent.words"):
        return f"{one(min(value, 60))} phần trăm"
    if r < _p("percent.range"):
        a = min(value, 90)
        b = a + rng.uniform(2, 10)
        if rng.random() < _p("percent.range_signed"):
            return f"{one(a)}%{rng.choice(_v('percent_range_dashes_signed'))}{one(b)}%"
        return f"{one(a)}{rng.choice(_v('percent_range_dashes'))}{one(b)}%"
    return f"{one(value)}{' %' if rng.random() < _p('percent.spaced_sign') else '%'}"


# ------------------------------------------------------------------ plain (unlabelled) pools


def person_name(rng: random.Random) -> str:
    fam, mid, giv = gz.load("person_family"), gz.load("person_middle"), gz.load("person_given")
    r = rng.random()
    if r < _p("person.place_name"):
        # Names built like places ("Nguyễn Hòa Bình", "Bùi Thanh Sơn") are people too.
        place = rng.choice(gz.load("province") + gz.load("district"))
        if len(place.split()) == 2:
            return f"{rng.choice(fam)} {place}"
    if r < _p("person.two_words"):
        return f"{rng.choice(fam)} {rng.choice(giv)}"
    if r < _p("person.two_middle"):
        return f"{rng.choice(fam)} {rng.choice(mid)} {rng.choice(mid)} {rng.choice(giv)}"
    return f"{rng.choice(fam)} {rng.choice(mid)} {rng.choice(giv)}"


def money_text(rng: random.Random) -> str:
    r = rng.random()
    if r < _p("money.million_usd"):
        return f"{fmt_number(rng.uniform(1, 900), rng.choice(_v('money_decimals')), 'vi')} triệu USD"
    if r < _p("money.billion_vnd"):
        return f"{fmt_number(rng.uniform(5, 60000), 0, 'vi')} tỷ đồng"
    if r < _p("money.billion_usd"):
        return f"{fmt_number(rng.uniform(1, 20), 1, 'vi')} tỷ USD"
    if r < _p("money.million_vnd"):
        return f"{fmt_number(rng.uniform(100, 900), 0, 'vi')} triệu đồng"
    # rare: news names the US far more often as a country than inside "đô la Mỹ"
    return f"{fmt_number(rng.uniform(1, 500), 0, 'vi')} triệu {rng.choice(_v('currencies')[:4])}"


def date_text(rng: random.Random) -> str:
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2005, 2025)
    quarter = rng.choice(_v("roman_numerals")[:4])
    return rng.choice(_v("date_formats")).format(d=d, m=m, y=y, q=quarter)

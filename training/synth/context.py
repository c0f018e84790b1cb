"""The state of one document (:class:`Ctx`, made by :func:`_new_ctx`) and the helpers every
renderer shares: capitals, number formatting, invented place names, the administrative units."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import lru_cache

from annotations.lexicon import gazetteers as gz

from .data import _p, _v, _weighted


# ------------------------------------------------------------------ text helpers

def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


# ------------------------------------------------------------------ number formatting

def fmt_number(value: float, decimals: int, style: str = "vi") -> str:
    """``style``: "vi" (1.952,5), "en" (1,952.5, some 2006-era outlets), "plain" (1952,5)."""
    s = f"{value:,.{decimals}f}"  # 1,952.50
    if style == "vi":
        return s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    if style == "plain":
        return s.replace(",", "").replace(".", ",")
    if style == "en":
        return s
    raise ValueError(f"unknown number style {style!r}")


def _num_style(rng: random.Random, ctx: "Ctx") -> str:
    return ctx.num_style if rng.random() < _p("numbers.article_style") else rng.choice(_v("number_styles_other"))


# ------------------------------------------------------------------ name pools


def invent_name(rng: random.Random) -> str:
    """A plausible, usually non-existent Vietnamese place name."""
    r = rng.random()
    if r < _p("invent_name.highland"):
        return rng.choice(_v("ethnic_places"))
    n = 2 if r < _p("invent_name.two_syllables") else 3
    parts = rng.sample(_v("place_syllables"), n)
    return " ".join(parts)


@lru_cache(maxsize=None)
def _admin_index() -> dict:
    units = gz.admin_units()
    by_prov: dict[tuple[str, str], dict[str, list[gz.AdminUnit]]] = {}
    provs: dict[str, list[gz.AdminUnit]] = {"legacy": [], "2025": []}
    for u in units:
        if u.level == "province":
            provs[u.era].append(u)
        else:
            by_prov.setdefault((u.era, u.province), {}).setdefault(u.level, []).append(u)
    lettered = [u for u in units if u.level == "commune" and any(ch.isalpha() for ch in u.name)]
    return {"provs": provs, "by_prov": by_prov, "communes": lettered,
            "districts": [u for u in units if u.level == "district"]}


_ALIASES_OF: dict[str, list[str]] = {}
for _alias, _target in gz.ALIASES.items():
    _ALIASES_OF.setdefault(_target, []).append(_alias)
del _alias, _target


# ------------------------------------------------------------------ document context

@dataclass
class Ctx:
    """Per-document state: the places and parks the article is about, and its style."""

    rng: random.Random
    era: str
    province: gz.AdminUnit
    districts: list
    communes: list
    clusters: list = field(default_factory=list)  # (type_word, name)
    num_style: str = "vi"
    tone_new: bool = False
    tp_style: str = "TP"
    hcm_alias: str = "TP.HCM"
    kind: str = "KCN"  # the article's main park kind: KCN / CCN / KCX
    genre: str = "park"  # "park" (industrial-park story), "local" or "general" (prose-led news)
    beats: tuple = ()  # prose sections the article's background sentences come from

    @property
    def pname(self) -> str:
        return self.province.name


def _new_ctx(rng: random.Random) -> Ctx:
    idx = _admin_index()
    era = "legacy" if rng.random() < _p("article.legacy_era") else "2025"
    prov = rng.choice(idx["provs"][era])
    sub = idx["by_prov"].get((era, prov.name), {})
    districts = sub.get("district", [])
    if era == "2025" or not districts:
        districts = idx["by_prov"].get(("legacy", prov.name), {}).get("district", []) or idx["districts"]
    communes = sub.get("commune", []) or idx["communes"]
    ctx = Ctx(rng=rng, era=era, province=prov, districts=districts, communes=communes)
    ctx.num_style = _weighted(rng, _v("number_styles"))
    ctx.tone_new = rng.random() < _p("article.tone_new")
    ctx.tp_style = rng.choice(_v("city_styles_article"))
    ctx.hcm_alias = rng.choice(_v("hcm_aliases_article"))
    ctx.kind = _weighted(rng, _v("article_kinds"))
    return ctx

"""The plain slots (people, money, dates, numbers, measures, zones, ports, papers: no entity) and
the names of companies, authorities, officials and investors, plain but for the places and
parks inside them."""

from __future__ import annotations

from annotations.lexicon import gazetteers as gz

from .context import Ctx, fmt_number, invent_name
from .data import _p, _v
from .entities import (_pick_commune, _pick_district, _unit_text, cluster_text, date_text, money_text, person_name,
                       province_text)
from .slots import SLOTS, C, L, P, Seg, _o, _plain, slot


SLOTS["person"] = _plain(lambda ctx, arg: person_name(ctx.rng))
SLOTS["money"] = _plain(lambda ctx, arg: money_text(ctx.rng))
SLOTS["date"] = _plain(lambda ctx, arg: date_text(ctx.rng))
SLOTS["year"] = _plain(lambda ctx, arg: str(ctx.rng.randint(2005, 2025)))
SLOTS["n"] = _plain(lambda ctx, arg: str(ctx.rng.randint(*(int(x) for x in (arg or "2-60").split("-")))))
SLOTS["bign"] = _plain(lambda ctx, arg: fmt_number(ctx.rng.randint(1000, 90000), 0, "vi"))
SLOTS["ratio"] = _plain(lambda ctx, arg: (lambda b: f"{ctx.rng.randint(1, b)}/{b}")(ctx.rng.randint(5, 63)))
SLOTS["scale"] = _plain(lambda ctx, arg: ctx.rng.choice(_v("map_scales")))
SLOTS["length"] = _plain(lambda ctx, arg: ctx.rng.choice((
    f"{ctx.rng.randint(2, 90)} mét", f"{ctx.rng.randint(2, 80)} km", f"{ctx.rng.randint(3, 900)} m",
    f"{fmt_number(ctx.rng.uniform(1, 40), 1, 'vi')} km", f"{ctx.rng.randint(5, 60)} m")))
SLOTS["volume"] = _plain(lambda ctx, arg: ctx.rng.choice((
    f"{fmt_number(ctx.rng.randint(500, 50000), 0, 'vi')} m3/ngày đêm", f"{fmt_number(ctx.rng.randint(1000, 90000), 0, 'vi')} m3",
    f"{fmt_number(ctx.rng.randint(2, 900), 0, 'vi')} tấn/năm", f"{ctx.rng.randint(10, 900)} MW",
    f"{fmt_number(ctx.rng.randint(1000, 500000), 0, 'vi')} tấn", f"{ctx.rng.randint(2, 40)} triệu sản phẩm/năm")))
SLOTS["rent"] = _plain(lambda ctx, arg: ctx.rng.choice((
    f"{ctx.rng.randint(40, 250)} USD/m2", f"{ctx.rng.randint(40, 250)} USD/m2/chu kỳ thuê",
    f"{fmt_number(ctx.rng.uniform(0.5, 9), 1, 'vi')} USD/m2/tháng", f"{ctx.rng.randint(3, 9)} USD/m²/tháng",
    f"{fmt_number(ctx.rng.randint(500, 9000), 0, 'vi')} đồng/m2", f"{ctx.rng.randint(1, 20)} triệu đồng/m2")))
SLOTS["kkt"] = _plain(lambda ctx, arg: ctx.rng.choice((
    f"{ctx.rng.choice(_v('economic_zone_heads'))} {ctx.rng.choice(_v('economic_zones'))}",
    f"{ctx.rng.choice(_v('border_zone_heads'))} {ctx.rng.choice(_v('border_economic_zones'))}")))
SLOTS["hitech"] = _plain(lambda ctx, arg: ctx.rng.choice((
    f"{ctx.rng.choice(_v('hitech_heads'))} {ctx.rng.choice(_v('hitech_parks'))}",
    f"Khu nông nghiệp ứng dụng công nghệ cao {ctx.rng.choice(_v('agri_hitech_provinces'))}",
    "Công viên phần mềm Quang Trung", f"khu đô thị {invent_name(ctx.rng)}", f"Khu đô thị {invent_name(ctx.rng)}",
    f"khu dân cư {invent_name(ctx.rng)}", f"khu tái định cư {invent_name(ctx.rng)}",
    f"Khu du lịch {invent_name(ctx.rng)}", f"khu nhà ở công nhân {invent_name(ctx.rng)}")))
SLOTS["port"] = _plain(lambda ctx, arg: ctx.rng.choice(
    tuple(f"{head} {ctx.rng.choice(_v(pool))}" for head, pool in _v("port_heads").items())))
SLOTS["road"] = _plain(lambda ctx, arg: ctx.rng.choice(_v("roads")))
SLOTS["building"] = _plain(lambda ctx, arg: ctx.rng.choice(_v("buildings")))
SLOTS["paper"] = _plain(lambda ctx, arg: ctx.rng.choice(_v("papers")))
#: a photo credit in capitals, as papers print it ("Ảnh: MINH ĐỨC"): its place-like words are no places
SLOTS["credit"] = _plain(lambda ctx, arg: " ".join(person_name(ctx.rng).split()[-2:]).upper())
SLOTS["currency"] = _plain(lambda ctx, arg: ctx.rng.choice(_v("currencies")))
SLOTS["street"] = _plain(lambda ctx, arg: f"số {ctx.rng.randint(1, 300)} đường {person_name(ctx.rng)}")


@slot("company")
def _s_company(ctx: Ctx, arg: str) -> list[Seg]:
    """A company name; sometimes with a place (annotated) or a park (annotated) inside."""
    rng = ctx.rng
    form = rng.choice(_v("company_forms"))
    brand = rng.choice(gz.load("company")) if rng.random() < _p("company.gazetteer_brand") else invent_name(rng)
    r = rng.random()
    if r < _p("company.vietnam"):
        pre, post = form.split("{b}")
        return [_o(f"{pre}{brand} "), ("Việt Nam", L)] if not post else [_o(form.format(b=brand))]
    if r < _p("company.province"):
        return [_o(rng.choice(_v("company_province_heads"))),
                (province_text(ctx, form="bare" if rng.random() < _p("company.province_bare") else "any"), L)]
    if r < _p("company.park"):
        return [_o(rng.choice(_v("company_park_heads"))),
                (cluster_text(ctx, short=rng.random() < _p("company.park_short")), C)]
    return [_o(form.format(b=brand))]


@slot("org")
def _s_org(ctx: Ctx, arg: str) -> list[Seg]:
    """An authority named after a place (the place is annotated) or a park (annotated)."""
    rng = ctx.rng
    r = rng.random()
    if r < _p("org.province"):
        head = rng.choice(_v("org_province_heads"))
        bare_ok = head in ("Tỉnh ủy", "Cục Thống kê", "Cục Thuế", "Cục Hải quan", "Sở Công Thương")
        bare = bare_ok and rng.random() < _p("org.province_bare")
        return [_o(head + " "), (province_text(ctx, form="bare" if bare else "prefix"), L)]
    if r < _p("org.district"):
        head = rng.choice(_v("org_district_heads"))
        return [_o(head + " "), (_unit_text(ctx, _pick_district(ctx), "prefix"), L)]
    if r < _p("org.commune"):
        return [_o(rng.choice(_v("org_commune_heads"))), (_unit_text(ctx, _pick_commune(ctx), "prefix"), L)]
    if r < _p("org.park"):
        return [_o(rng.choice(_v("org_park_heads"))),
                (cluster_text(ctx), C)]
    if r < _p("org.media"):
        return [_o(rng.choice(_v("org_media_heads"))),
                (province_text(ctx, form="bare"), L)]
    return [_o(rng.choice(_v("national_orgs")))]


@slot("official")
def _s_official(ctx: Ctx, arg: str) -> list[Seg]:
    """A person (not annotated) with a title that may contain a place (annotated)."""
    rng = ctx.rng
    honor = rng.choice(_v("honorifics"))
    name = person_name(rng)
    r = rng.random()
    if r < _p("official.gov_title"):
        title = rng.choice(_v("titles_gov"))
        if rng.random() < _p("official.district"):
            place = [(_unit_text(ctx, _pick_district(ctx), "prefix"), L)]
            title = title.replace("Tỉnh ủy", "Huyện ủy")
        else:
            prefixed = rng.random() < _p("official.province_prefixed")
            place = [(province_text(ctx, form="prefix" if prefixed else "bare"), L)]
        tseg = [_o(title + " ")] + place
    elif r < _p("official.plain_title"):
        tseg = [_o(rng.choice(_v("titles_plain")))]
    else:
        tseg = [_o(rng.choice(_v("official_company_titles")))] + \
            _s_company(ctx, "")
    if rng.random() < _p("official.comma"):
        return [_o(f"{honor}{name}, ")] + tseg
    if rng.random() < _p("official.dash"):
        return [_o(f"{honor}{name} - ")] + tseg
    if honor:
        return [_o(f"{honor}{name} (")] + tseg + [_o(")")]
    return tseg + [_o(f" {name}")]


@slot("investor")
def _s_investor(ctx: Ctx, arg: str) -> list[Seg]:
    """A foreign investor: origin country annotated."""
    rng = ctx.rng
    r = rng.random()
    c = rng.choice(_v("countries_common"))
    if r < _p("investor.country"):
        return [_o(rng.choice(_v("investor_heads"))), (c, L)]
    if r < _p("investor.company_bracketed"):
        return _s_company(ctx, "") + [_o(" ("), (c, L), _o(")")]
    if r < _p("investor.capital"):
        lead = rng.choice(_v("investor_capital_leads"))
        if lead.startswith("100%"):  # a percentage like any other: PERCENT
            return [("100%", P), _o(lead[4:]), (c, L)]
        return [_o(lead), (c, L)]
    return _s_company(ctx, "") + [_o(rng.choice(_v("investor_joints"))), (c, L)]

"""Quality gate for writer C's hand-written training articles
(training/data/written/wc_*.txt: general economy and business wire stories, 2006-2010 style).

Besides parsing and span validity, consistency heuristics catch the usual slips: a
percentage or area left unlabelled, a range split into two spans, a place whose
administrative word is outside its span, a river or sea left unlabelled, a named park
without its CLUSTER span, an unlabelled repeat or well-known place, and a LOCATION on a
name that the spec treats as part of a facility (economic zone, port, airport, road,
currency) or on 'EU'. Each heuristic is itself tested on a wrong/right markup pair.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Callable

import pytest

from annotations.bio import document_to_bio
from annotations.document import Document, Span
from annotations.labels import LABELS
from annotations.validate import check_spans
from training.markup import parse_markup, read_markup_file, to_markup

WRITTEN = Path(__file__).resolve().parents[1] / "training" / "data" / "written"
FILES = sorted(WRITTEN.glob("wc_*.txt"))

MIN_DOCS = 30
MIN_WORDS, MAX_WORDS = 200, 500
_DOC_ID = re.compile(r"^wc_\d{2}_[a-z0-9-]+$")

# --- patterns ---------------------------------------------------------------------
AREA_UNITS = ("ha", "m2", "m²", "km2", "km²", "héc-ta", "hécta", "hecta", "mẫu", "sào")
_NUM = r"\d(?:[\d.,]*\d)?"
_AREA_RE = re.compile(
    rf"{_NUM}(?:\s*-\s*{_NUM})?(?:\s+(?:triệu|nghìn|ngàn))?\s*"
    r"(?:" + "|".join(map(re.escape, AREA_UNITS)) + r")(?!\w)"
)
_AREA_SPAN = re.compile(rf"^{_AREA_RE.pattern}$")
_PERCENT_SPAN = re.compile(rf"^{_NUM}(?:\s*%)?(?:\s*-\s*{_NUM})?\s*(?:%|phần trăm)$")
_PHAN_TRAM_RE = re.compile(r"\d\s*phần trăm")
# administrative word + a capitalised name or a number ("quận 9", "ấp 3")
_ADMIN_RE = re.compile(
    r"(?<!\w)(?:(?:[Tt]hành phố|[Tt]hị xã|[Tt]hị trấn|[Tt]ỉnh|[Hh]uyện|[Xx]ã|[Qq]uận|[Pp]hường|"
    r"[Tt]hôn|[Ấấ]p)[ ]|TP(?:\.[ ]?|[ ]))(?=[^\W_])(\w)"
)
# natural features: "sông Hồng", "biển Đông"
_NATURE_RE = re.compile(r"(?<!\w)(?:[Ss]ông|[Bb]iển|[Vv]ịnh)[ ](?=[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝ])(\w)")
# CLUSTER type word + a capitalised name
_TYPE_RE = re.compile(
    r"(?<!\w)(?:KCN|KCX|CCN|[Kk]hu [Cc]ông [Nn]ghiệp|[Cc]ụm [Cc]ông [Nn]ghiệp|[Kk]hu [Cc]hế [Xx]uất|"
    r"[Cc]ụm CN|[Kk]hu CN)[ ](\w)"
)
_PLURAL_BEFORE = re.compile(r"(?i)(?<!\w)(?:các|những|nhiều)\s$")
_ROMAN = re.compile(r"^(?:[IVX]+|\d+)$")
_ADMIN_PREFIX = re.compile(
    r"^(?:[Tt]hành phố|[Tt]hị xã|[Tt]hị trấn|[Tt]ỉnh|[Hh]uyện|[Xx]ã|[Qq]uận|[Pp]hường|[Tt]hôn|[Ấấ]p|"
    r"TP\.?)\s?"
)
_TYPE_PREFIX = re.compile(r"^(?:KCN|KCX|CCN|[Kk]hu [Cc]ông [Nn]ghiệp|[Cc]ụm [Cc]ông [Nn]ghiệp|[Cc]ụm CN)\s")
_SPLIT_RANGE = re.compile(r"^\s?-\s?$")

# Words that, shortly before a name in the same clause, make it part of the name of a
# facility (economic zone, hi-tech park, urban/resettlement area, port, airport, road,
# bridge, tunnel, market, hotel, border gate, currency, hydropower dam). Such a place gets
# no LOCATION. Plants are not facilities here: the spec labels `nhà máy đạm [Ninh Bình]`,
# so a thermal plant's place is labelled too (`nhiệt điện [Vĩnh Tân] 2`).
FACILITY_WORDS = (
    "khu kinh tế", "kkt", "khu công nghệ cao", "khu đô thị", "khu du lịch", "khu tái định cư",
    "khu dân cư", "cảng", "sân bay", "cao tốc", "quốc lộ", "xa lộ", "đại lộ", "đường", "cầu",
    "hầm", "chợ", "cửa khẩu", "đô la", "ga", "khách sạn", "thủy điện",
)
_FACILITY_BEFORE = re.compile(
    r"(?i)(?<!\w)(?:" + "|".join(map(re.escape, FACILITY_WORDS)) + r")"
    r"(?:[ ]+[^\s,.;:()\"]+(?:\.[^\s,.;:()\"]+)*){0,6}[ ]+$"
)
_FACILITY_RIGHT_BEFORE = re.compile(
    r"(?i)(?<!\w)(?:" + "|".join(map(re.escape, FACILITY_WORDS)) + r")(?:[ ](?:quốc tế|nước sâu|cửa khẩu))?[ ]$"
)

# --- exemptions (exact phrases, each with its reason) -------------------------------
# A type word followed by a capitalised word that is not a park's name.
CLUSTER_ALLOW: tuple[str, ...] = ()
# Phrases in which a known place, or a name labelled elsewhere in the document, is not
# an entity of its own.
UNLABELLED_PHRASES: tuple[str, ...] = (
    "Nguyễn Thái Bình",  # a person
    "Trần Bắc Hà",  # a person (bank chairman), not the district of Lào Cai
    "Phạm Hải Dương",  # a person
    "Trần Kim Chung",  # a person (economist), not the commune labelled nearby
    "Thái Bình - Hồng Nhung",  # a byline: two reporters, not the province
)

# Named regions: in `các tỉnh Đông Nam Bộ` the word `tỉnh` is generic (a region is not a
# province), so only the region's name is the LOCATION.
REGIONS = (
    "Đông Nam Bộ", "Tây Nam Bộ", "Nam Bộ", "Bắc Bộ", "Nam Trung Bộ", "Bắc Trung Bộ", "Tây Nguyên",
    "Đồng bằng sông Cửu Long", "Đồng bằng sông Hồng", "Tây Bắc", "Đông Bắc",
)

# Well-known places: every occurrence must be labelled (or lie inside a CLUSTER span,
# a facility name or an exempted phrase).
KNOWN_PLACES = (
    "Việt Nam", "Nhật Bản", "Hàn Quốc", "Trung Quốc", "Đài Loan", "Singapore", "Mỹ", "Hoa Kỳ",
    "Hồng Kông", "Thái Lan", "Malaysia", "Campuchia", "Lào", "Ấn Độ", "Indonesia", "Nga",
    "châu Âu", "châu Á", "Đông Nam Á", "TP.HCM", "TPHCM", "TP. Hồ Chí Minh", "BR-VT",
    "Bà Rịa - Vũng Tàu", "Đồng bằng sông Cửu Long", "ĐBSCL", "Tây Nguyên", "miền Trung",
    "miền Bắc", "miền Nam", "Đông Nam Bộ", "Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ",
    "Bình Dương", "Đồng Nai", "Long An", "Tây Ninh", "Bắc Ninh", "Vĩnh Phúc", "Hải Dương",
    "Hưng Yên", "Quảng Ninh", "Thanh Hóa", "Nghệ An", "Quảng Nam", "Quảng Ngãi", "Khánh Hòa",
    "Biên Hòa", "Thủ Dầu Một", "Sài Gòn",
)


# --- helpers ----------------------------------------------------------------------
@lru_cache(maxsize=None)
def _load(path: Path) -> tuple[Document, ...]:
    return tuple(read_markup_file(path))


def _all_docs() -> list[Document]:
    return [doc for path in FILES for doc in _load(path)]


def _covering(doc: Document, start: int, end: int, label: str | None = None) -> Span | None:
    for s in doc.spans:
        if s.start <= start and end <= s.end and (label is None or s.label == label):
            return s
    return None


def _touching(doc: Document, start: int, end: int) -> bool:
    return any(s.start < end and start < s.end for s in doc.spans)


def _in_phrase(text: str, start: int, end: int, phrases: tuple[str, ...]) -> bool:
    for phrase in phrases:
        for m in re.finditer(re.escape(phrase), text):
            if m.start() <= start and end <= m.end():
                return True
    return False


def _in_facility(doc: Document, start: int) -> bool:
    line_start = doc.text.rfind("\n", 0, start) + 1
    return bool(_FACILITY_BEFORE.search(doc.text[line_start:start]))


def _context(doc: Document, start: int, end: int, width: int = 40) -> str:
    return f"{doc.id}: ...{doc.text[max(0, start - width):end + width]!r}..."


# --- per-document checks (each returns a list of problems) --------------------------
def span_shape_problems(doc: Document) -> list[str]:
    """Spans begin and end on the entity's own characters and look like their label."""
    bad = []
    for s in doc.spans:
        t = s.text
        if not (t[0].isalnum() and (t[-1].isalnum() or t[-1] in "%²")):
            bad.append(f"{doc.id}: edge character in {s.label} {t!r}")
        if s.label == "AREA" and not _AREA_SPAN.match(t):
            bad.append(f"{doc.id}: AREA is not number + unit: {t!r}")
        if s.label == "PERCENT" and not _PERCENT_SPAN.match(t):
            bad.append(f"{doc.id}: PERCENT is not number + sign: {t!r}")
        if s.label in ("CLUSTER", "LOCATION"):
            first = t.split()[0]
            if first.lower() in {"các", "những", "dự", "phía", "toàn", "khoảng", "vùng"} or first in {
                    "hai", "ba", "bốn", "năm"} or first.isdigit():
                bad.append(f"{doc.id}: {s.label} starts with a word that stays outside: {t!r}")
            if "\n" in t:
                bad.append(f"{doc.id}: {s.label} spans a line break: {t!r}")
        if s.label == "LOCATION" and t in ("EU", "ASEAN", "WTO", "USD"):
            bad.append(f"{doc.id}: {t!r} is not a place")
    return bad


def percent_problems(doc: Document) -> list[str]:
    """Every '%' and every '<digit> phần trăm' lies inside a PERCENT span."""
    bad = [_context(doc, i, i + 1) for i, c in enumerate(doc.text)
           if c == "%" and not _covering(doc, i, i + 1, "PERCENT")]
    bad += [_context(doc, m.start(), m.end()) for m in _PHAN_TRAM_RE.finditer(doc.text)
            if not _covering(doc, m.start(), m.end(), "PERCENT")]
    return bad


def area_problems(doc: Document) -> list[str]:
    """Every number (or range) directly followed by an area unit lies inside one AREA span."""
    return [_context(doc, m.start(), m.end()) for m in _AREA_RE.finditer(doc.text)
            if not _covering(doc, m.start(), m.end(), "AREA")]


def split_range_problems(doc: Document) -> list[str]:
    """A range is one span: two AREA or PERCENT spans joined only by a dash are a slip."""
    spans = doc.sorted_spans()
    return [_context(doc, a.start, b.end) for a, b in zip(spans, spans[1:])
            if a.label == b.label and a.label in ("AREA", "PERCENT")
            and _SPLIT_RANGE.match(doc.text[a.end:b.start])]


def admin_place_problems(doc: Document) -> list[str]:
    """`tỉnh X`, `huyện X`, `TP X`, `quận 9`, ... (X capitalised or a number): the
    administrative word sits inside a LOCATION (or the whole inside a CLUSTER name), also
    after a plural word (`các [huyện Long Hồ], [Mang Thít]`). Facility names are exempt."""
    bad = []
    for m in _ADMIN_RE.finditer(doc.text):
        name_start = m.start(1)
        if not (m.group(1).isupper() or m.group(1).isdigit()):
            continue
        if _covering(doc, m.start(), name_start + 1, "CLUSTER") or _covering(doc, m.start(), name_start + 1,
                                                                              "LOCATION"):
            continue
        if _in_facility(doc, m.start()) and not _touching(doc, m.start(), name_start + 1):
            continue
        region = _covering(doc, name_start, name_start + 1, "LOCATION")
        if region is not None and region.start == name_start and region.text in REGIONS:
            continue
        bad.append(_context(doc, m.start(), name_start + 1))
    return bad


def nature_problems(doc: Document) -> list[str]:
    """`sông Hậu`, `biển Đông`: a named river or sea is a LOCATION including its type
    word (or lies inside a CLUSTER name or a facility name)."""
    bad = []
    for m in _NATURE_RE.finditer(doc.text):
        if _covering(doc, m.start(), m.start(1) + 1):
            continue
        if _in_facility(doc, m.start()) and not _touching(doc, m.start(), m.start(1) + 1):
            continue
        bad.append(_context(doc, m.start(), m.start(1) + 1))
    return bad


def named_park_problems(doc: Document) -> list[str]:
    """A type word followed by a capitalised name starts a CLUSTER span, except after a
    plural word where the name is a province (`Ban Quản lý các KCN [Đồng Nai]`)."""
    bad = []
    for m in _TYPE_RE.finditer(doc.text):
        if not m.group(1).isupper():
            continue
        span = _covering(doc, m.start(), m.start(1) + 1, "CLUSTER")
        if span is not None and span.start == m.start():
            continue
        if _PLURAL_BEFORE.search(doc.text[:m.start()]) and _covering(doc, m.start(1), m.start(1) + 1, "LOCATION"):
            continue
        if _in_phrase(doc.text, m.start(), m.end(), CLUSTER_ALLOW):
            continue
        bad.append(_context(doc, m.start(), m.start(1) + 1))
    return bad


def _names_to_check(doc: Document) -> set[str]:
    names = set()
    for s in doc.spans:
        if s.label not in ("LOCATION", "CLUSTER"):
            continue
        names.add(s.text)
        names.add((_ADMIN_PREFIX if s.label == "LOCATION" else _TYPE_PREFIX).sub("", s.text))
    return {n for n in names if len(n) >= 4 and not _ROMAN.match(n)}


def repeat_problems(doc: Document) -> list[str]:
    """A name labelled LOCATION or CLUSTER is labelled at every occurrence, unless it is
    part of a facility name or an exempted phrase."""
    bad = []
    for name in sorted(_names_to_check(doc)):
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", doc.text):
            if _touching(doc, m.start(), m.end()):
                continue
            if _in_facility(doc, m.start()) or _in_phrase(doc.text, m.start(), m.end(), UNLABELLED_PHRASES):
                continue
            bad.append(_context(doc, m.start(), m.end()))
    return bad


def known_place_problems(doc: Document) -> list[str]:
    bad = []
    for name in KNOWN_PLACES:
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", doc.text):
            if _covering(doc, m.start(), m.end()):
                continue
            if _in_facility(doc, m.start()) or _in_phrase(doc.text, m.start(), m.end(), UNLABELLED_PHRASES):
                continue
            bad.append(_context(doc, m.start(), m.end()))
    return bad


def facility_label_problems(doc: Document) -> list[str]:
    """No LOCATION starts right after a facility word (`cảng Cái Mép`, `đô la Mỹ`)."""
    bad = []
    for s in doc.spans:
        if s.label == "LOCATION" and _FACILITY_RIGHT_BEFORE.search(doc.text[max(0, s.start - 40):s.start]):
            bad.append(_context(doc, s.start, s.end))
    return bad


CHECKS: dict[str, Callable[[Document], list[str]]] = {
    "span_shape": span_shape_problems,
    "percent": percent_problems,
    "area": area_problems,
    "split_range": split_range_problems,
    "admin_place": admin_place_problems,
    "nature": nature_problems,
    "named_park": named_park_problems,
    "repeat": repeat_problems,
    "known_place": known_place_problems,
    "facility_label": facility_label_problems,
}


# --- the data -----------------------------------------------------------------------
def test_files_present() -> None:
    if not FILES:
        pytest.fail(f"no wc_*.txt files under {WRITTEN}")
    assert len(_all_docs()) >= MIN_DOCS


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_file_parses_and_round_trips(path: Path) -> None:
    docs = _load(path)
    assert docs, f"{path.name} holds no '### <doc_id>' documents"
    for doc in docs:
        assert doc.spans, f"{doc.id} has no spans"
        again = parse_markup(to_markup(doc), doc.id)
        assert again.text == doc.text
        assert [s.key for s in again.spans] == [s.key for s in doc.sorted_spans()]


def test_doc_ids_unique_and_well_formed() -> None:
    ids = [doc.id for doc in _all_docs()]
    assert len(ids) == len(set(ids)), sorted(i for i, n in Counter(ids).items() if n > 1)
    assert [i for i in ids if not _DOC_ID.match(i)] == []


def test_lengths_and_text_form() -> None:
    bad = []
    for doc in _all_docs():
        n = len(doc.text.split())
        if not MIN_WORDS <= n <= MAX_WORDS:
            bad.append(f"{doc.id}: {n} words")
        if unicodedata.normalize("NFC", doc.text) != doc.text:
            bad.append(f"{doc.id}: text is not NFC")
        if any(c in doc.text for c in "{}|"):
            bad.append(f"{doc.id}: markup characters left in text")
    assert not bad, "\n".join(bad)


def test_spans_valid_and_on_syllable_boundaries() -> None:
    bad = []
    for doc in _all_docs():
        bad += [str(p) for p in check_spans(doc.text, doc.spans, doc_id=doc.id)]
        bad += [f"{doc.id}: misaligned {s.label} {s.text!r}" for s in document_to_bio(doc).misaligned]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_consistency_heuristic_holds(name: str) -> None:
    bad = [p for doc in _all_docs() for p in CHECKS[name](doc)]
    assert not bad, "\n".join(bad)


def test_exemptions_are_used() -> None:
    """Every exempted phrase still occurs somewhere (no stale exemptions)."""
    texts = [doc.text for doc in _all_docs()]
    assert [p for p in CLUSTER_ALLOW + UNLABELLED_PHRASES if not any(p in t for t in texts)] == []


def test_label_mix() -> None:
    """Every label occurs; LOCATION is 60-80% of spans and CLUSTER at most 20%, the mix of
    general business news the brief asks for."""
    counts = Counter(s.label for doc in _all_docs() for s in doc.spans)
    total = sum(counts.values())
    assert set(counts) == set(LABELS), counts
    assert 0.60 <= counts["LOCATION"] / total <= 0.80, counts
    assert counts["CLUSTER"] / total <= 0.20, counts


# --- the heuristics themselves catch slips ------------------------------------------
SLIPS = [
    # (check, wrong markup, corrected markup)
    ("span_shape", "Rộng {{AREA|khoảng 50 ha}}.", "Rộng khoảng {{AREA|50 ha}}."),
    ("span_shape", "Tại {{CLUSTER|các KCN Quế Võ}}.", "Tại các {{CLUSTER|KCN Quế Võ}}."),
    ("span_shape", "Thị trường {{LOCATION|EU}}.", "Thị trường EU và {{LOCATION|châu Âu}}."),
    ("percent", "Lấp đầy 85% diện tích.", "Lấp đầy {{PERCENT|85%}} diện tích."),
    ("percent", "Đạt 5 phần trăm.", "Đạt {{PERCENT|5 phần trăm}}."),
    ("area", "Diện tích 1,5 triệu m2 nhà xưởng.", "Diện tích {{AREA|1,5 triệu m2}} nhà xưởng."),
    ("area", "Rộng 186,4ha.", "Rộng {{AREA|186,4ha}}."),
    ("split_range", "Tăng {{PERCENT|20%}} - {{PERCENT|30%}}.", "Tăng {{PERCENT|20% - 30%}}."),
    ("split_range", "Khu đất {{AREA|5 ha}} - {{AREA|10 ha}}.", "Khu đất {{AREA|5 - 10 ha}}."),
    ("area", "Khu đất 5 - {{AREA|10 ha}}.", "Khu đất {{AREA|5 - 10 ha}}."),
    ("admin_place", "UBND tỉnh {{LOCATION|Long An}} họp.", "UBND {{LOCATION|tỉnh Long An}} họp."),
    ("admin_place", "Các huyện {{LOCATION|Long Hồ}}, {{LOCATION|Mang Thít}}.",
     "Các {{LOCATION|huyện Long Hồ}}, {{LOCATION|Mang Thít}}."),
    ("admin_place", "Các tỉnh {{LOCATION|Đồng Nai}} và {{LOCATION|Đông Nam Bộ}}.",
     "Các {{LOCATION|tỉnh Đồng Nai}} và các tỉnh {{LOCATION|Đông Nam Bộ}}."),
    ("nature", "Bên bờ sông Hậu.", "Bên bờ {{LOCATION|sông Hậu}}."),
    ("named_park", "Tại KCN Tân Tạo.", "Tại {{CLUSTER|KCN Tân Tạo}}."),
    ("named_park", "Khu công nghiệp {{LOCATION|Hòa Phú}}.", "{{CLUSTER|Khu công nghiệp Hòa Phú}}."),
    ("repeat", "{{LOCATION|Vĩnh Long}} có 3 KCN. Vĩnh Long dẫn đầu.",
     "{{LOCATION|Vĩnh Long}} có 3 KCN. {{LOCATION|Vĩnh Long}} dẫn đầu."),
    ("known_place", "Nhà đầu tư Hàn Quốc.", "Nhà đầu tư {{LOCATION|Hàn Quốc}}, 1 tỷ đô la Mỹ."),
    ("facility_label", "Cảng {{LOCATION|Cái Mép}}.", "Cảng Cái Mép ở {{LOCATION|Tân Thành}}."),
]


@pytest.mark.parametrize("check, wrong, right", SLIPS, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(SLIPS)])
def test_heuristic_catches_slip(check: str, wrong: str, right: str) -> None:
    assert CHECKS[check](parse_markup(wrong, "slip")), f"{check} missed: {wrong!r}"
    assert CHECKS[check](parse_markup(right, "fixed")) == [], f"{check} flags: {right!r}"

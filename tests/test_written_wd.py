"""Quality gate for writer D's hand-written training articles
(training/data/written/wd_*.txt: 2015-2024 online news, market reports, FDI rankings,
infrastructure, post-2025 province mergers, planning lists, page furniture).

Besides parsing and span validity, consistency heuristics catch the usual annotation
slips: a percentage or area left unlabelled, a place whose administrative word is
outside its span, a named park without its CLUSTER span, an unlabelled repeat of a
name, a well-known place left unlabelled, and a LOCATION put on a name that the spec
treats as part of a facility (economic zone, port, airport, road, ...). Each heuristic
is itself tested on a wrong/right markup pair, so none of them passes vacuously.
Every exemption is listed below with its reason.
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
FILES = sorted(WRITTEN.glob("wd_*.txt"))

MIN_DOCS = 30
MIN_WORDS, MAX_WORDS = 200, 500
_DOC_ID = re.compile(r"^wd_\d{2}_[a-z0-9-]+$")

# --- patterns -------------------------------------------------------------------
AREA_UNITS = ("ha", "m2", "m²", "km2", "km²", "héc-ta", "hécta", "hecta", "mẫu", "sào")
_NUM = r"\d(?:[\d.,]*\d)?"
# a number (or a range of numbers) directly followed by an area unit, multiplier allowed
_AREA_RE = re.compile(
    rf"{_NUM}(?:\s*-\s*{_NUM})?(?:\s+(?:triệu|nghìn|ngàn))?\s*"
    r"(?:" + "|".join(map(re.escape, AREA_UNITS)) + r")(?!\w)"
)
_AREA_SPAN = re.compile(rf"^{_AREA_RE.pattern}$")
_PERCENT_SPAN = re.compile(rf"^{_NUM}(?:\s*%)?(?:\s*-\s*{_NUM})?\s*(?:%|phần trăm)$")
_PHAN_TRAM_RE = re.compile(r"\d\s*phần trăm")

_ADMIN_WORDS = r"[Tt]hành phố|[Tt]hị xã|[Tt]hị trấn|[Tt]ỉnh|[Hh]uyện|[Xx]ã|[Qq]uận|[Pp]hường|[Tt]hôn|[Ấấ]p"
# administrative word + a capitalised name or a number ("quận 7", "ấp 3")
_ADMIN_RE = re.compile(rf"(?<!\w)(?:(?:{_ADMIN_WORDS})[ ]|TP(?:\.[ ]?|[ ]))(?=[^\W_])(\w)")
_TYPE_WORDS = (r"KCN|KCX|CCN|[Kk]hu [Cc]ông [Nn]ghiệp|[Cc]ụm [Cc]ông [Nn]ghiệp|[Kk]hu [Cc]hế [Xx]uất|"
               r"[Cc]ụm CN|[Kk]hu CN")
# CLUSTER type word + a capitalised name
_TYPE_RE = re.compile(rf"(?<!\w)(?:{_TYPE_WORDS})[ ](\w)")
_PLURAL_BEFORE = re.compile(r"(?i)(?<!\w)(?:các|những|nhiều)\s$")
_ROMAN = re.compile(r"^(?:[IVX]+|\d+)$")
_ADMIN_PREFIX = re.compile(rf"^(?:{_ADMIN_WORDS}|TP\.?)\s?")
_TYPE_PREFIX = re.compile(rf"^(?:{_TYPE_WORDS})\s")

# Words that, shortly before a name in the same clause, make it part of the name of a
# facility: economic zone, hi-tech park, urban or housing area, port, airport, road,
# ring road, expressway, bridge, station, border gate, currency. The spec gives such a
# place no LOCATION of its own.
FACILITY_WORDS = (
    "khu kinh tế", "kkt", "khu công nghệ cao", "khu cnc", "khu đô thị", "khu du lịch",
    "khu tái định cư", "khu nhà ở", "cảng", "sân bay", "cảng hàng không", "cao tốc",
    "quốc lộ", "đường", "vành đai", "cầu", "hầm", "chợ", "cửa khẩu", "trạm biến áp", "đô la", "ga",
)
_NOT_FACILITY = r"(?<!yêu )(?<!nhu )"  # "yêu cầu" (to ask), "nhu cầu" (demand) are no bridges
_FACILITY_BEFORE = re.compile(
    r"(?i)(?<!\w)" + _NOT_FACILITY + r"(?:" + "|".join(map(re.escape, FACILITY_WORDS)) + r")"
    r"(?:[ ]+[^\s,.;:()\"]+(?:\.[^\s,.;:()\"]+)*){0,8}[ ]+$"
)
_FACILITY_RIGHT_BEFORE = re.compile(
    r"(?i)(?<!\w)" + _NOT_FACILITY + r"(?:" + "|".join(map(re.escape, FACILITY_WORDS)) + r")(?:[ ](?:quốc tế|mở|cửa khẩu))?[ ]$"
)

# --- allow-lists (exact phrases; a hit inside an occurrence is exempt) ----------------
# A type word followed by a capitalised word that is NOT the start of a park name.
CLUSTER_ALLOW: tuple[str, ...] = (
    # "đất KCN <province>": land in the parks of a province, a generic mention; the
    # province after it is a LOCATION.
    "đất KCN TP.HCM",
    "đất KCN Đồng Nai",
)
# An administrative word followed by a capitalised word that is NOT a LOCATION.
LOCATION_ALLOW: tuple[str, ...] = ()
# A LOCATION right after a facility word that is nevertheless a place, because it
# qualifies an organisation rather than being part of the facility's name.
FACILITY_BEFORE_ALLOW: tuple[str, ...] = (
    # "Ban Quản lý Khu kinh tế tỉnh Bình Phước": the board of the province, not a zone name
    "Ban Quản lý Khu kinh tế ",
    # "Tổng công ty Đầu tư phát triển đường cao tốc Việt Nam": the country qualifies a company
    "phát triển đường cao tốc ",
)

# Well-known places: every occurrence is labelled (or lies inside a CLUSTER span, a
# facility name, or one of UNLABELLED_PHRASES).
KNOWN_PLACES = (
    "Việt Nam", "Nhật Bản", "Hàn Quốc", "Trung Quốc", "Đài Loan", "Singapore",
    "Hồng Kông", "Thái Lan", "Malaysia", "Đan Mạch", "Hà Lan", "châu Âu", "châu Á",
    "Đông Nam Á", "Hoa Kỳ", "TP.HCM", "TPHCM", "TP HCM", "TP. Hồ Chí Minh", "BR-VT", "Bà Rịa - Vũng Tàu",
    "ĐBSCL", "Đồng bằng sông Cửu Long", "Đồng bằng sông Hồng", "Tây Nguyên", "miền Trung",
    "miền Bắc", "miền Nam", "Đông Nam Bộ", "Hà Nội", "Bắc Ninh", "Bắc Giang", "Hải Phòng",
    "Hưng Yên", "Hải Dương", "Thái Bình", "Nam Định", "Hà Nam", "Ninh Bình", "Vĩnh Phúc",
    "Phú Thọ", "Thái Nguyên", "Quảng Ninh", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Trị",
    "Quảng Bình", "Thừa Thiên Huế", "Đà Nẵng", "Quảng Nam", "Quảng Ngãi", "Bình Định",
    "Khánh Hòa", "Ninh Thuận", "Bình Thuận", "Lâm Đồng", "Đắk Nông", "Đắk Lắk", "Gia Lai",
    "Bình Dương", "Đồng Nai", "Bình Phước", "Tây Ninh", "Long An", "Tiền Giang", "Bến Tre",
    "Vĩnh Long", "Trà Vinh", "Đồng Tháp", "An Giang", "Kiên Giang", "Cần Thơ", "Hậu Giang",
    "Sóc Trăng", "Bạc Liêu", "Cà Mau",
)
# Short names that are also syllables of other names ("Phú Mỹ", "Mỹ Tho"): checked only
# where they stand alone, not next to another capitalised word.
KNOWN_PLACES_STANDALONE = ("Mỹ", "Lào")
# Phrases in which a known place name, or a name labelled elsewhere in the document,
# is not an entity of its own.
UNLABELLED_PHRASES: tuple[str, ...] = ()


# --- helpers ------------------------------------------------------------------------
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


def _next_to_capitalised(text: str, start: int, end: int) -> bool:
    """Whether the word before or after text[start:end] (same line) is capitalised."""
    before = re.search(r"(\w+) $", text[max(0, start - 30):start])
    after = re.match(r" (\w+)", text[end:end + 30])
    return any(w is not None and w.group(1)[0].isupper() for w in (before, after))


def _where(doc: Document, start: int, end: int, width: int = 40) -> str:
    return f"{doc.id}: ...{doc.text[max(0, start - width):end + width]!r}..."


# --- per-document checks (each returns a list of problems) ----------------------------
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
            first = t.split()[0]  # case-sensitive: "Ba Vì" is a district
            if first.lower() in {"các", "những", "dự", "phía", "toàn", "khoảng", "vùng"} or first in {
                "hai", "ba", "bốn", "năm", "sáu", "bảy"
            }:
                bad.append(f"{doc.id}: {s.label} starts with a count/qualifier word: {t!r}")
            if "\n" in t:
                bad.append(f"{doc.id}: {s.label} spans a line break: {t!r}")
    return bad


def percent_problems(doc: Document) -> list[str]:
    """Every '%' and every '<digit> phần trăm' lies inside a PERCENT span."""
    bad = [_where(doc, i, i + 1) for i, c in enumerate(doc.text)
           if c == "%" and not _covering(doc, i, i + 1, "PERCENT")]
    bad += [_where(doc, m.start(), m.end()) for m in _PHAN_TRAM_RE.finditer(doc.text)
            if not _covering(doc, m.start(), m.end(), "PERCENT")]
    return bad


def area_problems(doc: Document) -> list[str]:
    """Every number (or range) directly followed by an area unit lies inside one AREA span."""
    return [_where(doc, m.start(), m.end()) for m in _AREA_RE.finditer(doc.text)
            if not _covering(doc, m.start(), m.end(), "AREA")]


def admin_place_problems(doc: Document) -> list[str]:
    """`tỉnh X`, `huyện X`, `thành phố X`, `TP X`, `quận 7`, ...: the administrative word
    sits inside a LOCATION (or the whole is inside a CLUSTER name). After a plural word
    (`các tỉnh Tây Nguyên`) only the name needs to be a LOCATION. Inside facility names
    nothing may be labelled."""
    bad = []
    for m in _ADMIN_RE.finditer(doc.text):
        name_start = m.start(1)
        if not (m.group(1).isupper() or m.group(1).isdigit()):
            continue
        if _covering(doc, m.start(), name_start + 1, "CLUSTER"):
            continue
        if _covering(doc, m.start(), name_start + 1, "LOCATION"):
            continue
        if _PLURAL_BEFORE.search(doc.text[:m.start()]) and _covering(doc, name_start, name_start + 1, "LOCATION"):
            continue
        if _in_facility(doc, m.start()) and not _touching(doc, m.start(), name_start + 1):
            continue
        if _in_phrase(doc.text, m.start(), name_start + 1, LOCATION_ALLOW):
            continue
        bad.append(_where(doc, m.start(), name_start + 1))
    return bad


def named_park_problems(doc: Document) -> list[str]:
    """A type word followed by a capitalised name starts a CLUSTER span, except after a
    plural word where the name is a province (`Ban Quản lý các KCN Đồng Nai`)."""
    bad = []
    for m in _TYPE_RE.finditer(doc.text):
        if not m.group(1).isupper():
            continue
        span = _covering(doc, m.start(), m.start(1) + 1, "CLUSTER")
        if span is not None and span.start == m.start():
            continue
        if _PLURAL_BEFORE.search(doc.text[:m.start()]) and _covering(doc, m.start(1), m.start(1) + 1, "LOCATION"):
            continue
        if _in_phrase(doc.text, m.start(), m.start(1) + 1, CLUSTER_ALLOW):
            continue
        bad.append(_where(doc, m.start(), m.start(1) + 1))
    return bad


def _names_to_check(doc: Document) -> set[str]:
    """Labelled LOCATION/CLUSTER texts and their bare names (admin or type word removed)."""
    names = set()
    for s in doc.spans:
        if s.label not in ("LOCATION", "CLUSTER"):
            continue
        names.add(s.text)
        names.add((_ADMIN_PREFIX if s.label == "LOCATION" else _TYPE_PREFIX).sub("", s.text))
    return {n for n in names if len(n) >= 4 and not _ROMAN.match(n)}


def repeat_problems(doc: Document) -> list[str]:
    """A name labelled LOCATION or CLUSTER in a document is labelled at every occurrence,
    unless it is part of a facility name or of an exempted phrase."""
    bad = []
    for name in sorted(_names_to_check(doc)):
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", doc.text):
            if _touching(doc, m.start(), m.end()):
                continue
            if _in_facility(doc, m.start()) or _in_phrase(doc.text, m.start(), m.end(), UNLABELLED_PHRASES):
                continue
            bad.append(_where(doc, m.start(), m.end()))
    return bad


def known_place_problems(doc: Document) -> list[str]:
    """Every occurrence of a well-known place is covered by a span."""
    bad = []
    for name in KNOWN_PLACES + KNOWN_PLACES_STANDALONE:
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", doc.text):
            if name in KNOWN_PLACES_STANDALONE and _next_to_capitalised(doc.text, m.start(), m.end()):
                continue
            if _covering(doc, m.start(), m.end()):
                continue
            if _in_facility(doc, m.start()) or _in_phrase(doc.text, m.start(), m.end(), UNLABELLED_PHRASES):
                continue
            bad.append(_where(doc, m.start(), m.end()))
    return bad


def facility_label_problems(doc: Document) -> list[str]:
    """`Khu kinh tế Vân Phong`, `cảng Cái Mép`, `sân bay Long Thành`, `đô la Mỹ`: no
    LOCATION starts right after such a word."""
    bad = []
    for s in doc.spans:
        if s.label != "LOCATION":
            continue
        before = doc.text[max(0, s.start - 40):s.start]
        if before.endswith(FACILITY_BEFORE_ALLOW):
            continue
        if _FACILITY_RIGHT_BEFORE.search(before):
            bad.append(_where(doc, s.start, s.end))
    return bad


CHECKS: dict[str, Callable[[Document], list[str]]] = {
    "span_shape": span_shape_problems,
    "percent": percent_problems,
    "area": area_problems,
    "admin_place": admin_place_problems,
    "named_park": named_park_problems,
    "repeat": repeat_problems,
    "known_place": known_place_problems,
    "facility_label": facility_label_problems,
}


# --- the data -------------------------------------------------------------------------
def test_files_present() -> None:
    if not FILES:
        pytest.fail(f"no wd_*.txt files under {WRITTEN}")
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
    """Every allow-list entry still matches some text (no stale exemptions)."""
    texts = [doc.text for doc in _all_docs()]
    entries = CLUSTER_ALLOW + LOCATION_ALLOW + FACILITY_BEFORE_ALLOW + UNLABELLED_PHRASES
    assert [p for p in entries if not any(p in t for t in texts)] == []


def test_label_mix() -> None:
    """Every label occurs; LOCATION is the most frequent and about 55-75% of spans."""
    counts = Counter(s.label for doc in _all_docs() for s in doc.spans)
    assert set(counts) == set(LABELS), counts
    assert counts["LOCATION"] == max(counts.values()), counts
    share = counts["LOCATION"] / sum(counts.values())
    assert 0.55 <= share <= 0.75, (share, counts)


# --- the heuristics themselves catch slips --------------------------------------------
SLIPS = [
    # (check, wrong markup, corrected markup)
    ("span_shape", "Rộng {{AREA|khoảng 50 ha}}.", "Rộng khoảng {{AREA|50 ha}}."),
    ("span_shape", "Tại {{CLUSTER|các KCN Quế Võ}}.", "Tại các {{CLUSTER|KCN Quế Võ}}."),
    ("span_shape", "Tỷ lệ {{PERCENT|1/500}}.", "Tỷ lệ 1/500."),
    ("span_shape", "Tại {{LOCATION|vùng Tây Nguyên}}.", "Tại vùng {{LOCATION|Tây Nguyên}}."),
    ("percent", "Lấp đầy 85% diện tích.", "Lấp đầy {{PERCENT|85%}} diện tích."),
    ("percent", "Đạt 5 phần trăm.", "Đạt {{PERCENT|5 phần trăm}}."),
    ("percent", "Tăng {{PERCENT|12}} -14%/năm.", "Tăng {{PERCENT|12 -14%}}/năm."),
    ("area", "Diện tích 1,5 triệu m2 nhà xưởng.", "Diện tích {{AREA|1,5 triệu m2}} nhà xưởng."),
    ("area", "Rộng {{AREA|15}} - {{AREA|20 ha}}.", "Rộng {{AREA|15 - 20 ha}}."),
    ("admin_place", "UBND tỉnh {{LOCATION|Long An}} họp.", "UBND {{LOCATION|tỉnh Long An}} họp."),
    ("admin_place", "Hai xã Lệ Chi và {{LOCATION|Kim Sơn}}.", "Hai {{LOCATION|xã Lệ Chi}} và {{LOCATION|Kim Sơn}}."),
    ("admin_place", "Tại quận 9.", "Tại {{LOCATION|quận 9}}."),
    ("named_park", "Tại KCN Tân Tạo.", "Tại {{CLUSTER|KCN Tân Tạo}}."),
    ("named_park", "Cụm CN {{CLUSTER|Việt Nhật}}.", "{{CLUSTER|Cụm CN Việt Nhật}}."),
    ("named_park", "Ban Quản lý các KCN Đồng Nai.", "Ban Quản lý các KCN {{LOCATION|Đồng Nai}}."),
    ("repeat", "{{LOCATION|huyện Đức Hòa}} có 10 KCN. Đức Hòa dẫn đầu.",
     "{{LOCATION|huyện Đức Hòa}} có 10 KCN. {{LOCATION|Đức Hòa}} dẫn đầu."),
    ("known_place", "Vốn từ Hàn Quốc.", "Vốn từ {{LOCATION|Hàn Quốc}}."),
    ("known_place", "Thuế đối ứng của Mỹ.", "Thuế đối ứng của {{LOCATION|Mỹ}}."),
    ("known_place", "Hàng sang Lào và {{LOCATION|Campuchia}}.", "Hàng sang {{LOCATION|Lào}} và {{LOCATION|Campuchia}}."),
    ("facility_label", "Khu kinh tế {{LOCATION|Vân Phong}}.", "Khu kinh tế Vân Phong."),
    ("facility_label", "Cao tốc {{LOCATION|Bến Lức}} - Long Thành qua {{LOCATION|Long An}}.",
     "Cao tốc Bến Lức - Long Thành qua {{LOCATION|Long An}}."),
]


@pytest.mark.parametrize("check, wrong, right", SLIPS, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(SLIPS)])
def test_heuristic_catches_slip(check: str, wrong: str, right: str) -> None:
    assert CHECKS[check](parse_markup(wrong, "slip")), f"{check} missed: {wrong!r}"
    assert CHECKS[check](parse_markup(right, "fixed")) == [], f"{check} flags: {right!r}"


def test_repeat_check_skips_facility_names() -> None:
    doc = parse_markup("{{LOCATION|Long Thành}} và sân bay Long Thành, cao tốc Biên Hòa - Vũng Tàu "
                       "qua {{LOCATION|Biên Hòa}}.", "facility")
    assert repeat_problems(doc) == []
    assert known_place_problems(doc) == []


def test_standalone_names_skip_longer_names() -> None:
    """`Mỹ`/`Lào` inside `Phú Mỹ`, `Lào Cai` need no span of their own; `yêu cầu` is no bridge."""
    doc = parse_markup("{{LOCATION|thị xã Phú Mỹ}} và {{LOCATION|Lào Cai}}; UBND yêu cầu "
                       "{{LOCATION|huyện Tam Bình}} báo cáo.", "standalone")
    assert known_place_problems(doc) == []
    assert facility_label_problems(doc) == []

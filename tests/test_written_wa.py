"""Quality gate for writer A's hand-written training articles (training/data/written/wa_*.txt).

Besides parsing and span validity, consistency heuristics catch the usual
annotation slips: a missed percentage or area, a place with an administrative
word left unlabelled, a named park without its CLUSTER span, an unlabelled repeat,
or a label placed on a name that the spec treats as part of a facility. Each
heuristic is itself tested on a small wrong/right markup pair, so none of them
passes vacuously.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Callable

import pytest

from annotations.bio import document_to_bio
from annotations.document import Document, Span
from annotations.validate import check_spans
from training.markup import parse_markup, read_markup_file, to_markup

WRITTEN = Path(__file__).resolve().parents[1] / "training" / "data" / "written"
FILES = sorted(WRITTEN.glob("wa_*.txt"))

MIN_DOCS = 30
MIN_WORDS, MAX_WORDS = 200, 500
LABELS = ("CLUSTER", "LOCATION", "AREA", "PERCENT")

# --- allow-lists --------------------------------------------------------------
# A type word ("KCN", "Khu công nghiệp", ...) followed by a capitalised word that is
# NOT a named park. Exact phrases; a hit inside an occurrence is exempt.
CLUSTER_ALLOW = (
    # "Ban Quản lý các KCN <province>", "các KCN <province>": the parks of a
    # province; "các KCN" is a generic mention and the province is a LOCATION.
    "các KCN Hà Tây",
    "các KCN Bắc Ninh",
    "các KCN Thái Nguyên",
    "các KCN Bắc Giang",
    "các KCN Hải Dương",
    "các KCN Vĩnh Phúc",
    "các KCN Nghệ An",
    # tag line naming a topic, not a park
    "chủ đề: Cụm công nghiệp",
)

# An administrative word followed by a capitalised word that is NOT a LOCATION
# (none needed so far; add exact phrases with a reason).
LOCATION_ALLOW: tuple[str, ...] = ()

# "Ban Quản lý các KCN và KKT <province>": the province qualifies the board, not a
# zone, so a LOCATION right after "KKT " is correct here.
FACILITY_BEFORE_ALLOW = ("các KCN và KKT ",)

# Words that, shortly before a name, make it part of a facility name (economic
# zone, hi-tech park, urban or resettlement area, port, airport, road, dam, border
# gate, currency): the spec gives such a place no LOCATION of its own.
FACILITY_WORDS = (
    "khu kinh tế", "kkt", "khu công nghệ cao", "khu cnc", "khu đô thị", "khu du lịch",
    "khu tái định cư", "cảng", "sân bay", "cao tốc", "quốc lộ", "đường sắt", "đường",
    "cầu", "ga", "đô la", "thủy điện", "cửa khẩu", "hồ",
)
_FACILITY_BEFORE = re.compile(
    r"(?i)(?<!\w)(?:" + "|".join(FACILITY_WORDS) + r")(?:[ \t]+[^\s,.;:()\"]+){0,5}[ \t]+$"
)
_FACILITY_RIGHT_BEFORE = re.compile(
    r"(?i)(?<!\w)(?:khu kinh tế|kkt|khu công nghệ cao|khu đô thị|cảng|sân bay|cao tốc|"
    r"quốc lộ|thủy điện|cửa khẩu)[ ]$"
)

AREA_UNITS = ("ha", "m2", "m²", "km2", "km²", "héc-ta", "hécta", "hecta", "mẫu", "sào")
_AREA_RE = re.compile(
    r"\d(?:\s*(?:triệu|nghìn|ngàn|vạn))?\s*(?:" + "|".join(map(re.escape, AREA_UNITS)) + r")(?!\w)"
)
_PHAN_TRAM_RE = re.compile(r"\d\s*phần trăm")
_ADMIN_RE = re.compile(r"(?i)(?<!\w)(tỉnh|huyện|xã|thành phố|thị xã|thị trấn|quận|phường)[ ]+(\w+)")
_CLUSTER_RE = re.compile(
    r"(?i)(?<!\w)(KCN|KCX|CCN|khu công nghiệp|cụm công nghiệp|khu chế xuất|cụm CN|khu CN)[ ](\w+)"
)
_ROMAN = re.compile(r"^[IVX]+$")
_DOC_ID = re.compile(r"^wa_\d{2}_[a-z0-9-]+$")
_OUTSIDE_WORDS = {"các", "những", "hai", "ba", "bốn", "năm", "dự", "phía", "khoảng", "gần", "hơn", "trên"}


# --- helpers ------------------------------------------------------------------
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


def _allowed(text: str, start: int, end: int, phrases: tuple[str, ...]) -> bool:
    for phrase in phrases:
        for m in re.finditer(re.escape(phrase), text):
            if m.start() <= start and end <= m.end():
                return True
    return False


def _where(doc: Document, start: int, end: int, width: int = 40) -> str:
    return f"{doc.id}: ...{doc.text[max(0, start - width):end + width]!r}..."


# --- per-document checks (each returns a list of problems) --------------------
def span_shape_problems(doc: Document) -> list[str]:
    """Spans start and end on the entity's own characters and look like their label."""
    bad = []
    for s in doc.spans:
        t = s.text
        if not (t[0].isalnum() and (t[-1].isalnum() or t[-1] == "%")):
            bad.append(f"{doc.id}: edge character in {s.label} {t!r}")
        if s.label in ("AREA", "PERCENT") and not t[0].isdigit():
            bad.append(f"{doc.id}: {s.label} does not start with its number {t!r}")
        if s.label == "AREA" and not (_AREA_RE.search(t) and t.endswith(AREA_UNITS)):
            bad.append(f"{doc.id}: AREA is not number + unit {t!r}")
        if s.label == "PERCENT" and not (t.endswith("%") or t.endswith("phần trăm")):
            bad.append(f"{doc.id}: PERCENT does not end with a sign {t!r}")
        if s.label in ("CLUSTER", "LOCATION"):
            first = t.split()[0]  # case-sensitive: "Ba Vì" is a district
            if first in _OUTSIDE_WORDS or first.isdigit():
                bad.append(f"{doc.id}: {s.label} starts with a word that stays outside {t!r}")
    return bad


def percent_problems(doc: Document) -> list[str]:
    """Every '%' and every '<digit> phần trăm' lies inside a PERCENT span."""
    bad = [_where(doc, i, i + 1) for i, c in enumerate(doc.text)
           if c == "%" and not _covering(doc, i, i + 1, "PERCENT")]
    bad += [_where(doc, m.start(), m.end()) for m in _PHAN_TRAM_RE.finditer(doc.text)
            if not _covering(doc, m.start(), m.end(), "PERCENT")]
    return bad


def area_problems(doc: Document) -> list[str]:
    """Every number directly followed by an area unit lies inside one AREA span."""
    return [_where(doc, m.start(), m.end()) for m in _AREA_RE.finditer(doc.text)
            if not _covering(doc, m.start(), m.end(), "AREA")]


def admin_place_problems(doc: Document) -> list[str]:
    """'tỉnh/huyện/xã/thành phố/... X' with capitalised X, outside a CLUSTER span,
    lies inside one LOCATION span that includes the administrative word."""
    bad = []
    for m in _ADMIN_RE.finditer(doc.text):
        name = m.group(2)
        if not (name[0].isupper() or name[0].isdigit()):
            continue
        if _covering(doc, m.start(), m.end(), "CLUSTER"):
            continue
        if _allowed(doc.text, m.start(), m.end(), LOCATION_ALLOW):
            continue
        if not _covering(doc, m.start(), m.end(), "LOCATION"):
            bad.append(_where(doc, m.start(), m.end()))
    return bad


def named_park_problems(doc: Document) -> list[str]:
    """'KCN/CCN/Khu công nghiệp/Cụm công nghiệp/... X' with capitalised X lies inside a
    CLUSTER span (type word included), unless allow-listed."""
    bad = []
    for m in _CLUSTER_RE.finditer(doc.text):
        if not m.group(2)[0].isupper():
            continue
        if _allowed(doc.text, m.start(), m.end(), CLUSTER_ALLOW):
            continue
        if not _covering(doc, m.start(), m.end(), "CLUSTER"):
            bad.append(_where(doc, m.start(), m.end()))
    return bad


def repeat_problems(doc: Document) -> list[str]:
    """A name labelled LOCATION or CLUSTER in a document is labelled (or covered by a
    longer span) at every occurrence, unless it sits inside a facility name."""
    bad = []
    names = {s.text for s in doc.spans if s.label in ("LOCATION", "CLUSTER")
             and len(s.text) >= 4 and not _ROMAN.match(s.text)}
    for name in sorted(names):
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", doc.text):
            if _covering(doc, m.start(), m.end()):
                continue
            line_start = doc.text.rfind("\n", 0, m.start()) + 1
            if _FACILITY_BEFORE.search(doc.text[line_start:m.start()]):
                continue
            bad.append(_where(doc, m.start(), m.end()))
    return bad


def facility_label_problems(doc: Document) -> list[str]:
    """No span starts right after a facility type word (`Khu kinh tế Nghi Sơn`,
    `cảng Hải Phòng`, `sân bay Nội Bài` carry no LOCATION)."""
    bad = []
    for s in doc.spans:
        before = doc.text[max(0, s.start - 20):s.start]
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
    "facility_label": facility_label_problems,
}


# --- the data -----------------------------------------------------------------
def test_files_present() -> None:
    if not FILES:
        pytest.fail(f"no wa_*.txt files under {WRITTEN}")
    assert len(_all_docs()) >= MIN_DOCS


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_file_parses_and_round_trips(path: Path) -> None:
    docs = _load(path)
    assert docs, f"{path.name} holds no '### <doc_id>' documents"
    for doc in docs:
        again = parse_markup(to_markup(doc), doc.id)
        assert again.text == doc.text
        assert [s.key for s in again.spans] == [s.key for s in doc.sorted_spans()]


def test_doc_ids_unique_and_well_formed() -> None:
    ids = [doc.id for doc in _all_docs()]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
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
        bad += [f"{doc.id}: misaligned {s.text!r}" for s in document_to_bio(doc).misaligned]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_consistency_heuristic_holds(name: str) -> None:
    bad = [p for doc in _all_docs() for p in CHECKS[name](doc)]
    assert not bad, "\n".join(bad)


def test_allow_lists_are_used() -> None:
    """Every allow-list entry still matches some text (no stale exemptions)."""
    texts = [doc.text for doc in _all_docs()]
    entries = CLUSTER_ALLOW + LOCATION_ALLOW + FACILITY_BEFORE_ALLOW
    assert [p for p in entries if not any(p in t for t in texts)] == []


def test_label_mix() -> None:
    """Every label is present; LOCATION is the most frequent, as in real news."""
    counts = dict.fromkeys(LABELS, 0)
    for doc in _all_docs():
        for s in doc.spans:
            counts[s.label] += 1
    assert min(counts.values()) > 0, counts
    assert counts["LOCATION"] == max(counts.values()), counts


# --- the heuristics themselves catch slips ------------------------------------
SLIPS = [
    # (check, wrong markup, corrected markup)
    ("span_shape", "Rộng {{AREA|khoảng 50 ha}}.", "Rộng khoảng {{AREA|50 ha}}."),
    ("span_shape", "Tại {{CLUSTER|các KCN Quế Võ}}.", "Tại các {{CLUSTER|KCN Quế Võ}}."),
    ("span_shape", "Tỷ lệ {{PERCENT|1/500}}.", "Tỷ lệ 1/500."),
    ("percent", "Lấp đầy 85% diện tích.", "Lấp đầy {{PERCENT|85%}} diện tích."),
    ("percent", "Đạt 5 phần trăm.", "Đạt {{PERCENT|5 phần trăm}}."),
    ("area", "Diện tích 1,5 triệu m2 nhà xưởng.", "Diện tích {{AREA|1,5 triệu m2}} nhà xưởng."),
    ("area", "Rộng 186,4ha.", "Rộng {{AREA|186,4ha}}."),
    ("admin_place", "UBND tỉnh {{LOCATION|Long An}} họp.", "UBND {{LOCATION|tỉnh Long An}} họp."),
    ("admin_place", "Hai xã Lệ Chi và {{LOCATION|Kim Sơn}}.", "Hai {{LOCATION|xã Lệ Chi}} và {{LOCATION|Kim Sơn}}."),
    ("named_park", "Tại KCN Tân Tạo.", "Tại {{CLUSTER|KCN Tân Tạo}}."),
    ("named_park", "Khu công nghiệp {{LOCATION|Hòa Phú}}.", "{{CLUSTER|Khu công nghiệp Hòa Phú}}."),
    ("repeat", "{{LOCATION|Bắc Ninh}} có 16 KCN. Bắc Ninh dẫn đầu.",
     "{{LOCATION|Bắc Ninh}} có 16 KCN. {{LOCATION|Bắc Ninh}} dẫn đầu."),
    ("facility_label", "Cảng {{LOCATION|Hải Phòng}} và {{LOCATION|Hải Phòng}}.",
     "Cảng Hải Phòng và {{LOCATION|Hải Phòng}}."),
]


@pytest.mark.parametrize("check, wrong, right", SLIPS, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(SLIPS)])
def test_heuristic_catches_slip(check: str, wrong: str, right: str) -> None:
    assert CHECKS[check](parse_markup(wrong, "slip")), f"{check} missed: {wrong!r}"
    assert CHECKS[check](parse_markup(right, "fixed")) == [], f"{check} flags: {right!r}"


def test_repeat_check_skips_facility_names() -> None:
    doc = parse_markup("{{LOCATION|Nghi Sơn}} và Khu kinh tế Nghi Sơn, cao tốc Hà Nội - Lào Cai "
                       "qua {{LOCATION|Lào Cai}}.", "facility")
    assert repeat_problems(doc) == []

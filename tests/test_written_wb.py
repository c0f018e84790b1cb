"""Quality gate for writer B's hand-written training articles
(training/data/written/wb_*.txt: central, Highlands and southern provinces).

Besides parsing and span validity, the heuristics below catch the usual annotation
slips: a percentage or area left unlabelled, a place whose administrative word is
outside its span, a named park without its CLUSTER span, an unlabelled repeat of a
name, a well-known place left unlabelled, and a LOCATION put on a name that the
spec treats as part of a facility (economic zone, port, airport, road, ...).
Every exemption is listed below with the reason.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from annotations.bio import document_to_bio
from annotations.document import Document, Span
from annotations.labels import LABELS
from annotations.validate import check_spans
from training.markup import parse_markup, read_markup_file, to_markup

WRITTEN = Path(__file__).resolve().parents[1] / "training" / "data" / "written"
FILES = sorted(WRITTEN.glob("wb_*.txt"))

MIN_DOCS = 30
MIN_WORDS, MAX_WORDS = 200, 500
_DOC_ID = re.compile(r"^wb_\d{2}_[a-z0-9-]+$")

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

# administrative word + a capitalised name or a number ("quận 7", "ấp 3")
_ADMIN_RE = re.compile(
    r"(?<!\w)(?:(?:[Tt]hành phố|[Tt]hị xã|[Tt]hị trấn|[Tt]ỉnh|[Hh]uyện|[Xx]ã|[Qq]uận|[Pp]hường|"
    r"[Tt]hôn|[Ấấ]p)[ ]|TP(?:\.[ ]?|[ ]))(?=[^\W_])(\w)"
)
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

# Words that, shortly before a name in the same clause, make it part of the name of
# a facility: economic zone, hi-tech park, urban/resettlement/housing area, port,
# airport, road, bridge, tunnel, market, border gate, currency. The spec gives such
# a place no LOCATION of its own.
FACILITY_WORDS = (
    "khu kinh tế", "kkt", "khu công nghệ cao", "khu đô thị", "khu du lịch", "khu tái định cư",
    "khu nhà ở", "cảng", "sân bay", "cảng hàng không", "cao tốc", "quốc lộ", "đường", "cầu",
    "hầm", "chợ nổi", "chợ", "cửa khẩu", "đô la", "yên", "ga",
)
_FACILITY_BEFORE = re.compile(
    r"(?i)(?<!\w)(?:" + "|".join(map(re.escape, FACILITY_WORDS)) + r")"
    r"(?:[ ]+[^\s,.;:()\"]+(?:\.[^\s,.;:()\"]+)*){0,6}[ ]+$"
)
_FACILITY_RIGHT_BEFORE = re.compile(
    r"(?i)(?<!\w)(?:" + "|".join(map(re.escape, FACILITY_WORDS)) + r")(?:[ ](?:quốc tế|mở|cửa khẩu))?[ ]$"
)

# --- exemptions -------------------------------------------------------------------
# A LOCATION span right after a facility word that is nevertheless a place, because it
# qualifies an organisation rather than being part of the facility's name.
FACILITY_BEFORE_ALLOW = (
    # "Ban Quản lý Khu kinh tế tỉnh Bình Định": the board of the province, not a zone name
    "Ban Quản lý Khu kinh tế tỉnh",
)

# Well-known places: every occurrence must be labelled (or lie inside a CLUSTER span,
# or inside a facility name, or in one of the phrases of UNLABELLED_PHRASES).
KNOWN_PLACES = (
    "Việt Nam", "Nhật Bản", "Hàn Quốc", "Trung Quốc", "Đài Loan", "Singapore", "Hoa Kỳ",
    "Hồng Kông", "Hong Kong", "Thái Lan", "Malaysia", "Campuchia", "Đan Mạch", "Hà Lan",
    "châu Âu", "Đông Nam Á", "TP.HCM", "TPHCM", "TP HCM", "TP. Hồ Chí Minh", "BR-VT",
    "Bà Rịa - Vũng Tàu", "ĐBSCL", "Đồng bằng sông Cửu Long", "Tây Nguyên", "miền Trung",
    "miền Tây", "Đông Nam Bộ", "Nam Trung Bộ", "Đà Nẵng", "Quảng Nam", "Quảng Ngãi",
    "Bình Định", "Khánh Hòa", "Khánh Hoà", "Đắk Lắk", "Lâm Đồng", "Gia Lai", "Kon Tum",
    "Bình Dương", "Đồng Nai", "Long An", "Tây Ninh", "Cần Thơ", "Tiền Giang", "An Giang",
    "Kiên Giang", "Cà Mau", "Hậu Giang", "Trà Vinh", "Sóc Trăng", "Bạc Liêu", "Vĩnh Long",
    "Bến Tre", "Đồng Tháp", "Hà Nội", "Buôn Ma Thuột", "Biên Hòa", "Thủ Dầu Một",
)
# Phrases in which a known place name or a name labelled elsewhere in the document is
# not an entity of its own.
UNLABELLED_PHRASES = (
    "Phan Thái Bình",  # a person
    "đường Hồ Chí Minh",  # a road (facility word, listed for clarity)
    "Tập đoàn Amata",  # the developer company, not the park "KCN Amata"
)


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


def _context(doc: Document, start: int, end: int, width: int = 40) -> str:
    return f"{doc.id}: ...{doc.text[max(0, start - width):end + width]!r}..."


def _label_counts(docs: list[Document]) -> Counter:
    return Counter(s.label for doc in docs for s in doc.spans)


# --- tests ----------------------------------------------------------------------------
def test_files_present() -> None:
    if not FILES:
        pytest.fail(f"no wb_*.txt files under {WRITTEN}")
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


def test_span_shapes() -> None:
    """Spans begin and end on the entity's own characters and look like their label."""
    bad = []
    for doc in _all_docs():
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
                if first.lower() in {"các", "những", "dự", "phía", "toàn", "khoảng"} or first in {"hai", "ba", "bốn", "năm"}:
                    bad.append(f"{doc.id}: {s.label} starts with a count/qualifier word: {t!r}")
                if "\n" in t:
                    bad.append(f"{doc.id}: {s.label} spans a line break: {t!r}")
    assert not bad, "\n".join(bad)


def test_percentages_are_labelled() -> None:
    bad = []
    for doc in _all_docs():
        for i, c in enumerate(doc.text):
            if c == "%" and not _covering(doc, i, i + 1, "PERCENT"):
                bad.append(_context(doc, i, i + 1))
        for m in _PHAN_TRAM_RE.finditer(doc.text):
            if not _covering(doc, m.start(), m.end(), "PERCENT"):
                bad.append(_context(doc, m.start(), m.end()))
    assert not bad, "\n".join(bad)


def test_areas_are_labelled() -> None:
    bad = []
    for doc in _all_docs():
        for m in _AREA_RE.finditer(doc.text):
            if not _covering(doc, m.start(), m.end(), "AREA"):
                bad.append(_context(doc, m.start(), m.end()))
    assert not bad, "\n".join(bad)


def test_administrative_places_are_labelled() -> None:
    """`tỉnh X`, `huyện X`, `TP X`, `quận 7`, ...: the administrative word sits inside a
    LOCATION (or the whole is inside a CLUSTER name). After a plural word (`các tỉnh Tây
    Nguyên`) only the name needs to be a LOCATION. Inside facility names nothing is required."""
    bad = []
    for doc in _all_docs():
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
            bad.append(_context(doc, m.start(), name_start + 1))
    assert not bad, "\n".join(bad)


def test_named_parks_are_labelled() -> None:
    """A type word followed by a capitalised name starts a CLUSTER span, except after a
    plural word where the name is a province (`Ban Quản lý các KCN Đồng Nai`)."""
    bad = []
    for doc in _all_docs():
        for m in _TYPE_RE.finditer(doc.text):
            if not m.group(1).isupper():
                continue
            span = _covering(doc, m.start(), m.start(1) + 1, "CLUSTER")
            if span is not None and span.start == m.start():
                continue
            if _PLURAL_BEFORE.search(doc.text[:m.start()]) and _covering(doc, m.start(1), m.start(1) + 1, "LOCATION"):
                continue
            bad.append(_context(doc, m.start(), m.start(1) + 1))
    assert not bad, "\n".join(bad)


def _names_to_check(doc: Document) -> set[str]:
    """Labelled LOCATION/CLUSTER texts and their bare names (admin or type word removed)."""
    names = set()
    for s in doc.spans:
        if s.label not in ("LOCATION", "CLUSTER"):
            continue
        names.add(s.text)
        bare = (_ADMIN_PREFIX if s.label == "LOCATION" else _TYPE_PREFIX).sub("", s.text)
        names.add(bare)
    return {n for n in names if len(n) >= 4 and not _ROMAN.match(n)}


def test_repeats_are_labelled() -> None:
    """A name labelled LOCATION or CLUSTER in a document is labelled at every occurrence,
    unless it is part of a facility name or of an exempted phrase."""
    bad = []
    for doc in _all_docs():
        for name in sorted(_names_to_check(doc)):
            for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", doc.text):
                if _touching(doc, m.start(), m.end()):
                    continue
                if _in_facility(doc, m.start()) or _in_phrase(doc.text, m.start(), m.end(), UNLABELLED_PHRASES):
                    continue
                bad.append(_context(doc, m.start(), m.end()))
    assert not bad, "\n".join(bad)


def test_known_places_are_labelled() -> None:
    bad = []
    for doc in _all_docs():
        for name in KNOWN_PLACES:
            for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", doc.text):
                if _covering(doc, m.start(), m.end()):
                    continue
                if _in_facility(doc, m.start()) or _in_phrase(doc.text, m.start(), m.end(), UNLABELLED_PHRASES):
                    continue
                bad.append(_context(doc, m.start(), m.end()))
    assert not bad, "\n".join(bad)


def test_no_location_right_after_facility_word() -> None:
    """`Khu kinh tế Vân Phong`, `cảng Cái Mép`, `sân bay Long Thành`, `đô la Mỹ`: no
    LOCATION starts right after such a word."""
    bad = []
    for doc in _all_docs():
        for s in doc.spans:
            if s.label != "LOCATION":
                continue
            before = doc.text[max(0, s.start - 40):s.start]
            if _FACILITY_RIGHT_BEFORE.search(before) and not _in_phrase(doc.text, s.start - 1, s.start + 1,
                                                                         FACILITY_BEFORE_ALLOW):
                bad.append(_context(doc, s.start, s.end))
    assert not bad, "\n".join(bad)


def test_exemptions_are_used() -> None:
    """Every exempted phrase still occurs somewhere (no stale exemptions)."""
    texts = [doc.text for doc in _all_docs()]
    stale = [p for p in FACILITY_BEFORE_ALLOW + UNLABELLED_PHRASES if not any(p in t for t in texts)]
    assert stale == []


def test_label_mix() -> None:
    """Every label occurs; LOCATION is the most frequent, as in real news."""
    counts = _label_counts(_all_docs())
    assert set(counts) == set(LABELS), counts
    assert counts["LOCATION"] == max(counts.values()), counts

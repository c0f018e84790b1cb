"""Quality gate for the hand-written training articles (training/data/written/*.txt).

Every writer's files get the same checks: parsing and round trip, span validity and
syllable alignment, unique ids, length and text form, and the consistency heuristics
of tests/written_checks.py (each parametrised per document, so a failure names it).
Each heuristic is itself tested on a wrong/right markup pair, so none passes vacuously.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from annotations.bio import document_to_bio
from annotations.document import Document
from annotations.labels import LABELS
from annotations.validate import check_spans
from training.markup import parse_markup, read_markup_file, to_markup
from written_checks import ALLOW, CHECKS, allow_entries, facility_label_problems, known_place_problems, \
    repeat_problems

WRITTEN = Path(__file__).resolve().parents[1] / "training" / "data" / "written"
FILES = sorted(WRITTEN.glob("*.txt"))
WRITERS = sorted({p.name.split("_", 1)[0] for p in FILES})

MIN_DOCS = 30  # per writer
MIN_WORDS, MAX_WORDS = 200, 500
_HEADER = re.compile(r"^### (\S+)[ \t]*$", re.MULTILINE)

# Label shares (low, high) of all spans, per writer, where the writer's brief set them.
# Everywhere every label occurs and LOCATION is the most frequent, as in real news.
LABEL_SHARES: dict[str, dict[str, tuple[float, float]]] = {
    "wc": {"LOCATION": (0.60, 0.80), "CLUSTER": (0.0, 0.20)},  # general business news
    "wd": {"LOCATION": (0.55, 0.75)},
}


@lru_cache(maxsize=None)
def _load(path: Path) -> tuple[Document, ...]:
    return tuple(read_markup_file(path))


def _docs(writer: str | None = None) -> list[Document]:
    return [doc for path in FILES if writer in (None, _writer(path)) for doc in _load(path)]


def _writer(path: Path) -> str:
    return path.name.split("_", 1)[0]


def _doc_params() -> list:
    """(path, doc id) for every '### <doc id>' header, found without parsing the markup."""
    return [pytest.param(path, doc_id, id=doc_id) for path in FILES
            for doc_id in _HEADER.findall(path.read_text(encoding="utf-8"))]


DOCS = _doc_params()


def _doc(path: Path, doc_id: str) -> Document:
    found = [doc for doc in _load(path) if doc.id == doc_id]
    assert len(found) == 1, f"{path.name}: {len(found)} documents with id {doc_id}"
    return found[0]


# --- files and ids ------------------------------------------------------------------
def test_files_present() -> None:
    assert FILES, f"no *.txt files under {WRITTEN}"
    assert all(re.fullmatch(r"w[a-z]_\d{2}_[a-z0-9_]+\.txt", p.name) for p in FILES), [p.name for p in FILES]


@pytest.mark.parametrize("writer", WRITERS)
def test_writer_has_enough_documents(writer: str) -> None:
    assert len(_docs(writer)) >= MIN_DOCS


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
    ids = [doc.id for doc in _docs()]
    assert len(ids) == len(set(ids)), sorted(i for i, n in Counter(ids).items() if n > 1)
    bad = [f"{path.name}: {doc.id}" for path in FILES for doc in _load(path)
           if not re.fullmatch(rf"{_writer(path)}_\d{{2}}_[a-z0-9-]+", doc.id)]
    assert bad == []


# --- per document ---------------------------------------------------------------------
@pytest.mark.parametrize("path, doc_id", DOCS)
def test_length_and_text_form(path: Path, doc_id: str) -> None:
    doc = _doc(path, doc_id)
    n = len(doc.text.split())
    assert MIN_WORDS <= n <= MAX_WORDS, f"{doc_id}: {n} words"
    assert unicodedata.normalize("NFC", doc.text) == doc.text, f"{doc_id}: text is not NFC"
    assert not any(c in doc.text for c in "{}|"), f"{doc_id}: markup characters left in text"


@pytest.mark.parametrize("path, doc_id", DOCS)
def test_spans_valid_and_on_syllable_boundaries(path: Path, doc_id: str) -> None:
    doc = _doc(path, doc_id)
    bad = [str(p) for p in check_spans(doc.text, doc.spans, doc_id=doc.id)]
    bad += [f"{doc.id}: misaligned {s.label} {s.text!r}" for s in document_to_bio(doc).misaligned]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("check", sorted(CHECKS))
@pytest.mark.parametrize("path, doc_id", DOCS)
def test_consistency_heuristic_holds(path: Path, doc_id: str, check: str) -> None:
    bad = CHECKS[check](_doc(path, doc_id))
    assert not bad, "\n".join(bad)


# --- corpus-wide ------------------------------------------------------------------------
def test_allow_list_entries_are_used_and_explained() -> None:
    """Every allow-list entry has a reason and still occurs in some text (no stale exemptions)."""
    texts = [doc.text for doc in _docs()]
    assert [(k, p) for k, p in allow_entries() if not ALLOW[k][p].strip()] == []
    assert [(k, p) for k, p in allow_entries() if not any(p in t for t in texts)] == []


@pytest.mark.parametrize("writer", WRITERS)
def test_label_mix(writer: str) -> None:
    counts = Counter(s.label for doc in _docs(writer) for s in doc.spans)
    assert set(counts) == set(LABELS), counts
    assert counts["LOCATION"] == max(counts.values()), counts
    total = sum(counts.values())
    for label, (low, high) in LABEL_SHARES.get(writer, {}).items():
        assert low <= counts[label] / total <= high, (label, counts)


def test_label_shares_name_known_writers() -> None:
    assert set(LABEL_SHARES) <= set(WRITERS)


# --- the heuristics themselves catch slips -------------------------------------------
SLIPS = [
    # (check, wrong markup, corrected markup)
    ("span_shape", "Rộng {{AREA|khoảng 50 ha}}.", "Rộng khoảng {{AREA|50 ha}}."),
    ("span_shape", "Tại {{CLUSTER|các KCN Quế Võ}}.", "Tại các {{CLUSTER|KCN Quế Võ}}."),
    ("span_shape", "Tỷ lệ {{PERCENT|1/500}}.", "Tỷ lệ 1/500."),
    ("span_shape", "Thị trường {{LOCATION|EU}}.", "Thị trường EU và {{LOCATION|châu Âu}}."),
    ("span_shape", "Tại {{LOCATION|vùng Tây Nguyên}}.",
     "Tại vùng {{LOCATION|Tây Nguyên}} và {{LOCATION|Vùng kinh tế trọng điểm phía Nam}}."),
    ("span_shape", "Có {{CLUSTER|2 KCN Tân Tạo}}.", "{{CLUSTER|KCN Mỹ Phước 1}}, {{CLUSTER|2}} và {{CLUSTER|3}}."),
    ("percent", "Lấp đầy 85% diện tích.", "Lấp đầy {{PERCENT|85%}} diện tích."),
    ("percent", "Đạt 5 phần trăm.", "Đạt {{PERCENT|5 phần trăm}}."),
    ("percent", "Tăng {{PERCENT|12}} -14%/năm.", "Tăng {{PERCENT|12 -14%}}/năm."),
    ("area", "Diện tích 1,5 triệu m2 nhà xưởng.", "Diện tích {{AREA|1,5 triệu m2}} nhà xưởng."),
    ("area", "Rộng 186,4ha.", "Rộng {{AREA|186,4ha}}."),
    ("area", "Khu đất 5 - {{AREA|10 ha}}.", "Khu đất {{AREA|5 - 10 ha}}."),
    ("area", "Rộng {{AREA|15}} - {{AREA|20 ha}}.", "Rộng {{AREA|15 - 20 ha}}."),
    ("split_range", "Tăng {{PERCENT|20%}} - {{PERCENT|30%}}.", "Tăng {{PERCENT|20% - 30%}}."),
    ("split_range", "Khu đất {{AREA|5 ha}} - {{AREA|10 ha}}.", "Khu đất {{AREA|5 - 10 ha}}."),
    ("admin_place", "UBND tỉnh {{LOCATION|Long An}} họp.", "UBND {{LOCATION|tỉnh Long An}} họp."),
    ("admin_place", "Hai xã Lệ Chi và {{LOCATION|Kim Sơn}}.", "Hai {{LOCATION|xã Lệ Chi}} và {{LOCATION|Kim Sơn}}."),
    ("admin_place", "Các huyện {{LOCATION|Long Hồ}}, {{LOCATION|Mang Thít}}.",
     "Các {{LOCATION|huyện Long Hồ}}, {{LOCATION|Mang Thít}}."),
    ("admin_place", "Các tỉnh {{LOCATION|Đồng Nai}} và {{LOCATION|Đông Nam Bộ}}.",
     "Các {{LOCATION|tỉnh Đồng Nai}} và các tỉnh {{LOCATION|Đông Nam Bộ}}."),
    ("admin_place", "Tại quận 9.", "Tại {{LOCATION|quận 9}}, gần cao tốc TP.HCM - Long Thành."),
    ("nature", "Bên bờ sông Hậu.", "Bên bờ {{LOCATION|sông Hậu}}."),
    ("nature", "Mở rộng ra biển Đông.", "Mở rộng ra {{LOCATION|biển Đông}}, cảng biển Trần Đề, ven biển Phan Thiết."),
    ("named_park", "Tại KCN Tân Tạo.", "Tại {{CLUSTER|KCN Tân Tạo}}."),
    ("named_park", "Khu công nghiệp {{LOCATION|Hòa Phú}}.", "{{CLUSTER|Khu công nghiệp Hòa Phú}}."),
    ("named_park", "Cụm CN {{CLUSTER|Việt Nhật}}.", "{{CLUSTER|Cụm CN Việt Nhật}}."),
    ("named_park", "Ban Quản lý các KCN Đồng Nai.", "Ban Quản lý các KCN {{LOCATION|Đồng Nai}}."),
    ("repeat", "{{LOCATION|Bắc Ninh}} có 16 KCN. Bắc Ninh dẫn đầu.",
     "{{LOCATION|Bắc Ninh}} có 16 KCN. {{LOCATION|Bắc Ninh}} dẫn đầu."),
    ("repeat", "{{LOCATION|huyện Đức Hòa}} có 10 KCN. Đức Hòa dẫn đầu.",
     "{{LOCATION|huyện Đức Hòa}} có 10 KCN. {{LOCATION|Đức Hòa}} dẫn đầu."),
    ("known_place", "Nhà đầu tư Hàn Quốc.", "Nhà đầu tư {{LOCATION|Hàn Quốc}}, 1 tỷ đô la Mỹ."),
    ("known_place", "Thuế đối ứng của Mỹ.", "Thuế đối ứng của {{LOCATION|Mỹ}}."),
    ("known_place", "Hàng sang Lào và {{LOCATION|Campuchia}}.", "Hàng sang {{LOCATION|Lào}} và {{LOCATION|Campuchia}}."),
    ("facility_label", "Cảng {{LOCATION|Hải Phòng}} và {{LOCATION|Hải Phòng}}.",
     "Cảng Hải Phòng và {{LOCATION|Hải Phòng}}."),
    ("facility_label", "Cảng {{LOCATION|Cái Mép}}.", "Cảng Cái Mép ở {{LOCATION|Tân Thành}}."),
    ("facility_label", "Khu kinh tế {{LOCATION|Vân Phong}}.", "Khu kinh tế Vân Phong."),
    ("facility_label", "Cao tốc {{LOCATION|Bến Lức}} - Long Thành qua {{LOCATION|Long An}}.",
     "Cao tốc Bến Lức - Long Thành qua {{LOCATION|Long An}}."),
]


@pytest.mark.parametrize("check, wrong, right", SLIPS, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(SLIPS)])
def test_heuristic_catches_slip(check: str, wrong: str, right: str) -> None:
    assert CHECKS[check](parse_markup(wrong, "slip")), f"{check} missed: {wrong!r}"
    assert CHECKS[check](parse_markup(right, "fixed")) == [], f"{check} flags: {right!r}"


def test_slips_cover_every_check() -> None:
    assert {c for c, _, _ in SLIPS} == set(CHECKS)
    assert len({(w, r) for _, w, r in SLIPS}) == len(SLIPS)


@pytest.mark.parametrize("marked", [
    "{{LOCATION|Nghi Sơn}} và Khu kinh tế Nghi Sơn, cao tốc Hà Nội - Lào Cai qua {{LOCATION|Lào Cai}}.",
    "{{LOCATION|Long Thành}} và sân bay Long Thành, cao tốc Biên Hòa - Vũng Tàu qua {{LOCATION|Biên Hòa}}.",
])
def test_repeat_check_skips_facility_names(marked: str) -> None:
    doc = parse_markup(marked, "facility")
    assert repeat_problems(doc) == []
    assert known_place_problems(doc) == []


def test_names_inside_longer_names_need_no_span() -> None:
    """`Mỹ`/`Lào` inside labelled `Phú Mỹ`, `Lào Cai` are covered; `yêu cầu` is no bridge."""
    doc = parse_markup("{{LOCATION|thị xã Phú Mỹ}} và {{LOCATION|Lào Cai}}; UBND yêu cầu "
                       "{{LOCATION|huyện Tam Bình}} báo cáo.", "standalone")
    assert known_place_problems(doc) == []
    assert facility_label_problems(doc) == []

"""The rules baseline on the annotation spec's examples."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.validate import check_spans
from evaluation.baselines.rules import RulesSystem
from models.rules import extract


def found(text: str) -> list[tuple[str, str]]:
    return [(s.label, s.text) for s in extract(text)]


@pytest.mark.parametrize("text,expected", [
    ("Cụm công nghiệp Đình Lập; Hồ Sơn 1; Bắc Sơn 2",
     [("CLUSTER", "Cụm công nghiệp Đình Lập"), ("CLUSTER", "Hồ Sơn 1"), ("CLUSTER", "Bắc Sơn 2")]),
    ("các KCN Tân Tạo", [("CLUSTER", "KCN Tân Tạo")]),
    ("Khu công nghiệp (KCN) Hiệp Phước", [("CLUSTER", "Khu công nghiệp (KCN) Hiệp Phước")]),
    ("KCN Việt Nam - Singapore 2 đã lấp đầy", [("CLUSTER", "KCN Việt Nam - Singapore 2")]),
    ("Cụm công nghiệp số 1 Kháng Chiến", [("CLUSTER", "Cụm công nghiệp số 1 Kháng Chiến")]),
    ("Khu công nghiệp Phú Bài giai đoạn I và II", [("CLUSTER", "Khu công nghiệp Phú Bài")]),
    ("Khu công nghiệp Yên Phong mở rộng", [("CLUSTER", "Khu công nghiệp Yên Phong")]),
    ("KCN Thanh Bình giai đoạn 2", [("CLUSTER", "KCN Thanh Bình")]),
    ("KCN Trà Nóc I và II", [("CLUSTER", "KCN Trà Nóc I"), ("CLUSTER", "II")]),
    ("Khu công nghiệp phụ trợ dệt may Phong Điền", [("CLUSTER", "Khu công nghiệp phụ trợ dệt may Phong Điền")]),
    ("Ban quản lý KCN Việt Nam - Singapore", [("CLUSTER", "KCN Việt Nam - Singapore")]),
    ("Các cụm công nghiệp khác như: Cẩm Giàng (Bạch Thông, 43ha)",
     [("CLUSTER", "Cẩm Giàng"), ("LOCATION", "Bạch Thông"), ("AREA", "43ha")]),
])
def test_clusters(text, expected) -> None:
    assert found(text) == expected


@pytest.mark.parametrize("text", ["cụm công nghiệp", "các KCN", "17 CCN", "khu công nghiệp này",
                                  "Cụm công nghiệp có quy mô lớn", "Khu kinh tế Nghi Sơn", "khu công nghệ cao"])
def test_generic_mentions_and_other_zones_are_not_clusters(text) -> None:
    assert [s for s in extract(text) if s.label == "CLUSTER"] == []


@pytest.mark.parametrize("text,expected", [
    ("trên 30%", [("PERCENT", "30%")]),
    ("từ 75% trở lên", [("PERCENT", "75%")]),
    ("đạt 60% - 85% giá trị", [("PERCENT", "60% - 85%")]),
    ("tăng 15 - 17%", [("PERCENT", "15 - 17%")]),
    ("12 -14%/năm", [("PERCENT", "12 -14%")]),
    ("84,21%./.", [("PERCENT", "84,21%")]),
    ("5 phần trăm", [("PERCENT", "5 phần trăm")]),
    ("30 %", [("PERCENT", "30 %")]),
    ("15 - 20 ha", [("AREA", "15 - 20 ha")]),
    ("tổng diện tích 186,4ha", [("AREA", "186,4ha")]),
    ("khoảng 1.156,77 ha", [("AREA", "1.156,77 ha")]),
    ("gần 700m² đất", [("AREA", "700m²")]),
    ("4.000 m2 nhà xưởng", [("AREA", "4.000 m2")]),
    ("1,5 triệu m2", [("AREA", "1,5 triệu m2")]),
    ("2 nghìn ha", [("AREA", "2 nghìn ha")]),
    ("50 héc-ta và 3 km2", [("AREA", "50 héc-ta"), ("AREA", "3 km2")]),
])
def test_numbers(text, expected) -> None:
    assert found(text) == expected


@pytest.mark.parametrize("text", ["tỷ lệ 1/500", "10/38 cụm", "hàng nghìn ha", "vài trăm ha", "30 mét",
                                  "200 tỷ đồng", "16 hai"])
def test_not_numbers(text) -> None:
    assert extract(text) == []


@pytest.mark.parametrize("text,expected", [
    ("UBND tỉnh Lạng Sơn", [("LOCATION", "tỉnh Lạng Sơn")]),
    ("TP. Hồ Chí Minh và TP.HCM", [("LOCATION", "TP. Hồ Chí Minh"), ("LOCATION", "TP.HCM")]),
    ("ở quận 9 và ấp 3", [("LOCATION", "quận 9"), ("LOCATION", "ấp 3")]),
    ("thị xã Từ Sơn", [("LOCATION", "thị xã Từ Sơn")]),
    ("hai xã Lệ Chi và Kim Sơn", [("LOCATION", "xã Lệ Chi"), ("LOCATION", "Kim Sơn")]),
    ("thủ đô Hà Nội", [("LOCATION", "Hà Nội")]),
    ("doanh nghiệp Trung Quốc, 100% vốn Hàn Quốc",
     [("LOCATION", "Trung Quốc"), ("PERCENT", "100%"), ("LOCATION", "Hàn Quốc")]),
    ("kè sông Chu", [("LOCATION", "sông Chu")]),
    ("Na Rì, Bắc Kạn", [("LOCATION", "Na Rì"), ("LOCATION", "Bắc Kạn")]),
    ("Toàn cảnh Khu công nghiệp Thanh Bình tỉnh Bắc Kạn",
     [("CLUSTER", "Khu công nghiệp Thanh Bình"), ("LOCATION", "tỉnh Bắc Kạn")]),
    ("Cụm công nghiệp Huyền Tụng (thành phố Bắc Kạn, 16ha)",
     [("CLUSTER", "Cụm công nghiệp Huyền Tụng"), ("LOCATION", "thành phố Bắc Kạn"), ("AREA", "16ha")]),
])
def test_locations(text, expected) -> None:
    assert found(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("tại P. Tây Thạnh, Q. Tân Phú, TP. HCM",
     [("LOCATION", "P. Tây Thạnh"), ("LOCATION", "Q. Tân Phú"), ("LOCATION", "TP. HCM")]),
    ("Q.1, TP.HCM", [("LOCATION", "Q.1"), ("LOCATION", "TP.HCM")]),
    ("Q. Gò Vấp - TPHCM", [("LOCATION", "Q. Gò Vấp"), ("LOCATION", "TPHCM")]),
    ("UBND H.Đức Hoà cho biết", [("LOCATION", "H.Đức Hoà")]),
    ("TX Điện Bàn, Quảng Nam", [("LOCATION", "TX Điện Bàn"), ("LOCATION", "Quảng Nam")]),
    ("nhà máy nước Tp.Bắc Ninh", [("LOCATION", "Tp.Bắc Ninh")]),
    ("Intel đầu tư vào VN từ 2006", [("LOCATION", "VN")]),
    ("Công ty TNHH Leader One VN và Hội LHPN VN", [("LOCATION", "VN"), ("LOCATION", "VN")]),
    ("ô nhiễm kênh Ba Bò, kênh Tẻ", [("LOCATION", "kênh Ba Bò"), ("LOCATION", "kênh Tẻ")]),
    ("học tiếng Anh và tiếng Nhật, nức tiếng miền Tây", [("LOCATION", "miền Tây")]),
    ("Ban quản lý các khu chế xuất, khu công nghiệp TP HCM (Hepza)", [("LOCATION", "TP HCM")]),
    ("Phó ban quản lý khu công nghiệp Bắc Giang", [("LOCATION", "Bắc Giang")]),
    ("Phó Chủ tịch Công đoàn KCX-KCN TP.HCM", [("LOCATION", "TP.HCM")]),
    ("nút giao Mỹ Thủy, Công ty Đức Thành; Tổng thống Mỹ Donald Trump, Thủ tướng Singapore Lý Hiển Long",
     [("LOCATION", "Mỹ"), ("LOCATION", "Singapore")]),
    ("nằm trong vùng kinh tế trọng điểm phía Nam, gặp ở Bình Nhưỡng",
     [("LOCATION", "vùng kinh tế trọng điểm phía Nam"), ("LOCATION", "Bình Nhưỡng")]),
    ("khu vực T X.Hương Trà", [("LOCATION", "T X.Hương Trà")]),
    ("Công an TP. Thanh Hoá và hai xã Quảng Hưng và Quảng Thọ",
     [("LOCATION", "TP. Thanh Hoá"), ("LOCATION", "xã Quảng Hưng"), ("LOCATION", "Quảng Thọ")]),
    ("doanh nghiệp của CHLB Đức", [("LOCATION", "CHLB Đức")]),
    ("Theo bà Anh, doanh nghiệp Anh đầu tư; ông Đức cho biết", [("LOCATION", "Anh")]),
    ("Tổng thống Mỹ và anh Hàn Quốc", [("LOCATION", "Mỹ"), ("LOCATION", "Hàn Quốc")]),
    ("Chủ tịch UBND TP Hà Nội Nguyễn Đức Chung cho biết", [("LOCATION", "TP Hà Nội")]),
    ("thuộc địa bàn tỉnh Bình Dương - Ảnh: BÁ SƠN", [("LOCATION", "tỉnh Bình Dương")]),
    ("nổ ở tỉnh Giang Tô, Trung Quốc", [("LOCATION", "tỉnh Giang Tô"), ("LOCATION", "Trung Quốc")]),
    ("ở phường Hải Châu 1 và thôn Trung", [("LOCATION", "phường Hải Châu 1"), ("LOCATION", "thôn Trung")]),
    ("nhiều thành phố Trung Quốc", [("LOCATION", "Trung Quốc")]),
    ("khu vực nông thôn Việt Nam và Liên minh hợp tác xã Việt Nam",
     [("LOCATION", "Việt Nam"), ("LOCATION", "Việt Nam")]),
    ("khu vực Tây Nam bộ và Đông Nam Bộ", [("LOCATION", "Tây Nam bộ"), ("LOCATION", "Đông Nam Bộ")]),
])
def test_abbreviated_admin_words_and_spelling_variants(text, expected) -> None:
    assert found(text) == expected


@pytest.mark.parametrize("text", ["Ảnh: Q. ĐỊNH", "Ảnh: P.ĐIỀN", "cửa H.T làm nhà kho", "ông H. nhà gần",
                                  "P. Dussmann", "Công ty H.V. nói trên",
                                  "Chủ tịch UBND TP Nguyễn Đức Chung", "Công ty Bản Việt Land"])
def test_initials_and_photo_credits_are_not_places(text) -> None:
    assert found(text) == []


@pytest.mark.parametrize("text", ["sân bay Thọ Xuân", "cảng Cái Mép", "đô la Mỹ", "Phó Thủ tướng Bùi Thanh Sơn",
                                  "ông Nguyễn Hòa Bình", "các tỉnh phía Tây", "xã hội", "Xa lộ Hà Nội"])
def test_not_locations(text) -> None:
    assert [s for s in extract(text) if s.label == "LOCATION"] == []


def test_a_place_inside_a_cluster_name_is_not_labelled() -> None:
    assert found("KCN Việt Nam - Singapore") == [("CLUSTER", "KCN Việt Nam - Singapore")]


def test_spans_are_valid_and_flat() -> None:
    text = ("Bắc Kạn hiện có 6 cụm công nghiệp với tổng diện tích 186,4ha. Cụm công nghiệp Vằng Mười (Na Rì, 15ha) "
            "và Cụm công nghiệp Nam Bằng Lũng (Chợ Đồn, 20ha): san nền đạt 60% - 85%.")
    spans = extract(text)
    assert check_spans(text, spans) == []
    assert ("LOCATION", "Chợ Đồn") in found(text)
    assert RulesSystem().predict([type("D", (), {"text": text})()]) == [spans]


def test_bad_input() -> None:
    with pytest.raises(TypeError):
        extract(None)  # type: ignore[arg-type]


@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 40), st.integers(0, 12)), max_size=40))
def test_resolve_keeps_what_the_pairwise_overlap_test_keeps(raw):
    """The character-mask resolution (linear in the text) equals the plain pairwise one."""
    from annotations.document import Span
    from models.rules import _resolve

    text = "x" * 60
    candidates = [(p, Span.from_text(text, a, a + n, "AREA")) for p, a, n in raw]
    kept: list = []
    for _, span in sorted(candidates, key=lambda c: (c[0], -(c[1].end - c[1].start), c[1].start)):
        if span.start < span.end and not any(span.overlaps(k) for k in kept):
            kept.append(span)
    assert _resolve(candidates, len(text)) == sorted(kept, key=lambda s: s.start)

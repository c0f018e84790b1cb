"""Gazetteer lists: clean, normalised, unique, big enough; admin units split correctly."""

from __future__ import annotations

import unicodedata

import pytest

from annotations.lexicon import gazetteers as gz

MINIMUM = {
    "province": 63, "district": 600, "commune": 5000, "country": 80, "region": 40,
    "feature": 80, "cluster_name": 300, "person": 3000, "company": 80, "foreign_place": 150,
    "alias": 10, "person_family": 40, "person_middle": 30, "person_given": 100, "foreign_city": 60,
}


@pytest.mark.parametrize("name", gz.NAMES)
def test_list_is_clean(name):
    items = gz.load(name)
    assert len(items) >= MINIMUM[name], f"{name}: only {len(items)} entries"
    assert len(items) == len(set(items)), f"{name}: duplicates"
    for item in items:
        assert item and item == item.strip(), repr(item)
        assert item == unicodedata.normalize("NFC", item), repr(item)
        assert "  " not in item and "\t" not in item and "\n" not in item, repr(item)
        assert not item.startswith("#"), repr(item)


def test_load_returns_fresh_copy():
    a = gz.load("province")
    a.append("xxx")
    assert "xxx" not in gz.load("province")


def test_unknown_name_is_a_clear_error():
    with pytest.raises(KeyError, match="unknown gazetteer"):
        gz.load("planet")


def test_known_names_present():
    provinces = set(gz.load("province"))
    assert {"Hà Nội", "Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu", "Hà Tây", "Thừa Thiên Huế"} <= provinces
    assert {"Việt Nam - Singapore", "Tân Tạo", "Đình Vũ", "Amata", "Nhơn Trạch 2"} <= set(gz.load("cluster_name"))
    assert {"Trung Quốc", "Hàn Quốc", "Nhật Bản", "Singapore"} <= set(gz.load("foreign_place"))
    assert "Việt Nam" not in gz.load("foreign_place")
    assert {"TP.HCM", "TPHCM", "HCM", "BR-VT", "Sài Gòn"} <= set(gz.load("alias"))


def test_admin_units_have_prefix_split_from_name():
    units = gz.admin_units()
    prefixes = {u.prefix for u in units}
    assert prefixes <= set(gz.ADMIN_PREFIXES), prefixes - set(gz.ADMIN_PREFIXES)
    doubled = []
    for u in units:
        assert u.level in ("province", "district", "commune")
        assert u.era in ("legacy", "2025")
        assert u.name and u.prefix and u.province
        low = u.name.lower()
        if any(low.startswith(p + " ") for p in ("tỉnh", "huyện", "xã", "phường", "quận", "thị xã")):
            doubled.append(u)
    # Real names may begin with a unit word ("phường Phường Đúc" in Huế), but only rarely.
    assert len(doubled) <= 3, doubled
    legacy = gz.admin_units(level="province", era="legacy")
    assert len({u.name for u in legacy}) >= 63
    assert len({u.name for u in gz.admin_units(level="province", era="2025")}) == 34
    assert len(gz.admin_units(level="district", era="legacy")) >= 690
    assert len(gz.admin_units(level="commune", era="legacy")) >= 9000
    # Numbered units keep their number as the name (quận 1, phường 3) but stay out of bare-name lists.
    assert any(u.prefix == "quận" and u.name == "1" for u in units)
    assert "1" not in gz.load("district")


def test_admin_units_filters_reject_bad_values():
    with pytest.raises(ValueError):
        gz.admin_units(level="village")
    with pytest.raises(ValueError):
        gz.admin_units(era="1990")


def test_every_admin_province_is_a_province():
    provinces = set(gz.load("province"))
    assert {u.province for u in gz.admin_units()} <= provinces


def test_aliases_point_to_known_places():
    known = set(gz.load("province")) | set(gz.load("region")) | set(gz.load("country"))
    for alias, target in gz.ALIASES.items():
        assert target in known, (alias, target)

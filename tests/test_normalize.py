"""NFC normalisation with an exact offset map (models.normalize)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.syllables import syllable_spans
from models.normalize import normalize


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


VIET = "Khu công nghiệp Hoà Bình Đất Cuốc Huyền Tụng tỉnh Bắc Kạn Thừa Thiên Huế ưởng ỵ"
VIET_MARKS = [chr(c) for c in range(0x0300, 0x0370)]
OTHER_MARKS = ["\u20d0", "\u0345", "\u05b0", "\u093c", "\u0e48", "\u1dc0", "\U0001d165", "\U0001d16d"]
SPECIAL = ["\u1100", "\u1161", "\u11a8", "\uac00", "\u0f73", "\U0001d15e", "\u2126", "\u0958", "\u0344",
           "\u1e9b", "\u0b47", "\u0b3e", "\u0cbf", "\u0cd5", "\U0001f600", "\U00020000", "\u00a0", "\u200b"]

# text as Vietnamese news has it: NFC or NFD letters, marks in U+0300..U+036F, digits, punctuation, spaces
viet_text = st.lists(
    st.one_of(
        st.sampled_from(list(VIET + nfd(VIET))),
        st.sampled_from(VIET_MARKS),
        st.sampled_from(list("0123456789.,;:-–()%/“”\"'\n\t ")),
        st.just("\U0001f3ed"),
    ),
    max_size=60,
).map("".join)

# anything, weighted towards characters that normalisation touches
any_text = st.lists(
    st.one_of(
        st.characters(),
        st.sampled_from(VIET_MARKS + OTHER_MARKS + SPECIAL),
        st.sampled_from(list(VIET + nfd(VIET))),
    ),
    max_size=40,
).map("".join)


def check_maps(x: str) -> None:
    from models.clean import clean

    nt = normalize(x)
    cleaned = clean(x)  # invisible characters and markup first (tests/test_clean.py), then NFC
    assert nt.original == x
    assert nt.text == nfc(cleaned.text if cleaned else x)
    n, o = len(nt.text), len(x)
    starts = [nt.to_original_start(i) for i in range(n + 1)]
    ends = [nt.to_original_end(i) for i in range(n + 1)]
    back = [nt.to_normalized(j) for j in range(o + 1)]
    back_end = [nt.to_normalized_end(j) for j in range(o + 1)]
    for seq in (starts, ends, back, back_end):
        assert seq == sorted(seq), "maps are monotone"
    assert ends[0] == 0 and starts[-1] == o and (cleaned or starts[0] == 0 and ends[-1] == o)
    assert back[0] == back_end[0] == 0 and back[-1] == back_end[-1] == n
    # at a removed invisible character an empty span's start lies after its end; spans are never inverted
    assert all(s <= e for s, e in zip(starts, ends)) or cleaned
    assert all(s < e for s, e in zip(starts, ends[1:]))
    assert all(s <= e for s, e in zip(back, back_end))
    for i in range(n + 1):
        if nt.is_exact(i):
            assert nt.to_normalized(starts[i]) == i == nt.to_normalized_end(starts[i])
    if cleaned:
        return  # slices of cleaned text: tests/test_clean.py
    # mapped offsets are exact original positions: any two of them slice consistently
    cuts = sorted(set(starts) | set(ends))
    for a in cuts:
        for b in cuts:
            if a <= b:
                assert nfc(x[a:b]) == nt.text[back[a]:back[b]]


@given(any_text)
@settings(max_examples=400, deadline=None)
def test_maps_on_arbitrary_text(x):
    check_maps(x)


@given(viet_text)
@settings(max_examples=400, deadline=None)
def test_syllable_boundaries_are_exact_and_slice_back(x):
    check_maps(x)
    nt = normalize(x)
    bounds = sorted({b for span in syllable_spans(nt.text) for b in span} | {0, len(nt.text)})
    assert all(nt.is_exact(b) for b in bounds)
    for i, s in enumerate(bounds):
        for e in bounds[i:]:
            os_, oe = nt.span_to_original(s, e)
            assert nfc(x[os_:oe]) == nt.text[s:e]


@given(st.lists(st.sampled_from(["Hoà", "Hòa", "Thuỷ", "Thủy", "ha", "16ha", " ", ", ", "\n", "%"]), max_size=30))
@settings(max_examples=200, deadline=None)
def test_mixed_nfc_nfd_spans_round_trip(pieces):
    # each piece NFC or NFD: every piece boundary maps to the piece boundary in the original
    x = "".join(nfd(p) if i % 2 else p for i, p in enumerate(pieces))
    nt = normalize(x)
    o = n = 0
    for i, p in enumerate(pieces):
        o2 = o + len(nfd(p) if i % 2 else p)
        n2 = n + len(p)
        assert nt.span_to_original(n, n2) == (o, o2)
        assert (nt.to_normalized(o), nt.to_normalized_end(o2)) == (n, n2)
        o, n = o2, n2


def test_nfd_vietnamese_word():
    x = "Khu công nghiệp " + nfd("Hoà") + " Bình"
    nt = normalize(x)
    assert nt.changed and nt.text == "Khu công nghiệp Hoà Bình"
    s = nt.text.index("Hoà")
    os_, oe = nt.span_to_original(s, s + 3)
    assert x[os_:oe] == nfd("Hoà") and oe - os_ == 4
    assert nt.span_to_original(s + 4, len(nt.text)) == (oe + 1, len(x))


def test_inside_a_composed_character_maps_outwards():
    x = "a" + nfd("ệ") + "b"  # e + U+0323 + U+0302 -> one code point
    nt = normalize(x)
    assert nt.text == "aệb"
    assert nt.to_original_start(1) == 1 and nt.to_original_end(2) == 4
    assert nt.to_normalized(2) == 1 and nt.to_normalized_end(2) == 2


def test_identity_for_nfc_text_and_empty():
    for x in ["", "Khu công nghiệp Thanh Bình, 16ha (100%).", "\U0001f3ed x"]:
        nt = normalize(x)
        assert not nt.changed and nt.text == x
        assert [nt.to_original_start(i) for i in range(len(x) + 1)] == list(range(len(x) + 1))


def test_non_bmp_and_singletons():
    x = "\U0001f3ed" + nfd("Ồ") + "\u2126\U0001d15e" + "Å"
    nt = normalize(x)
    assert nt.text == nfc(x)
    i = nt.text.index("Ồ")
    assert nt.span_to_original(i, i + 1) == (1, 4)
    assert nt.span_to_original(0, 1) == (0, 1)


def test_bad_input():
    with pytest.raises(TypeError):
        normalize(b"bytes")  # type: ignore[arg-type]
    nt = normalize(nfd("Hoà"))
    with pytest.raises(IndexError):
        nt.to_original_start(4)
    with pytest.raises(IndexError):
        nt.to_normalized(-1)
    with pytest.raises(ValueError):
        nt.span_to_original(2, 1)


def test_long_nfd_document_is_exact():
    article = ("Cụm công nghiệp Vằng Mười (Na Rì, 15ha) và Cụm công nghiệp Nam Bằng Lũng (Chợ Đồn, 20ha).\n"
               "Thừa Thiên Huế thu hút 84,21% diện tích. ")
    x = nfd(article) * 2000
    nt = normalize(x)
    assert nt.text == article * 2000
    step = len(article)
    for k in (0, 1, 1999):
        assert nt.span_to_original(k * step, (k + 1) * step) == (k * len(nfd(article)), (k + 1) * len(nfd(article)))

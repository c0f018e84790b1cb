"""The words of the annotation contract (``annotations/guidelines.md``), written once.

The rules, the document memory, the generated training text, the value parser and the
tests all read these tuples; nothing else in the project spells them out. Each tuple is
data: plain words as they appear in running text, no regular expressions. The helpers at
the bottom turn a tuple into the alternation a pattern needs (longest first).
"""

from __future__ import annotations

import re

# ------------------------------------------------------------------ CLUSTER

#: the written-out type words of an industrial cluster, park or export zone (matched
#: case-insensitively: "Khu công nghiệp", "khu Công nghiệp")
CLUSTER_TYPE_WORDS: tuple[str, ...] = (
    "khu công nghiệp", "khu chế xuất", "cụm công nghiệp", "cụm tiểu thủ công nghiệp", "cụm TTCN", "cụm CN", "khu CN",
)
#: type words joined by a dash into one: "cụm công nghiệp - tiểu thủ công nghiệp" (CCN-TTCN)
CLUSTER_TYPE_DASHED: tuple[tuple[str, str], ...] = (("cụm công nghiệp", "tiểu thủ công nghiệp"),)
#: abbreviated type words (matched case-sensitively: "KCN", never "kcn" inside a word)
CLUSTER_TYPE_ABBREVIATIONS: tuple[str, ...] = ("KCN", "CCN", "KCX")
#: abbreviations that may follow the written-out type word in brackets: "khu công nghiệp (KCN)"
CLUSTER_TYPE_BRACKETED: tuple[str, ...] = ("KCN", "CCN", "KCX", "CCN-TTCN")
#: words that may stand between the type word and the name and belong to the CLUSTER span
#: (Khu công nghiệp phụ trợ dệt may Phong Điền)
CLUSTER_DESCRIPTORS: tuple[str, ...] = (
    "phụ trợ", "hỗ trợ", "dệt may", "làng nghề", "sinh thái", "chuyên ngành", "chuyên sâu", "đa ngành",
    "tập trung", "địa phương", "cơ khí", "chế biến", "dịch vụ", "thủy sản", "thuỷ sản", "công nghệ cao",
)

# ------------------------------------------------------------------ LOCATION

#: administrative words that stand before a place name and belong to the LOCATION span
#: ("xã Minh Sơn"), lower case as in running text
ADMIN_WORDS: tuple[str, ...] = (
    "thành phố", "thị trấn", "thị xã", "tổ dân phố", "khu phố", "đặc khu", "tỉnh", "huyện", "quận",
    "phường", "xã", "thôn", "ấp", "bản", "làng", "xóm", "cồn",
)
#: the abbreviation of "thành phố" (TP Thủ Đức, TP. Huế)
CITY_ABBREVIATIONS: tuple[str, ...] = ("TP", "TP.")
#: the prefixes the administrative units table splits from a unit's name
ADMIN_PREFIXES: tuple[str, ...] = (
    "tỉnh", "thành phố", "TP", "TP.", "huyện", "quận", "thị xã", "thị trấn", "xã",
    "phường", "đặc khu", "thôn", "ấp", "bản", "khu phố", "làng", "xóm", "tổ dân phố",
)
#: administrative words that may take a number as the name (quận 9, ấp 3)
ADMIN_NUMBERED: tuple[str, ...] = ("quận", "phường", "ấp", "khu phố", "thôn", "tổ dân phố", "xóm", "bản")
#: abbreviated administrative words with their dot (Q. 7, P.Bình Chiểu, H. Nhà Bè, TX. Điện Bàn)
ADMIN_ABBREVIATIONS: tuple[str, ...] = ("Q.", "P.", "H.", "X.", "TX.", "T X.", "TT.", "Tp.")
#: common nouns that end with an administrative word: no place follows them (nông thôn: countryside,
#: hợp tác xã: cooperative)
ADMIN_WORD_COMPOUNDS: tuple[str, ...] = ("nông thôn", "hợp tác xã")
#: village words: capitalised inside a sentence they start a company's name (Công ty Bản Việt)
VILLAGE_WORDS: tuple[str, ...] = ("bản", "làng", "xóm", "cồn")
#: words of a natural feature that stand before its name and belong to the LOCATION span (sông Hồng)
FEATURE_WORDS: tuple[str, ...] = ("sông", "kênh", "biển", "vịnh", "núi", "bán đảo", "đảo", "hồ", "đèo", "cù lao")
#: heads whose following name is a zone, a piece of infrastructure or a currency, not a place
#: (matched case-insensitively), and the ones matched only as written (Chợ Mới, Cầu Giấy are districts)
BLOCKING_HEADS: tuple[str, ...] = (
    "khu kinh tế cửa khẩu", "khu kinh tế", "khu công nghệ cao", "khu đô thị", "khu du lịch", "khu dân cư",
    "sân bay", "cảng hàng không quốc tế", "cảng hàng không", "cảng biển quốc tế", "cảng biển", "cảng nước sâu quốc tế", "cảng nước sâu",
    "cảng quốc tế", "cảng", "quốc lộ", "tỉnh lộ", "đường sắt", "đường cao tốc", "đường bộ", "đường", "cao tốc",
    "xa lộ", "khách sạn", "cửa khẩu", "bến xe", "nhà ga", "đồng đô la", "đô la",
)
BLOCKING_HEADS_CASED: tuple[str, ...] = ("chợ", "cầu", "ga", "KKT")
#: forms of address before a person's name: a one-syllable place name after them is a person
#: (theo bà Anh, ông Đức cho biết), not a country
PERSON_TITLES: tuple[str, ...] = ("ông", "bà", "anh", "chị", "cô", "chú", "bác", "cụ", "em", "Ông", "Bà", "Anh", "Chị",
                                  "Cô", "Chú", "Bác", "Cụ")
#: words that count the names after a plural administrative or type word (các tỉnh A, B và C)
PLURAL_WORDS: tuple[str, ...] = ("các", "những", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười",
                                 "nhiều", "mấy")

# ------------------------------------------------------------------ AREA and PERCENT

#: area units, as written after the number (the span includes the unit)
AREA_UNITS: tuple[str, ...] = ("ha", "héc-ta", "héc ta", "hécta", "hecta", "km2", "km²", "m2", "m²", "mẫu", "sào")
#: hectares per unit; mẫu and sào at the Northern (Bắc Bộ) size the guideline chooses: 1 mẫu = 3,600 m²,
#: 1 sào = 360 m²
HECTARES_PER_UNIT: dict[str, float] = {
    "ha": 1.0, "héc-ta": 1.0, "héc ta": 1.0, "hécta": 1.0, "hecta": 1.0,
    "km2": 100.0, "km²": 100.0, "m2": 1e-4, "m²": 1e-4, "mẫu": 0.36, "sào": 0.036,
}
#: number words that multiply the number before them and stay inside the span (1,2 nghìn ha)
NUMBER_MULTIPLIERS: dict[str, float] = {"tỷ": 1e9, "tỉ": 1e9, "triệu": 1e6, "nghìn": 1e3, "ngàn": 1e3,
                                        "vạn": 1e4, "trăm": 1e2}
#: the written-out percent sign (15 phần trăm)
PERCENT_WORDS: tuple[str, ...] = ("phần trăm",)
#: qualifiers that stand before a number and stay outside its span
QUALIFIERS: tuple[str, ...] = ("hơn", "gần", "khoảng", "trên", "dưới", "gần như", "xấp xỉ", "tới", "đến",
                               "chừng", "ước", "ước tính", "tối đa", "tối thiểu", "ít nhất", "hầu như")


# ------------------------------------------------------------------ helpers

def alternation(words: tuple[str, ...] | list[str]) -> str:
    """A regular-expression alternation of ``words``, longest first, each escaped (a space
    matches one space, as the words are written)."""
    ordered = sorted(dict.fromkeys(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in ordered)


def trie_alternation(words) -> str:
    """A regular expression matching exactly what :func:`alternation` of ``words`` matches, and
    at each position the same word (the longest that lets the rest of the pattern match), as a
    character trie: the engine follows one path down it instead of trying thousands of
    alternatives at every position of the text."""
    trie: dict = {}
    for word in dict.fromkeys(words):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        children = sorted(ch for ch in node if ch)
        if not children:
            return ""
        alts = [re.escape(ch) + build(node[ch]) for ch in children]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body  # greedy: the longer word is tried first

    if "" in trie:
        raise ValueError("an empty word cannot be part of an alternation")
    return build(trie)


def as_data() -> dict[str, object]:
    """Every list of this module by name: what the lexicon's version hashes."""
    return {name: value for name, value in sorted(globals().items())
            if name.isupper() and isinstance(value, (tuple, dict))}

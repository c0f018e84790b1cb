"""Cluster records: the spans of one document grouped into one record per distinct cluster.

``build_records(text, spans)`` takes any spans (a tagger's, the rules', gold) and returns
:class:`ClusterRecord` s; :func:`rules_records` runs it on the rules' spans, without a model.
Everything is rule-based and reads only the spans and the text between them:

- **Merging.** Every CLUSTER span is a mention. Its type word (``KCN`` = ``khu công
  nghiệp``) is its type, and the rest its name (:mod:`models.cluster_names`). A bare name
  (``Tân Tập`` in ``Khu công nghiệp Thế Kỷ, Tân Tập``) takes the type of the nearest type
  word before it in its sentence. Mentions of one name (case, tone placement, spacing and
  descriptor words aside) and one type are one cluster; a mention without a type joins the
  cluster of its name (the nearest one before it when there are several).
- **Figures.** An AREA, or a PERCENT with a fill word near it (``lấp đầy``, ``cho thuê``,
  ``thuê``, ``thu hút ... % diện tích``: the share of land leased), belongs to the nearest
  cluster mention before it in its sentence. When a type word without a name (``2 khu
  công nghiệp``, ``các cụm``) stands nearer, the figure is about those and belongs to no
  record; so does an average (``bình quân``). Without any mention before it in the sentence,
  the figure goes to a named mention that follows closely in its clause, else to the last
  mention of the previous sentence of the paragraph. After a list (``KCN A, B và C``) a fill
  rate goes to each (one each, in order, with ``lần lượt``) and an area to none (a total). An
  AREA in square metres, or after a word of leasing, selling, clearing, a phase or a building
  (``đã cho thuê 300 ha``, ``giai đoạn 1``, ``nhà xưởng``), is not the cluster's size. A
  record keeps the first figure of each kind in the text; an unreadable figure (``value``
  None) is never linked.
- **Locations.** A LOCATION belongs to a mention it follows in the same clause, with only
  punctuation, brackets or ``tại``/``ở``/``thuộc``/``trên địa bàn`` between (``KCN Đồng Bành,
  huyện Chi Lăng``, ``Cụm công nghiệp Huyền Tụng (thành phố Bắc Kạn, 16ha)``), through the
  mention's own size (``..., diện tích 39,5 ha tại xã Tân Mỹ``), and the places after a
  linked one in the same way (``xã Minh Sơn, huyện Hữu Lũng``).
- **Province.** From the linked locations (:mod:`models.places`, the most named; between
  equal counts the higher level, then the document's), else the one province the places
  before a mention in its sentence name (``Tại Bắc Giang, ... KCN Quang Châu``), else the
  province the document's locations name most (``province_source``: ``linked``,
  ``sentence`` or ``document``).
- **Qualifier.** A word of the lexicon's ``QUALIFIERS`` just before a figure (``khoảng``,
  ``hơn``, ``gần``, ``trên``) is reported beside it; it never changes the value.

Every value is ``Span.value`` of the span named in ``evidence``, and every offset is one of
``text``: a record claims no figure that is not in the text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Sequence

from annotations.document import Span
from annotations.lexicon import vocabulary as v

from .cluster_names import name_key, split_cluster, type_word_re
from .places import document_provinces, names_province, resolve

__all__ = ["ClusterRecord", "build_records", "rules_records", "qualifier_before", "is_fill_rate"]

_LEVEL_RANK = {"province": 0, "district": 1, "commune": 2}
#: how far (characters) a fill word may stand from its percent, a named mention after a figure
_FILL_BEFORE, _FILL_AFTER, _FORWARD = 60, 50, 80
#: how far (characters) a location may follow its mention along the chain
_LOCATION_REACH = 160

_FILL_WORDS = r"(?:(?:tỷ|tỉ)\s+lệ\s+)?(?:lấp\s+đầy|lấp\s+kín|kín\s+đất|cho\s+thuê|được\s+thuê|đã\s+thuê|thuê\s+đất|thuê)"
_FILL_BEFORE_RE = re.compile(rf"(?i:(?<![\w])(?:{_FILL_WORDS})(?![\w]))")
_ATTRACT_RE = re.compile(r"(?i:(?<![\w])thu\s+hút(?![\w]))")
_AREA_AFTER_RE = re.compile(r"(?i:^\s*(?:tổng\s+)?(?:diện\s+tích|quỹ\s+đất))")
_FILL_AFTER_RE = re.compile(rf"(?i:^\s*(?:tổng\s+)?(?:diện\s+tích|quỹ\s+đất)[^.;%\n]{{0,40}}?(?<![\w])(?:{_FILL_WORDS})(?![\w]))")
#: words before an AREA that make it something other than the cluster's size
_NOT_SIZE_RE = re.compile(
    rf"(?i:(?<![\w])(?:{_FILL_WORDS}|giải\s+phóng\s+mặt\s+bằng|bàn\s+giao|thu\s+hồi|bổ\s+sung|"
    r"thêm|mở\s+rộng|giai\s+đoạn|phân\s+khu|vướng|còn\s+lại|chưa|bán|sàn|nhà\s+máy|nhà\s+xưởng|xưởng|dự\s+án|"
    r"kho\s+bãi)(?![\w]))")
#: words right after an AREA that make it a building's or a plot's (62.000 m2 nhà xưởng)
_NOT_SIZE_AFTER_RE = re.compile(r"(?i:^\s*(?:đất\s+)?(?:nhà\s+xưởng|xưởng|kho|sàn|văn\s+phòng|mặt\s+bằng)(?![\w]))")
#: words between a mention and a fill rate that make it a phase's or a part's (KCN A giai đoạn 1
#: đã lấp đầy 100%, KCN B khu A rộng 630 ha đã lấp đầy 75%)
_PHASE_RE = re.compile(r"(?<![\w])(?:[Gg]iai\s+đoạn|[Pp]hân\s+khu|khu\s+[A-Z](?![\w]))")
#: a total between a list of mentions and a fill rate: the figure is the list's together
#: (KCN A, B và C với tổng diện tích 240 ha, tỷ lệ lấp đầy khoảng 85%)
_TOTAL_RE = re.compile(r"(?i:(?<![\w])tổng\s+diện\s+tích(?![\w]))")
#: units of buildings and plots, never a cluster's size
_PLOT_UNITS = ("m2", "m²")
#: what stands between two mentions of one list: a comma, "và", a bracket of the first
_LIST_GAP_RE = re.compile(r"^(?:\s+(?:mở\s+rộng|giai\s+đoạn\s+\w+))?\s*(?:\([^()]*\)\s*)?(?:,\s*(?:và\s+)?|và\s+|;\s*)$")
#: between two figures of one series ("97,8% và 92%"), and the word that deals them out in order
_SERIES_GAP_RE = re.compile(r"^\s*(?:,\s*(?:và\s+)?|và\s+)$")
_RESPECTIVELY_RE = re.compile(r"(?i:(?<![\w])lần\s+lượt(?![\w]))")
#: "các khu", "mỗi cụm", "2 khu": clusters without a name even where the type word is left out
_PLURAL_RE = re.compile(rf"(?<![\w])(?i:{v.alternation(v.PLURAL_WORDS + ('một số', 'mỗi', 'từng'))}|\d+)\s+(?P<w>(?i:khu|cụm))(?![\w])")
_PLURAL_TYPE = {"khu": "khu công nghiệp", "cụm": "cụm công nghiệp"}
#: a figure after these is an average of several clusters
_AVERAGE_RE = re.compile(r"(?i:(?<![\w])(?:bình\s+quân|trung\s+bình)(?![\w]))")
#: the smallest area read as a cluster's size (hectares): square metres are a building or a plot
MIN_CLUSTER_HA = 1.0
#: what may stand between a mention (or a place or size linked to it) and its next place
_LOC_GAP = (
    r"^(?:\s+(?:mở\s+rộng|giai\s+đoạn\s+\w+))?[\s,(:–—-]*(?:(?:(?:nằm|đặt|toạ\s+lạc|tọa\s+lạc)\s+)?(?:tại|ở|thuộc(?:\s+địa\s+bàn)?|trên\s+địa\s+bàn)\s+"
    r"(?:(?:của\s+)?(?:các\s+)?))?$")
_LOC_GAP_RE = re.compile(_LOC_GAP, re.I)
#: after the mention's own size in brackets: "KCN Tràng Duệ 3 (687 ha) tại Hải Phòng"
_LOC_GAP_AFTER_SIZE_RE = re.compile(_LOC_GAP.replace("[\\s,(:", "[\\s,():", 1), re.I)
_CONNECTIVE_RE = re.compile(r"(?<![\w])(?:tại|ở|thuộc|địa\s+bàn)(?![\w])", re.I)
#: what may stand between a mention (or a place linked to it) and the mention's own size
_SIZE_GAP_RE = re.compile(r"^[\s,(:–—-]*(?:(?:với|có)\s+)?(?:tổng\s+)?(?:diện\s+tích|quy\s+mô|rộng)?(?:\s+(?:là|khoảng|gần|hơn|trên|"
                          r"xấp\s+xỉ|chừng|ước\s+tính|ước))?\s*$", re.I)


@dataclass
class ClusterRecord:
    """One cluster of one document: what the text says about it, with the offsets it says it at."""

    name: str
    type: str | None
    mentions: list[tuple[int, int]]
    province: str | None = None
    province_source: str | None = None  # "linked" | "sentence" | "document" | None
    locations: list[str] = field(default_factory=list)
    area_ha: list[float] | None = None
    fill_rate: list[float] | None = None
    qualifier: dict[str, str | None] = field(default_factory=lambda: {"area_ha": None, "fill_rate": None})
    evidence: dict[str, Any] = field(default_factory=lambda: {"area_ha": None, "fill_rate": None,
                                                               "locations": [], "province": None})
    id: str = ""

    @property
    def key(self) -> str:
        """What one cluster shares across documents: normalised name, type and province."""
        return "|".join((name_key(self.name).replace("|", "/"), self.type or "", self.province or ""))

    def to_dict(self) -> dict[str, Any]:
        ev = self.evidence
        return {"id": self.id, "name": self.name, "type": self.type,
                "mentions": [list(m) for m in self.mentions], "province": self.province,
                "province_source": self.province_source, "locations": list(self.locations),
                "area_ha": self.area_ha, "fill_rate": self.fill_rate, "qualifier": dict(self.qualifier),
                "evidence": {"area_ha": list(ev["area_ha"]) if ev["area_ha"] else None,
                             "fill_rate": list(ev["fill_rate"]) if ev["fill_rate"] else None,
                             "locations": [list(x) for x in ev["locations"]],
                             "province": list(ev["province"]) if ev["province"] else None},
                "key": self.key}


# ------------------------------------------------------------------ the text's pieces

def _boundaries(text: str, spans: Sequence[Span]) -> tuple[list[int], list[int], list[int]]:
    """Sorted end offsets of sentences, clauses (sentences and ``;``) and paragraphs (lines).
    A mark inside a span (``TP. Hà Nội``) ends nothing."""
    inside = bytearray(len(text))
    for s in spans:
        inside[s.start:s.end] = b"\x01" * (s.end - s.start)
    abbrev = tuple(a.rstrip(".") for a in v.ADMIN_ABBREVIATIONS + v.CITY_ABBREVIATIONS)
    sentences, clauses, paragraphs = [], [], []
    for m in re.finditer(r"\n|[.!?…]+(?=\s|$)|;", text):
        if inside[m.start()]:
            continue
        end = m.end()
        if m.group() == "\n":
            paragraphs.append(end)
        elif m.group() == ".":
            word = re.search(r"(\S+)$", text[max(0, m.start() - 6):m.start()])
            if word and word.group(1) in abbrev:
                continue  # TP. outside a span
        if m.group() == ";":
            clauses.append(end)
            continue
        sentences.append(end)
        clauses.append(end)
    return sentences, clauses, paragraphs


def _segment(bounds: list[int], pos: int) -> tuple[int, int, int]:
    """``(index, start, end)`` of the segment of ``bounds`` that holds offset ``pos``."""
    i = bisect_right(bounds, pos)
    return i, bounds[i - 1] if i else 0, bounds[i] if i < len(bounds) else 1 << 60


@dataclass(frozen=True)
class _Subject:
    """A cluster mention (``mention`` its index) or a type word standing for clusters without a name."""

    start: int
    end: int
    mention: int | None
    type: str | None = None


def _subjects(text: str, mentions: Sequence[Span], spans: Sequence[Span]) -> list[_Subject]:
    out = [_Subject(m.start, m.end, i, split_cluster(m.text)[0]) for i, m in enumerate(mentions)]
    taken = bytearray(len(text))
    for s in spans:
        taken[s.start:s.end] = b"\x01" * (s.end - s.start)
    for m in type_word_re().finditer(text):
        if taken.find(1, m.start(), m.end()) < 0:
            out.append(_Subject(m.start(), m.end(), None, split_cluster(m.group())[0]))
    covered = {(s.start, s.end) for s in out}
    for m in _PLURAL_RE.finditer(text):  # "các khu", "mỗi cụm" without their type word
        if taken.find(1, m.start(), m.end()) < 0 and not any(a < m.end() and m.start() < b for a, b in covered):
            out.append(_Subject(m.start(), m.end(), None, _PLURAL_TYPE[m.group("w").lower()]))
    return sorted(out, key=lambda s: s.start)


# ------------------------------------------------------------------ figures

def qualifier_before(text: str, start: int) -> str | None:
    """The lexicon's qualifier word just before offset ``start`` (``khoảng`` in ``khoảng 1.952
    ha``), in lower case, or None."""
    m = _qualifier_re().search(text, max(0, start - 24), start)
    return m.group(1).lower() if m else None


@lru_cache(maxsize=1)
def _qualifier_re() -> re.Pattern:
    return re.compile(rf"(?:^|(?<=[\s(,:;]))((?i:{v.alternation(v.QUALIFIERS)}))\s+$")


def is_fill_rate(text: str, span: Span, clause: tuple[int, int], figures: Sequence[Span]) -> bool:
    """A PERCENT is a fill rate when a fill word stands before it in its clause (no other
    figure between), or ``diện tích ... cho thuê/lấp đầy`` follows it, or it is ``thu hút X%
    diện tích``."""
    lo = max(clause[0], span.start - _FILL_BEFORE)
    for other in figures:
        if other is not span and lo < other.end <= span.start:
            lo = other.end
    before = text[lo:span.start]
    after = text[span.end:min(clause[1], span.end + _FILL_AFTER)]
    if _FILL_BEFORE_RE.search(before) or _FILL_AFTER_RE.match(after):
        return True
    return bool(_ATTRACT_RE.search(before) and _AREA_AFTER_RE.match(after))


def _is_size(text: str, span: Span, start: int) -> bool:
    """An AREA that may be a cluster's size: at least :data:`MIN_CLUSTER_HA` and not in square
    metres, no word of leasing, selling, clearing, a phase or a building between ``start`` (its
    mention, or its sentence) and it, and no building right after it."""
    value = span.value
    return (bool(value) and value[1] >= MIN_CLUSTER_HA and not span.text.rstrip().endswith(_PLOT_UNITS)
            and not _NOT_SIZE_RE.search(text[start:span.start]) and not _NOT_SIZE_AFTER_RE.match(text[span.end:span.end + 40]))


def _in_brackets(text: str, start: int, end: int) -> bool:
    """Offset ``end`` stands inside a bracket opened after ``start``."""
    between = text[start:end]
    return between.count("(") > between.count(")")


def _coordinations(text: str, mentions: Sequence[Span]) -> list[list[int]]:
    """For each mention, the mentions of its list (``KCN A, B và KCN C``), itself alone when none."""
    out: list[list[int]] = []
    current: list[int] = []
    for i, m in enumerate(mentions):
        if current and _LIST_GAP_RE.match(text[mentions[current[-1]].end:m.start]):
            current.append(i)
        else:
            current = [i]
        out.append(current)
    return out


def _figure_subject(span: Span, subjects: list[_Subject], starts: list[int], sent: tuple[int, int, int],
                    clause: tuple[int, int], prev_sent: tuple[int, int] | None, figures: Sequence[Span],
                    lists: list[list[int]]) -> int | None:
    """The mention a figure belongs to (its index), or None."""
    i = bisect_right(starts, span.start) - 1
    before = [s for s in subjects[:i + 1][::-1] if s.end <= span.start and s.start >= sent[1]]
    if before:
        return before[0].mention
    after = next((s for s in subjects[i + 1:] if s.start >= span.end), None)
    if after is not None and after.mention is not None and after.start < clause[1] \
            and after.start - span.end <= _FORWARD and not any(span.end <= f.start < after.start for f in figures):
        return after.mention
    if prev_sent is not None:
        last = [s for s in subjects if prev_sent[0] <= s.start and s.end <= prev_sent[1]]
        if last and (last[-1].mention is None or len(lists[last[-1].mention]) == 1):
            return last[-1].mention  # the previous sentence's subject, unless a list of them
    return None


# ------------------------------------------------------------------ locations

def _linked_locations(text: str, mention: Span, ordered: Sequence[Span], clause_end: int) -> list[Span]:
    out: list[Span] = []
    pos, after_figure = mention.end, False
    for s in ordered:
        if s.start < mention.end:
            continue
        if s.start >= clause_end or s.start - mention.end > _LOCATION_REACH or s.label == "CLUSTER":
            break
        gap = text[pos:s.start]
        if s.label == "LOCATION":
            gap_re = _LOC_GAP_AFTER_SIZE_RE if after_figure else _LOC_GAP_RE
            if not gap_re.match(gap) or (after_figure and not _CONNECTIVE_RE.search(gap)):
                break
            out.append(s)
            after_figure = False
        elif s.label == "AREA" and _SIZE_GAP_RE.match(gap):
            after_figure = True  # the mention's own size: "..., diện tích 39,5 ha tại xã Tân Mỹ"
        else:
            break
        pos = s.end
    return out


def _province(locations: Sequence[Span], document: Counter) -> tuple[str | None, Span | None]:
    votes: Counter = Counter()
    rank: dict[str, tuple[int, int]] = {}
    first: dict[str, Span] = {}
    for loc in locations:
        p = resolve(loc.text, document)
        if p is None:
            continue
        votes[p] += 1
        level = 0 if names_province(loc.text) else 1
        rank[p] = min(rank.get(p, (9, 0)), (level, loc.start))
        first.setdefault(p, loc)
    if not votes:
        return None, None
    best = min(votes, key=lambda p: (-votes[p], rank[p][0], -document.get(p, 0), rank[p][1]))
    return best, first[best]


# ------------------------------------------------------------------ records

def build_records(text: str, spans: Sequence[Span]) -> list[ClusterRecord]:
    """One :class:`ClusterRecord` per distinct cluster among the CLUSTER ``spans`` of ``text``,
    with its places and figures linked from the other spans (see the module docstring).
    Spans whose text is not ``text[start:end]`` are refused."""
    for s in spans:
        if not (0 <= s.start <= s.end <= len(text)) or text[s.start:s.end] != s.text:
            raise ValueError(f"span [{s.start}, {s.end}) {s.label} {s.text!r} does not match the text")
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    mentions = [s for s in ordered if s.label == "CLUSTER"]
    if not mentions:
        return []
    sentences, clauses, paragraphs = _boundaries(text, ordered)
    subjects = _subjects(text, mentions, ordered)
    starts = [s.start for s in subjects]
    groups = _group(mentions, subjects, sentences)
    locations = [s for s in ordered if s.label == "LOCATION"]
    document = document_provinces(s.text for s in locations)
    first_named: dict[str, int] = {}
    for s in locations:
        if (p := resolve(s.text, document)) is not None:
            first_named.setdefault(p, s.start)

    links: dict[int, dict[str, list[Span]]] = {i: {"area_ha": [], "fill_rate": [], "locations": []}
                                              for i in range(len(mentions))}
    figures = [s for s in ordered if s.label in ("AREA", "PERCENT")]
    lists = _coordinations(text, mentions)
    last_fill: Span | None = None
    for f in figures:
        if f.value is None:
            continue
        _, cs, ce = _segment(clauses, f.start)
        if f.label == "PERCENT":
            chained = last_fill is not None and _SERIES_GAP_RE.match(text[last_fill.end:f.start])
            if not (chained or is_fill_rate(text, f, (cs, ce), figures)):
                continue  # "lấp đầy lần lượt 97,8% và 92%": the second one too
            last_fill = f
        sent = _segment(sentences, f.start)
        prev = _segment(sentences, sent[1] - 1) if sent[1] > 0 else None
        prev_sent = (prev[1], prev[2]) if prev and _segment(paragraphs, prev[1])[0] == \
            _segment(paragraphs, f.start)[0] else None
        m = _figure_subject(f, subjects, starts, sent, (cs, ce), prev_sent, figures, lists)
        if m is None:
            continue
        mention = mentions[m]
        from_ = max(mention.end, sent[1]) if mention.end <= f.start else cs
        if _AVERAGE_RE.search(text[from_:f.start]):
            continue  # "tỷ lệ lấp đầy bình quân 32%"
        if f.label == "PERCENT" and _PHASE_RE.search(text[from_:f.start]):
            continue  # "KCN A giai đoạn 1 đã lấp đầy 100%": the phase's, not the park's
        targets = [m]
        if mention.end <= f.start and not _in_brackets(text, mention.end, f.start) and len(lists[m]) > 1:
            if f.label == "AREA" or _TOTAL_RE.search(text, mention.end, f.start):
                continue  # "KCN A, B và C, tổng diện tích 1.500 ha(, lấp đầy 85%)": the list's together
            targets = lists[m]  # "KCN A và KCN B đã lấp đầy 100%": each of them
            turn = _RESPECTIVELY_RE.search(text, mention.end, f.start)
            if turn:  # "A và B đã lấp đầy lần lượt 97,8% và 92%": one each, in order
                series = [g for g in figures if turn.end() <= g.start <= f.start and g.label == f.label]
                if len(series) > len(targets):
                    continue
                targets = [targets[len(series) - 1]]
        if f.label == "AREA" and not _is_size(text, f, from_):
            continue
        for t in targets:
            links[t]["area_ha" if f.label == "AREA" else "fill_rate"].append(f)
    for i, mention in enumerate(mentions):
        links[i]["locations"] = _linked_locations(text, mention, ordered, _segment(clauses, mention.start)[2])

    records = []
    for n, members in enumerate(groups, 1):
        rec_links = {k: sorted({id(s): s for i in members for s in links[i][k]}.values(), key=lambda s: s.start)
                     for k in ("area_ha", "fill_rate", "locations")}
        typed = [t for i in members if (t := split_cluster(mentions[i].text)[0])]
        name_from = next((i for i in members if split_cluster(mentions[i].text)[0]), members[0])
        rec = ClusterRecord(name=split_cluster(mentions[name_from].text)[1],
                            type=typed[0] if typed else _context_type(mentions, members, subjects, sentences),
                            mentions=[(mentions[i].start, mentions[i].end) for i in members], id=f"c{n}")
        for kind in ("area_ha", "fill_rate"):
            if rec_links[kind]:
                f = rec_links[kind][0]
                setattr(rec, kind, f.value)
                rec.qualifier[kind] = qualifier_before(text, f.start)
                rec.evidence[kind] = (f.start, f.end)
        locs = rec_links["locations"]
        rec.locations = list(dict.fromkeys(s.text for s in locs))
        rec.evidence["locations"] = [(s.start, s.end) for s in locs]
        province, source = _province(locs, document)
        if province is None:
            province, source = _sentence_province(rec.mentions, locations, sentences, document)
            kind = "sentence"
        else:
            kind = "linked"
        if province is not None:
            rec.province, rec.province_source, rec.evidence["province"] = province, kind, (source.start, source.end)
        elif document:  # the most named, between equal counts the first named
            rec.province = min(document, key=lambda p: (-document[p], first_named.get(p, 1 << 60)))
            rec.province_source = "document"
        records.append(rec)
    return records


def _sentence_province(mentions: Sequence[tuple[int, int]], locations: Sequence[Span], sentences: list[int],
                       document: Counter) -> tuple[str | None, Span | None]:
    """The one province that the places before a mention in its sentence name (``Tại Bắc Giang,
    tỷ lệ lấp đầy của KCN Quang Châu ...``), for the first mention where there is one."""
    for start, _ in mentions:
        _, ss, _ = _segment(sentences, start)
        found = [(p, s) for s in locations if ss <= s.start and s.end <= start and (p := resolve(s.text, document))]
        if found and len({p for p, _ in found}) == 1:
            return found[-1]
    return None, None


def _context_type(mentions: Sequence[Span], members: list[int], subjects: list[_Subject],
                  sentences: list[int]) -> str | None:
    """The type of a cluster none of whose mentions writes one: the nearest type word before a
    mention in its sentence."""
    for i in members:
        t = _type_before(mentions[i], subjects, sentences)
        if t:
            return t
    return None


def _type_before(mention: Span, subjects: list[_Subject], sentences: list[int]) -> str | None:
    _, ss, _ = _segment(sentences, mention.start)
    before = [s for s in subjects if ss <= s.start and s.end <= mention.start and s.type]
    return before[-1].type if before else None


def _group(mentions: Sequence[Span], subjects: list[_Subject], sentences: list[int]) -> list[list[int]]:
    """Mention indices grouped into clusters, in order of first mention."""
    keys = [name_key(split_cluster(m.text)[1]) for m in mentions]
    explicit = [split_cluster(m.text)[0] for m in mentions]
    groups: dict[tuple[str, str | None], list[int]] = {}
    for i, t in enumerate(explicit):
        if t:
            groups.setdefault((keys[i], t), []).append(i)
    for i, t in enumerate(explicit):
        if t:
            continue
        context = _type_before(mentions[i], subjects, sentences)
        same_name = [g for g in groups if g[0] == keys[i] and g[1] is not None]
        if context and (keys[i], context) in groups:
            target = (keys[i], context)
        elif same_name:  # the nearest cluster of that name mentioned before it, else the first
            before = [g for g in same_name if min(groups[g]) < i]
            target = max(before, key=lambda g: max(j for j in groups[g] if j < i)) if before else same_name[0]
        else:
            target = (keys[i], context)
        groups.setdefault(target, []).append(i)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])


def rules_records(text: str) -> list[ClusterRecord]:
    """Records of ``text`` from the rules' spans (:func:`models.rules.extract`): no model needed."""
    from .rules import extract

    return build_records(text, extract(text))

"""Infer a submitting unit's province (所属省份) from its name, for a person to confirm.

The gazetteer is data/reference/places.csv (GB/T 2260; see data/reference/SOURCES.md). The
judgement is ours, in this order: central units, then 新疆生产建设兵团, then province names,
then prefecture and county names. When a name points to several provinces, or to none, the
guess says so in a note instead of guessing.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from etl.config import REFERENCE_DIR

PLACES_CSV = REFERENCE_DIR / "places.csv"

# (GB/T 2260 code prefix, short name, full name), in official order.
PROVINCES = (
    ("11", "北京", "北京市"),
    ("12", "天津", "天津市"),
    ("13", "河北", "河北省"),
    ("14", "山西", "山西省"),
    ("15", "内蒙古", "内蒙古自治区"),
    ("21", "辽宁", "辽宁省"),
    ("22", "吉林", "吉林省"),
    ("23", "黑龙江", "黑龙江省"),
    ("31", "上海", "上海市"),
    ("32", "江苏", "江苏省"),
    ("33", "浙江", "浙江省"),
    ("34", "安徽", "安徽省"),
    ("35", "福建", "福建省"),
    ("36", "江西", "江西省"),
    ("37", "山东", "山东省"),
    ("41", "河南", "河南省"),
    ("42", "湖北", "湖北省"),
    ("43", "湖南", "湖南省"),
    ("44", "广东", "广东省"),
    ("45", "广西", "广西壮族自治区"),
    ("46", "海南", "海南省"),
    ("50", "重庆", "重庆市"),
    ("51", "四川", "四川省"),
    ("52", "贵州", "贵州省"),
    ("53", "云南", "云南省"),
    ("54", "西藏", "西藏自治区"),
    ("61", "陕西", "陕西省"),
    ("62", "甘肃", "甘肃省"),
    ("63", "青海", "青海省"),
    ("64", "宁夏", "宁夏回族自治区"),
    ("65", "新疆", "新疆维吾尔自治区"),
)
BINGTUAN = "新疆生产建设兵团"
CENTRAL = "中央单位"
PROVINCE_ORDER = {short: i for i, short in enumerate([p[1] for p in PROVINCES] + [BINGTUAN])}
PROVINCE_ALIASES = {"内蒙": "内蒙古"}

# Central units submit directly (PROGRAMME.md). 总台 alone only as a prefix: 苏州广播电视总台
# and 海南广播电视总台 are provincial and city broadcasters.
CENTRAL_ANYWHERE = (
    "中央广播电视总台",
    "中央电视台",
    "中央人民广播电台",
    "中国国际广播电台",
    "中国国际电视台",
    "电影频道节目中心",
    "中国教育电视台",
    "国家广播电视总局",
    "广电总局",
    "中国广播电视社会组织联合会",
    "中国国际电视总公司",
)
CENTRAL_PREFIXES = ("总台", "央视", "央广")

# 兵团 is its own provincial-level submitter, never part of 新疆. GB/T 2260 lists its cities
# (石河子, 五家渠 …) under 新疆 as directly administered county-level cities, code 6590xx.
BINGTUAN_ANYWHERE = ("新疆生产建设兵团", "生产建设兵团", "新疆兵团")
BINGTUAN_PREFIXES = ("兵团",)
BINGTUAN_DIVISION = re.compile(r"^第[0-9一二三四五六七八九十]+师")
BINGTUAN_CITY_CODE = "6590"

# Short names (suffix stripped) that are also everyday words, slogans or well-known brands at
# the start of unit names: 东方卫视, 光明日报, 新华社, 红星新闻, 金山软件, 阿里巴巴, 华龙网, 南海网,
# 解放日报, 长安网 … or that follow a place name as another word (宜春市公安局). They never
# count in short form; written in full (东方市, 光明区, 公安县) they still do. Every entry is a
# real short name in places.csv (tested), so the list cannot rot silently.
GENERIC_SHORT_NAMES = frozenset(
    {
        "东方", "光明", "新华", "红星", "金山", "阿里", "新民", "华龙", "南海", "解放", "江南",
        "金台", "长安", "公安", "和平", "城关", "永和", "平安", "太平", "安定", "振兴", "复兴",
        "友好", "友谊", "前进", "向阳", "红旗", "工农", "爱民", "宏伟", "东风", "新兴", "新城",
        "新市", "港口", "运河", "站前", "城中", "市中", "城东", "城西", "城北", "城厢", "市北",
        "市南", "西市", "新星", "白杨", "双河",
    }
)  # fmt: skip

NOTE_UNKNOWN = "单位名称中未找到地名，请人工确认所属省份"


@dataclass(frozen=True)
class PlaceGuess:
    province: str | None  # province short name, 新疆生产建设兵团 or 中央单位; None when not placed
    status: str  # province | place | central | ambiguous | unknown
    place: str | None  # the words in the name that decided it, e.g. "温岭市"
    note: str  # a Chinese sentence for the person who checks it


@dataclass(frozen=True)
class _Place:
    name: str
    province: str
    prefecture: str  # the parent prefecture's short name; the province for a municipality
    level: str  # prefecture | county


@dataclass(frozen=True)
class _Form:
    """One way a province or a place is written: 浙江省, 浙江, 温岭市, 温岭 …"""

    province: str | None  # set when the form names a province
    places: tuple[_Place, ...]
    anywhere: bool  # False: counts only at the start, or right after another counted form


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    form: _Form

    @property
    def provinces(self) -> frozenset[str]:
        if self.form.province:
            return frozenset({self.form.province})
        return frozenset(p.province for p in self.form.places)


def infer_province(unit_name: str) -> PlaceGuess:
    """Guess the province of a unit from its name; see the module docstring for the rules."""
    return _infer(normalise(unit_name))


def normalise(text: str) -> str:
    """Full-width to half-width (NFKC), whitespace removed."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


@lru_cache(maxsize=65536)
def _infer(text: str) -> PlaceGuess:
    central = _central(text)
    if central:
        return central
    tokens = _counted(_scan(text, _index()))
    return (
        _bingtuan(text, tokens)
        or _by_province(tokens)
        or _by_place(tokens)
        or PlaceGuess(None, "unknown", None, NOTE_UNKNOWN)
    )


def _central(text: str) -> PlaceGuess | None:
    found = next((c for c in CENTRAL_ANYWHERE if c in text), None)
    found = found or next((c for c in CENTRAL_PREFIXES if text.startswith(c)), None)
    if found is None:
        return None
    return PlaceGuess(CENTRAL, "central", found, f"单位名称中的“{found}”属于中央单位")


def _bingtuan(text: str, tokens: list[_Token]) -> PlaceGuess | None:
    named = next((b for b in BINGTUAN_ANYWHERE if b in text), None)
    named = named or next((b for b in BINGTUAN_PREFIXES if text.startswith(b)), None)
    division = BINGTUAN_DIVISION.match(text)
    named = named or (division.group() if division else None)
    if named:
        return PlaceGuess(BINGTUAN, "province", named, f"单位名称中的“{named}”属于{BINGTUAN}")
    city = next((t for t in tokens if t.provinces == {BINGTUAN}), None)
    if city is None:
        return None
    note = f"单位名称中的“{city.text}”是兵团城市，属于{BINGTUAN}"
    return PlaceGuess(BINGTUAN, "place", city.text, note)


def _by_province(tokens: list[_Token]) -> PlaceGuess | None:
    named = [t for t in tokens if t.form.province]
    provinces = _ordered({t.form.province for t in named})
    if not provinces:
        return None
    if len(provinces) > 1:
        note = f"单位名称中出现多个省份（{'、'.join(provinces)}），请人工确认所属省份"
        return PlaceGuess(None, "ambiguous", named[0].text, note)
    province = provinces[0]
    elsewhere = [t for t in tokens if not t.form.province and province not in t.provinces]
    if elsewhere:
        other = elsewhere[0]
        note = (
            f"单位名称中的省份“{named[0].text}”与地名“{other.text}”"
            f"（{'、'.join(_ordered(other.provinces))}）不一致，请人工确认所属省份"
        )
        return PlaceGuess(None, "ambiguous", other.text, note)
    note = f"根据单位名称中的省份名称“{named[0].text}”推断"
    return PlaceGuess(province, "province", named[0].text, note)


def _by_place(tokens: list[_Token]) -> PlaceGuess | None:
    if not tokens:
        return None
    common = frozenset.intersection(*(t.provinces for t in tokens))
    if len(common) == 1:
        (province,) = common
        decider = next((t for t in tokens if t.provinces == common), tokens[-1])
        note = f"根据单位名称中的地名“{decider.text}”（{_where(decider, province)}）推断"
        return PlaceGuess(province, "place", decider.text, note)
    texts = "、".join(f"“{t.text}”" for t in tokens)
    provinces = "、".join(_ordered(common or frozenset().union(*(t.provinces for t in tokens))))
    if common:
        note = f"单位名称中的{texts}对应多个省份（{provinces}），请人工确认所属省份"
    else:
        note = f"单位名称中的{texts}分属不同省份（{provinces}），请人工确认所属省份"
    return PlaceGuess(None, "ambiguous", tokens[0].text, note)


def _where(token: _Token, province: str) -> str:
    prefectures = {p.prefecture for p in token.form.places if p.province == province}
    prefecture = prefectures.pop() if len(prefectures) == 1 else ""
    return f"{province}·{prefecture}" if prefecture and prefecture != province else province


def _ordered(provinces: set[str] | frozenset[str]) -> list[str]:
    return sorted(provinces, key=lambda p: PROVINCE_ORDER.get(p, len(PROVINCE_ORDER)))


def _scan(text: str, index: dict[str, _Form]) -> list[_Token]:
    """Leftmost-longest matches: 青海海南州 reads 青海 + 海南州, never 海南.

    No match may end right before 级: in 河南县级 or 湖南县级 the 县 belongs to 县级, so the
    names are 河南 and 湖南, not 河南县 (青海) or 南县.
    """
    lengths = _lengths()
    tokens, i = [], 0
    while i < len(text):
        for n in lengths:
            form = index.get(text[i : i + n])
            if form is not None and text[i + n : i + n + 1] != "级":
                tokens.append(_Token(i, i + n, text[i : i + n], form))
                i += n
                break
        else:
            i += 1
    return tokens


def _counted(tokens: list[_Token]) -> list[_Token]:
    """Keep full names anywhere; short names only at the start or right after a counted one.

    A short name in mid-text is too often part of another word (振兴 in 乡村振兴, 平安 in
    平安建设, 深圳 in 深圳卫视 of a company elsewhere); right after 江西 or 苏州 (江西宜春,
    苏州吴江) it is a place.
    """
    counted: list[_Token] = []
    for token in tokens:
        follows = token.start == 0 or bool(counted) and counted[-1].end == token.start
        if token.form.anywhere or follows:
            counted.append(token)
    return counted


@lru_cache(maxsize=1)
def _lengths() -> tuple[int, ...]:
    return tuple(sorted({len(k) for k in _index()}, reverse=True))


@lru_cache(maxsize=1)
def _index() -> dict[str, _Form]:
    """Every way of writing a province or a place, to the form it stands for."""
    index = {}
    for _, short, full in PROVINCES:
        index[short] = index[full] = _Form(short, (), True)
    for alias, short in PROVINCE_ALIASES.items():
        index[alias] = _Form(short, (), True)
    places: dict[str, list[_Place]] = {}
    anywhere: dict[str, bool] = {}
    for row in _read_places():
        place = _Place(row["name"], _province(row), row["prefecture"], row["level"])
        for text, full in _spellings(row):
            if text not in index:  # 海南 and 河南 are provinces before they are places in 青海
                places.setdefault(text, []).append(place)
                anywhere[text] = anywhere.get(text, False) or full
    for text, found in places.items():
        found = found if anywhere[text] else _prefer_prefecture(found)
        index[text] = _Form(None, tuple(found), anywhere[text])
    return index


def _spellings(row: dict[str, str]) -> list[tuple[str, bool]]:
    """(text, counts anywhere) pairs for one gazetteer row: 温岭市, 温岭; 海南藏族自治州, 海南州.

    Autonomous prefectures, counties and banners are usually written that way: 恩施州, 长阳县,
    鄂伦春旗; and 海南州 or 河南县 (青海) must beat the provinces 海南 and 河南.

    A one-character stem with its suffix (南县, 城区) is as risky as a short name, so it needs a
    position too.
    """
    name, short = row["name"], row["short_name"]
    spellings = [(name, len(name) > 2)]
    if short and short not in GENERIC_SHORT_NAMES:
        spellings.append((short, False))
    for autonomous in ("自治州", "自治县", "自治旗"):
        if short and name.endswith(autonomous):
            spellings.append((short + autonomous[-1], True))
    return spellings


def _prefer_prefecture(places: list[_Place]) -> list[_Place]:
    """A short name of one prefecture wins over same-named districts in other provinces.

    西安 is 西安市 (陕西), not 西安区 of 辽源 or 牡丹江; 中山 is 中山市, not 大连's 中山区. A county
    or a district of a municipality keeps it ambiguous: 朝阳 may be 北京's 朝阳区, and 甘南 may
    be 黑龙江's 甘南县.
    """
    provinces = {p.province for p in places if p.level == "prefecture"}
    if len(provinces) != 1:
        return places
    others = [p for p in places if p.province not in provinces]
    if all(p.name.endswith("区") and p.prefecture != p.province for p in others):
        return [p for p in places if p.province in provinces]
    return places


def _province(row: dict[str, str]) -> str:
    return BINGTUAN if row["adcode"].startswith(BINGTUAN_CITY_CODE) else row["province"]


def _read_places() -> list[dict[str, str]]:
    with PLACES_CSV.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))

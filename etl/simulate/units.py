"""The simulated world's units: a stable pool of submitting units, every year drawn from it.

Units are built from the gazetteer (data/reference/places.csv) and kept only when
etl.reference.places.infer_province places the name in the intended province without doubt, so the
demo's province inference has real work to do and no surprises; the few companies with no
place in their name are deliberate (PROGRAMME.md: flag them for a person).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

import numpy as np

from etl.reference.places import PLACES_CSV, infer_province

BINGTUAN = "新疆生产建设兵团"
CENTRAL = "中央单位"
MUNICIPALITIES = ("北京", "天津", "上海", "重庆")

# Relative participation by province: east-heavy, every province present (PROGRAMME.md).
PROVINCE_WEIGHT = {
    "北京": 8, "天津": 3, "河北": 5, "山西": 3, "内蒙古": 3, "辽宁": 4, "吉林": 3, "黑龙江": 3,
    "上海": 7, "江苏": 10, "浙江": 10, "安徽": 6, "福建": 6, "江西": 5, "山东": 9, "河南": 6,
    "湖北": 6, "湖南": 8, "广东": 9, "广西": 4, "海南": 2, "重庆": 5, "四川": 8, "贵州": 4,
    "云南": 4, "西藏": 1, "陕西": 5, "甘肃": 3, "青海": 1.5, "宁夏": 1.5, "新疆": 3, BINGTUAN: 1,
}  # fmt: skip
# Companies cluster where the technology firms are.
COMPANY_WEIGHT = {"北京": 14, "上海": 8, "广东": 8, "浙江": 8, "江苏": 5, "四川": 3, "湖南": 3}

# The gazetteer also keeps former names, so that old unit names still place: a county-level
# city that became a district (临安市 → 临安区) is dropped for its district; counties founded
# after the programme began would be anachronisms in 2019.
NEWER_THAN_2019 = frozenset({"和康县", "和安县"})
POOL_SIZE = {"county": 430, "city": 180, "company": 36}

# 兵团 divisions and their cities (师市合一), written as the 兵团's own units write them.
BINGTUAN_CITIES = (
    ("第八师", "石河子市"), ("第一师", "阿拉尔市"), ("第三师", "图木舒克市"),
    ("第六师", "五家渠市"), ("第十师", "北屯市"), ("第二师", "铁门关市"),
    ("第五师", "双河市"), ("第四师", "可克达拉市"), ("第十四师", "昆玉市"),
)  # fmt: skip
PROVINCIAL_BROADCASTER = {
    "浙江": "浙江广播电视集团",
    "江苏": "江苏省广播电视总台",
    "海南": "海南广播电视总台",
    BINGTUAN: "新疆生产建设兵团广播电视台",
}
CENTRAL_UNITS = (
    ("中央广播电视总台", "广播电视台", "总台"),
    ("中央广播电视总台央视新闻", "广播电视台", "央视"),
    ("中央广播电视总台央视频", "广播电视台", "央视"),
    ("中央广播电视总台中国之声", "广播电视台", "央广"),
    ("中央广播电视总台云听", "广播电视台", "云听"),
    ("中央广播电视总台CGTN", "广播电视台", "总台"),
    ("中国教育电视台", "广播电视台", "中教"),
    ("电影频道节目中心", "其他", "电影"),
    ("国家广播电视总局广播电视规划院", "其他", "广电"),
    ("国家广播电视总局广播电视科学研究院", "其他", "广科"),
    ("国家广播电视总局监管中心", "其他", "广电"),
)
COMPANY_WORDS = (
    "数智", "云视", "智媒", "融创", "视联", "星河", "天枢", "拓维", "云图", "博观",
    "睿视", "慧听", "云帆", "华视", "汇播", "映像", "极目", "声动", "芯视", "融智",
)  # fmt: skip
COMPANY_SUFFIXES = (
    "科技有限公司",
    "信息技术有限公司",
    "网络科技有限公司",
    "文化传媒有限公司",
    "数字科技股份有限公司",
)
# The units that published_items.csv names, with what the lists do not say (type, level), and a
# stem for brand names. 中广天择 (长沙) has no place in its name: its bureau is 湖南's.
REAL_UNITS = (
    ("苏州广播电视总台", "广播电视台", "地市级", "city", "江苏", "苏州"),
    ("无锡广播电视集团", "广播电视台", "地市级", "city", "江苏", "无锡"),
    ("宜春市广播电视台", "广播电视台", "地市级", "city", "江西", "宜春"),
    ("安吉新闻集团", "融媒体中心", "县级", "county", "浙江", "安吉"),
    ("尤溪县融媒体中心", "融媒体中心", "县级", "county", "福建", "尤溪"),
    ("赤壁市融媒体中心", "融媒体中心", "县级", "county", "湖北", "赤壁"),
    ("温岭市融媒体中心", "融媒体中心", "县级", "county", "浙江", "温岭"),
    ("中央广播电视总台新闻新媒体中心", "广播电视台", "中央", "central", CENTRAL, "总台"),
    ("中央广播电视总台视听新媒体中心", "广播电视台", "中央", "central", CENTRAL, "央视频"),
    ("河南广播电视台大象新闻中心", "广播电视台", "省级", "provincial", "河南", "大象"),
    ("北京广播电视台融媒体中心", "融媒体中心", "省级", "provincial", "北京", "北京时间"),
    ("福建省广播影视集团融媒体资讯中心", "广播电视台", "省级", "provincial", "福建", "海博"),
    ("上海东方龙新媒体有限公司", "企业", "省级", "company", "上海", "百视"),
    ("湖南芒果无际科技有限公司", "企业", "省级", "company", "湖南", "芒果"),
    ("中广天择传媒股份有限公司", "企业", "省级", "company", "湖南", "天择"),
)
# The same units under the names a published list gives them in its year, or a reader knows.
REAL_WRITTEN_AS = (
    ("浙江广播电视集团", 2021, "浙江广电集团"),
    ("安吉新闻集团", 2019, "浙江安吉新闻集团"),
    ("安吉新闻集团", 2024, "安吉县融媒体中心"),  # its official name: a person must say so
    ("尤溪县融媒体中心", 2019, "福建尤溪县融媒体中心"),
    ("赤壁市融媒体中心", 2019, "湖北赤壁市融媒体中心"),
    ("陕西广电网络股份有限公司", 2019, "陕西广电网络"),
)
# Simulated histories (the registry's planted truth): county 广播电视台 renamed 融媒体中心 in the
# 2018–2020 reform; own-place prefixes written or dropped; 广电 for 广播电视; 融媒中心 for short.
RENAMES, PREFIXED, SHORTENED = 36, 16, 10

# No place in the name at all: infer_province must answer "unknown" (PROGRAMME.md).
PLACELESS_COMPANIES = (
    ("数智视听科技有限公司", "北京"),
    ("融媒云科技股份有限公司", "上海"),
    ("天枢智媒信息技术有限公司", "广东"),
    ("声动互联网络科技有限公司", "浙江"),
    ("极目视听文化传媒有限公司", "北京"),
)


@dataclass(frozen=True)
class Unit:
    key: int
    name: str
    unit_type: str  # 广播电视台 / 融媒体中心 / 广电网络公司 / 企业 / 其他
    level: str  # 中央 / 省级 / 地市级 / 县级
    kind: str  # central | provincial | city | county | company: who it is, for the mix
    province: str
    stem: str  # a short word to build brand names from: 温岭, 杭州, 湖南, 央视
    activity: float  # how keen it is to submit, year after year
    quality: float  # how good its work is, persistently
    trend: float  # how that quality moves per year
    written_as: tuple[tuple[int, str, str], ...] = ()  # (year, name, type) where it differs

    def written(self, year: int) -> tuple[str, str]:
        """The name and type the unit writes in `year`: a rename or a variant, else its own."""
        for when, name, unit_type in self.written_as:
            if when == year:
                return name, unit_type
        return self.name, self.unit_type


@dataclass(frozen=True)
class _Candidate:
    name: str
    unit_type: str
    level: str
    kind: str
    province: str
    stem: str


def unit_pool(seed: int, scale: int = 1) -> tuple[Unit, ...]:
    """The stable pool of units every year draws from; `scale` copies it (names numbered)."""
    rng = np.random.default_rng([seed, 1])
    base = _base_candidates(seed)
    histories = unit_histories(base, seed)
    units = []
    for copy in range(scale):
        tag = "" if copy == 0 else f"·{copy + 1}"
        for cand in base:
            written = tuple((y, f"{n}{tag}", t) for y, n, t in histories.get(cand.name, ()))
            units.append(_unit(len(units), cand, f"{cand.name}{tag}", written, rng))
    return tuple(units)


def _unit(key: int, cand: _Candidate, name: str, written: tuple, rng: np.random.Generator) -> Unit:
    activity, quality, trend = rng.lognormal(0, 0.5), rng.normal(0, 0.6), rng.normal(0, 0.12)
    return Unit(key, name, cand.unit_type, cand.level, cand.kind, cand.province, cand.stem,
                float(activity), float(quality), float(trend), written)  # fmt: skip


@cache
def _base_candidates(seed: int) -> tuple[_Candidate, ...]:
    rng = np.random.default_rng([seed, 0])
    places = _places()
    real = _real()
    local = [c for c in real if c.kind in ("county", "city")]  # a place has one such unit
    taken = {(c.kind, c.province, c.stem) for c in local} | {c.name for c in real}
    generated = (
        *_central(),
        *_provincial(),
        *_cities(places, rng),
        *_counties(places, rng),
        *_bingtuan_cities(),
        *_companies(places, rng),
    )
    return (*real, *(c for c in generated if not {(c.kind, c.province, c.stem), c.name} & taken))


def _real() -> list[_Candidate]:
    """The units of the published lists, as themselves (they replace a generated namesake)."""
    return [
        _Candidate(*row) for row in REAL_UNITS if _placed(row[0], row[4]) or row[3] == "company"
    ]


def _places() -> list[dict[str, str]]:
    """Gazetteer rows a unit of 2019–2025 could carry in its name (兵团 cities come apart)."""
    with PLACES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    districts = {(r["prefecture"], r["short_name"]) for r in rows if r["name"].endswith("区")}
    return [
        r
        for r in rows
        if not r["adcode"].startswith("6590")
        and r["name"] not in NEWER_THAN_2019
        and not (r["name"][-1] in "市县" and (r["prefecture"], r["short_name"]) in districts)
        and _gbk_safe(r["name"])
    ]


def _gbk_safe(text: str) -> bool:
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def _placed(name: str, province: str) -> bool:
    """True when infer_province puts the name in `province` without doubt."""
    guess = infer_province(name)
    return guess.province == province and guess.status in ("province", "place", "central")


def _central() -> list[_Candidate]:
    return [
        _Candidate(name, kind, "中央", "central", CENTRAL, stem)
        for name, kind, stem in CENTRAL_UNITS
        if _placed(name, CENTRAL)
    ]


def _provincial() -> list[_Candidate]:
    found = []
    for province in PROVINCE_WEIGHT:
        station = PROVINCIAL_BROADCASTER.get(province, f"{province}广播电视台")
        stem = "兵团" if province == BINGTUAN else province
        found.append(_Candidate(station, "广播电视台", "省级", "provincial", province, stem))
        if province != BINGTUAN:
            network = f"{province}广电网络股份有限公司"
            found.append(_Candidate(network, "广电网络公司", "省级", "provincial", province, stem))
    return [c for c in found if _placed(c.name, c.province)]


def _share(total: int, weights: dict[str, float], available: dict[str, int]) -> dict[str, int]:
    """Split `total` over provinces by weight, at least one each, never more than available."""
    mass = sum(weights[p] for p in available)
    return {p: min(n, max(1, round(total * weights[p] / mass))) for p, n in available.items()}


def _full_prefecture(places: list[dict[str, str]]) -> dict[tuple[str, str], str]:
    """(province, prefecture short name) -> the name a unit would write: 杭州市, 黔东南州."""
    table = {}
    for row in places:
        if row["level"] == "prefecture":
            name = row["name"]
            if name.endswith("自治州"):
                name = row["short_name"] + "州"
            table[(row["province"], row["short_name"])] = name
    for province in MUNICIPALITIES:
        table[(province, province)] = f"{province}市"
    return table


def _cities(places: list[dict[str, str]], rng: np.random.Generator) -> list[_Candidate]:
    full = _full_prefecture(places)
    by_province: dict[str, list[dict[str, str]]] = {}
    for row in places:
        if row["level"] == "prefecture" and row["province"] not in MUNICIPALITIES:
            by_province.setdefault(row["province"], []).append(row)
    counts = _share(POOL_SIZE["city"], PROVINCE_WEIGHT, {p: len(r) for p, r in by_province.items()})
    found = []
    for province, rows in by_province.items():
        for i in rng.permutation(len(rows))[: counts[province]]:
            row = rows[int(i)]
            forms = _city_names(full[(province, row["short_name"])], row)
            found += _first_placed([forms[int(j)] for j in rng.permutation(len(forms))])
    return found


def _city_names(full: str, row: dict[str, str]) -> list[_Candidate]:
    short, province = row["short_name"], row["province"]
    forms = (
        (f"{full}广播电视台", "广播电视台"),
        (f"{full}融媒体中心", "融媒体中心"),
        (f"{short}广播电视总台", "广播电视台"),
        (f"{full}广播电视总台", "广播电视台"),
    )
    return [_Candidate(n, t, "地市级", "city", province, short) for n, t in forms]


def _first_placed(options: list[_Candidate]) -> list[_Candidate]:
    """The first of the options, in order of preference, that infer_province places."""
    chosen = next((o for o in options if _placed(o.name, o.province)), None)
    return [chosen] if chosen else []


def _counties(places: list[dict[str, str]], rng: np.random.Generator) -> list[_Candidate]:
    full = _full_prefecture(places)
    by_province: dict[str, list[dict[str, str]]] = {}
    for row in places:
        if row["level"] == "county" and row["short_name"]:
            by_province.setdefault(row["province"], []).append(row)
    counts = _share(
        POOL_SIZE["county"], PROVINCE_WEIGHT, {p: len(r) for p, r in by_province.items()}
    )
    found = []
    for province, rows in by_province.items():
        for i in rng.permutation(len(rows))[: counts[province]]:
            found += _first_placed(_county_names(rows[int(i)], full, rng))
    return found


def _county_names(
    row: dict[str, str], full: dict[tuple[str, str], str], rng: np.random.Generator
) -> list[_Candidate]:
    name, province = row["name"], row["province"]
    prefecture = full.get((province, row["prefecture"]), "")
    suffix, kind = _county_suffix(rng)
    plain, in_city = f"{name}{suffix}", f"{prefecture}{name}{suffix}"
    in_province = f"{province}{name}{suffix}"
    if name.endswith("区") or province in MUNICIPALITIES:
        forms = [in_city, in_province]  # 杭州市萧山区…, 重庆市巫山县…: a district needs its city
    else:  # 温岭市融媒体中心 mostly; 福建尤溪县… and 湖州市安吉县… now and then
        forms = _one_of(rng, [plain, in_city, in_province], [in_province, plain, in_city],
                        [in_city, plain, in_province], p=(0.6, 0.2, 0.2))  # fmt: skip
    return [_Candidate(f, kind, "县级", "county", province, row["short_name"]) for f in forms]


def _one_of(rng: np.random.Generator, *options: list[str], p: tuple[float, ...]) -> list[str]:
    return options[int(rng.choice(len(options), p=p))]


def _county_suffix(rng: np.random.Generator) -> tuple[str, str]:
    draw = rng.random()
    if draw < 0.86:
        return "融媒体中心", "融媒体中心"
    if draw < 0.94:
        return "新闻传媒中心", "融媒体中心"
    return "广播电视台", "广播电视台"


def _bingtuan_cities() -> list[_Candidate]:
    return [
        _Candidate(
            f"{BINGTUAN}{division}{city}融媒体中心",
            "融媒体中心",
            "地市级",
            "city",
            BINGTUAN,
            city.removesuffix("市"),
        )  # fmt: skip
        for division, city in BINGTUAN_CITIES
    ]


def _companies(places: list[dict[str, str]], rng: np.random.Generator) -> list[_Candidate]:
    capitals: dict[str, dict[str, str]] = {}
    for row in places:
        if row["level"] == "prefecture":
            capitals.setdefault(row["province"], row)  # the first prefecture is the capital
    weights = {p: COMPANY_WEIGHT.get(p, PROVINCE_WEIGHT[p] / 3) for p in PROVINCE_WEIGHT}
    provinces = [p for p in PROVINCE_WEIGHT if p != BINGTUAN]
    p = np.array([weights[x] for x in provinces]) / sum(weights[x] for x in provinces)
    found, names = [], set()
    while len(found) < POOL_SIZE["company"]:
        province = provinces[int(rng.choice(len(provinces), p=p))]
        city = province if province in MUNICIPALITIES else capitals[province]["short_name"]
        word = COMPANY_WORDS[int(rng.integers(len(COMPANY_WORDS)))]
        name = f"{city}{word}{COMPANY_SUFFIXES[int(rng.integers(len(COMPANY_SUFFIXES)))]}"
        if name not in names and _placed(name, province):
            names.add(name)
            found.append(_Candidate(name, "企业", "地市级", "company", province, city))
    return found + [
        _Candidate(name, "企业", "省级", "company", province, name[:2])
        for name, province in PLACELESS_COMPANIES
        if infer_province(name).status == "unknown"
    ]


def unit_histories(
    base: tuple[_Candidate, ...], seed: int
) -> dict[str, tuple[tuple[int, str, str], ...]]:
    """name → the (year, name, type) a unit writes where that differs from its own name.

    Every variant still places in the unit's province and is nobody else's name, so it is the
    registry's job, not the reader's, to see that they are one unit.
    """
    rng = np.random.default_rng([seed, 2])
    names = {c.name for c in base}
    found: dict[str, list[tuple[int, str, str]]] = {}
    for unit, year, written in REAL_WRITTEN_AS:
        found.setdefault(unit, []).append((year, written, _type_of(unit, base)))
    for cand, variant, years in _variants(base, rng):
        if variant not in names and _placed(variant, cand.province) and cand.name not in found:
            names.add(variant)
            found[cand.name] = [(y, variant, _variant_type(cand, variant)) for y in years]
    return {name: tuple(rows) for name, rows in found.items()}


def _type_of(name: str, base: tuple[_Candidate, ...]) -> str:
    return next(c.unit_type for c in base if c.name == name)


def _variant_type(cand: _Candidate, variant: str) -> str:
    return "广播电视台" if variant.endswith("广播电视台") else cand.unit_type


def _variants(
    base: tuple[_Candidate, ...], rng: np.random.Generator
) -> list[tuple[_Candidate, str, tuple[int, ...]]]:
    """(unit, the other name, the years it writes it), drawn from the generated pool."""
    real = {row[0] for row in REAL_UNITS}
    counties = [c for c in base if c.kind == "county" and c.name not in real]
    centres = [c for c in counties if c.name.endswith("融媒体中心")]
    broadcasters = [c for c in base if c.kind in ("provincial", "city") and "广播电视" in c.name]
    order = [int(i) for i in rng.permutation(len(centres))]
    renamed = [centres[i] for i in order[:RENAMES]]
    shortened = [centres[i] for i in order[RENAMES : RENAMES + SHORTENED]]
    prefixed = [counties[int(i)] for i in rng.permutation(len(counties))[:PREFIXED]]
    out = []
    for c in renamed:  # 广播电视台 until the reform year, 融媒体中心 from then on
        reform = int(rng.choice((2020, 2021, 2022)))
        out.append((c, c.name.replace("融媒体中心", "广播电视台"), tuple(range(2019, reform))))
    for c in shortened:
        out.append((c, c.name.replace("融媒体中心", "融媒中心"), (int(rng.integers(2019, 2026)),)))
    for c in prefixed:
        out.append(
            (c, _other_prefix(c), tuple(sorted({int(y) for y in rng.integers(2019, 2026, 2)})))
        )
    for i in rng.permutation(len(broadcasters))[:8]:
        c = broadcasters[int(i)]
        out.append((c, c.name.replace("广播电视", "广电", 1), (int(rng.integers(2019, 2026)),)))
    return out


def _other_prefix(c: _Candidate) -> str:
    """温岭市融媒体中心 ↔ 浙江温岭市融媒体中心: the province written in front, or left out."""
    if c.province in MUNICIPALITIES:
        return ""  # 重庆市巫山县…: the municipality is part of the name, not a prefix
    if c.name.startswith(c.province):
        return c.name.removeprefix(c.province)
    return f"{c.province}{c.name}"

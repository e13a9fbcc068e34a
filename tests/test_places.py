"""Province inference from unit names, and the gazetteer behind it."""

from __future__ import annotations

import csv
import importlib.util
from collections import Counter

import pytest

from etl.reference.places import (
    BINGTUAN,
    GENERIC_SHORT_NAMES,
    PLACES_CSV,
    PROVINCES,
    PlaceGuess,
    infer_province,
)

PROVINCE_NAMES = {short for _, short, _ in PROVINCES}


def _load_build_script():
    path = PLACES_CSV.parent / "build_places.py"
    spec = importlib.util.spec_from_file_location("build_places", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_places = _load_build_script()


@pytest.fixture(scope="module")
def places() -> list[dict[str, str]]:
    with PLACES_CSV.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize(
    ("unit_name", "province", "status"),
    [
        # the programme's published winners
        ("宜春市广播电视台", "江西", "place"),
        ("温岭市融媒体中心", "浙江", "place"),
        ("湖南广播电视台", "湖南", "province"),
        ("浙江安吉新闻集团", "浙江", "province"),
        ("安吉县融媒体中心", "浙江", "place"),
        ("福建尤溪县融媒体中心", "福建", "province"),
        ("湖北赤壁市融媒体中心", "湖北", "province"),
        ("苏州广播电视总台", "江苏", "place"),
        ("邳州市融媒体中心", "江苏", "place"),
        # a name shared by provinces, unless the text settles it
        ("朝阳区融媒体中心", None, "ambiguous"),
        ("通州区融媒体中心", None, "ambiguous"),
        ("朝阳融媒体中心", None, "ambiguous"),
        ("鼓楼区融媒体中心", None, "ambiguous"),
        ("北京市朝阳区融媒体中心", "北京", "province"),
        ("南通市通州区融媒体中心", "江苏", "place"),
        ("南京市鼓楼区融媒体中心", "江苏", "place"),
        ("朝阳市融媒体中心", "辽宁", "place"),
        # a prefecture's short name beats a district elsewhere
        ("西安广播电视台", "陕西", "place"),
        ("中山广播电视台", "广东", "place"),
        ("大同广播电视台", "山西", "place"),
        # central units
        ("中央广播电视总台", "中央单位", "central"),
        ("中央广播电视总台央视新闻", "中央单位", "central"),
        ("总台央视新闻", "中央单位", "central"),
        ("央视网", "中央单位", "central"),
        ("中国教育电视台", "中央单位", "central"),
        ("电影频道节目中心", "中央单位", "central"),
        ("国家广播电视总局广播电视规划院", "中央单位", "central"),
        ("国家广播电视总局监管中心", "中央单位", "central"),
        ("中国广播电视社会组织联合会", "中央单位", "central"),
        ("中国国际电视总公司", "中央单位", "central"),
        # 兵团, never 新疆
        ("新疆生产建设兵团第八师石河子市融媒体中心", BINGTUAN, "province"),
        ("第八师石河子市融媒体中心", BINGTUAN, "province"),
        ("兵团日报社", BINGTUAN, "province"),
        ("石河子市融媒体中心", BINGTUAN, "place"),
        ("新疆石河子广播电视台", BINGTUAN, "place"),
        ("五家渠广播电视台", BINGTUAN, "place"),
        ("新疆广播电视台", "新疆", "province"),
        ("乌鲁木齐广播电视台", "新疆", "place"),
        # provinces, full and short, and look-alikes
        ("内蒙古广播电视台", "内蒙古", "province"),
        ("内蒙古自治区广播电视局", "内蒙古", "province"),
        ("广西广播电视台", "广西", "province"),
        ("广西壮族自治区融媒体中心", "广西", "province"),
        ("海南广播电视总台", "海南", "province"),
        ("青海海南州融媒体中心", "青海", "province"),
        ("海南藏族自治州融媒体中心", "青海", "place"),
        ("河南县融媒体中心", "青海", "place"),
        ("湖南县级融媒体中心", "湖南", "province"),
        ("吉林市广播电视台", "吉林", "place"),
        ("吉林省广播电视局", "吉林", "province"),
        ("陕西广播电视台", "陕西", "province"),
        ("山西广播电视台", "山西", "province"),
        ("河北广播电视台", "河北", "province"),
        ("浙江省宜春市融媒体中心", None, "ambiguous"),
        # autonomous areas, written in full or in short
        ("恩施州融媒体中心", "湖北", "place"),
        ("黔东南广播电视台", "贵州", "place"),
        ("长阳县融媒体中心", "湖北", "place"),
        ("中共安吉县委宣传部", "浙江", "place"),
        # companies, brands and everyday words
        ("芒果超媒股份有限公司", None, "unknown"),
        ("华为技术有限公司", None, "unknown"),
        ("北京字节跳动科技有限公司", "北京", "province"),
        ("北京歌华有线电视网络股份有限公司", "北京", "province"),
        ("东方卫视", None, "unknown"),
        ("上海东方传媒集团有限公司", "上海", "province"),
        ("光明日报社", None, "unknown"),
        ("新华网", None, "unknown"),
        ("宜春市公安局融媒体中心", "江西", "place"),
        # input as people type it
        ("ＷＷ温岭市融媒体中心", "浙江", "place"),
        (" 宜春市 广播电视台 ", "江西", "place"),
        ("", None, "unknown"),
    ],
)
def test_infer_province(unit_name: str, province: str | None, status: str) -> None:
    guess = infer_province(unit_name)
    assert (guess.province, guess.status) == (province, status), guess.note


@pytest.mark.parametrize(
    ("unit_name", "words"),
    [
        ("朝阳区融媒体中心", ("“朝阳区”", "北京、吉林", "请人工确认所属省份")),
        ("通州区融媒体中心", ("“通州区”", "北京、江苏")),
        ("浙江省宜春市融媒体中心", ("浙江省", "宜春市", "江西")),
        ("芒果超媒股份有限公司", ("未找到地名", "请人工确认所属省份")),
        ("温岭市融媒体中心", ("温岭市", "浙江", "台州")),
        ("石河子市融媒体中心", ("石河子市", BINGTUAN)),
    ],
)
def test_note_tells_a_person_why(unit_name: str, words: tuple[str, ...]) -> None:
    note = infer_province(unit_name).note
    assert all(word in note for word in words), note


@pytest.mark.parametrize(
    ("unit_name", "place"),
    [
        ("温岭市融媒体中心", "温岭市"),
        ("苏州广播电视总台", "苏州"),
        ("湖南广播电视台", "湖南"),
        ("朝阳区融媒体中心", "朝阳区"),
        ("芒果超媒股份有限公司", None),
    ],
)
def test_place_is_the_deciding_words(unit_name: str, place: str | None) -> None:
    assert infer_province(unit_name).place == place


def test_guess_is_a_value() -> None:
    guess = infer_province("温岭市融媒体中心")
    assert isinstance(guess, PlaceGuess)
    with pytest.raises(AttributeError):
        guess.province = "江西"


def test_every_bingtuan_city_maps_to_bingtuan(places: list[dict[str, str]]) -> None:
    cities = [row["name"] for row in places if row["adcode"].startswith("6590")]
    assert len(cities) == 12
    wrong = {c: infer_province(c + "融媒体中心").province for c in cities}
    assert {c: p for c, p in wrong.items() if p != BINGTUAN} == {}


def test_generic_short_names_are_real_short_names(places: list[dict[str, str]]) -> None:
    short_names = {row["short_name"] for row in places}
    assert GENERIC_SHORT_NAMES - short_names == set()


def test_gazetteer_covers_the_31_provinces(places: list[dict[str, str]]) -> None:
    assert {row["province"] for row in places} == PROVINCE_NAMES
    levels = Counter(row["level"] for row in places)
    assert levels["prefecture"] >= 300
    assert levels["county"] >= 2500
    assert set(levels) == {"prefecture", "county"}


def test_gazetteer_rows_are_well_formed(places: list[dict[str, str]]) -> None:
    assert len({row["adcode"] for row in places}) == len(places)
    assert all(len(row["adcode"]) == 6 and row["adcode"].isdigit() for row in places)
    assert all(row["short_name"] == "" or len(row["short_name"]) >= 2 for row in places)
    assert all(row["prefecture"] == "" for row in places if row["level"] == "prefecture")


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("安吉县", "安吉"),
        ("温岭市", "温岭"),
        ("宜春市", "宜春"),
        ("黔东南苗族侗族自治州", "黔东南"),
        ("恩施土家族苗族自治州", "恩施"),
        ("伊犁哈萨克自治州", "伊犁"),
        ("东乡族自治县", "东乡"),
        ("积石山保安族东乡族撒拉族自治县", "积石山"),
        ("鄂温克族自治旗", "鄂温克"),
        ("鄂伦春自治旗", "鄂伦春"),
        ("管城回族区", "管城"),
        ("锡林郭勒盟", "锡林郭勒"),
        ("阿里地区", "阿里"),
        ("六枝特区", "六枝"),
        ("浦东新区", "浦东"),
        ("清新区", "清新"),
        ("神农架林区", "神农架"),
        ("万柏林区", "万柏林"),
        ("土默特左旗", "土默特左"),
        ("矿区", ""),
        ("义县", ""),
    ],
)
def test_short_name(name: str, short: str) -> None:
    assert build_places.short_name(name) == short


def test_build_rows_from_an_adcodes_table(tmp_path) -> None:
    newer, older = tmp_path / "new.csv", tmp_path / "old.csv"
    _write_adcodes(
        newer,
        [
            ("110000", "北京市"),
            ("110100", "北京市"),
            ("110105", "朝阳区"),
            ("330300", "温州市"),
            ("330301", "市辖区"),
            ("330383", "龙港市"),
            ("419001", "济源市"),
            ("710100", "台北市"),
        ],
    )
    _write_adcodes(older, [("330383", "旧名"), ("500112", "渝北区")])
    rows = build_places.build_rows(build_places.read_divisions([newer, older]))
    assert [(r["adcode"], r["name"], r["level"], r["province"], r["prefecture"]) for r in rows] == [
        ("110105", "朝阳区", "county", "北京", "北京"),
        ("330300", "温州市", "prefecture", "浙江", ""),
        ("330383", "龙港市", "county", "浙江", "温州"),
        ("419001", "济源市", "county", "河南", ""),
        ("500112", "渝北区", "county", "重庆", "重庆"),
    ]


def _write_adcodes(path, rows: list[tuple[str, str]]) -> None:
    lines = ["adcode,name,longitude,latitude"] + [f"{code}000000,{name},," for code, name in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

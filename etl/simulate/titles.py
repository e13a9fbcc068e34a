"""Case titles of the simulated world, built from phrase parts by what the case is about."""

from __future__ import annotations

import numpy as np

from etl.simulate.units import Unit

# Case titles are built from phrase parts, by what the case is about (track or category).
BRAND_FORMS = (
    "掌上{s}", "无线{s}", "{s}发布", "{s}融媒", "爱{s}", "{s}新闻", "云上{s}", "今日{s}",
    "{s}头条", "智慧{s}", "{s}观察", "{s}云", "{s}视频", "{s}TV", "i{s}", "{s}+",
)  # fmt: skip
THEMES = (
    "奋进新征程", "乡村振兴", "共同富裕", "高质量发展", "美丽中国", "文化自信", "黄河文化",
    "长江文明", "大运河文化", "红色文化", "非遗传承", "生态文明", "科技强国", "强国复兴有我",
    "中国式现代化", "一带一路",
)  # fmt: skip
THEMES_BY_YEAR = {
    2019: ("新中国成立70周年", "脱贫攻坚"),
    2020: ("抗击疫情", "决胜全面小康", "脱贫攻坚"),
    2021: ("建党百年", "十四五开局"),
    2022: ("党的二十大", "北京冬奥", "喜迎二十大"),
    2023: ("学习贯彻二十大", "杭州亚运"),
    2024: ("新中国成立75周年", "新质生产力"),
    2025: ("十四五收官", "抗战胜利80周年"),
}
TOPICS = (
    "政务服务", "民生服务", "智慧社区", "智慧文旅", "应急广播", "乡村治理", "医疗健康",
    "智慧教育", "便民缴费", "网格化社会治理", "数字乡村", "适老化服务", "助农直播", "城市大脑",
    "公共文化服务", "就业服务",
)  # fmt: skip
FORMATS = (
    "短视频", "微短剧", "慢直播", "Vlog", "互动H5", "微纪录片", "网络直播", "4K超高清",
    "AI虚拟主播", "音频节目", "系列海报", "融媒体产品",
)  # fmt: skip
TECHS = ("5G", "人工智能", "超高清", "云计算", "区块链", "虚拟现实", "大数据", "智能语音")
TECHS_SINCE_2023 = ("AI大模型", "AIGC")  # not words a 2019–2022 title would use
REFORMS = (
    "全员绩效考核", "采编经营分离", "中央厨房一体化指挥调度", "项目制工作室", "首席制人才评价",
    "薪酬分配制度", "企业化管理", "MCN运营机制", "大部制", "全媒体人才培养", "全员聘用",
    "事业产业协同",
)  # fmt: skip
# Every title names its unit (a brand, a place or the unit itself), as real ones do:
# 温岭融媒打造全国一流的县域治理现代化服务平台, 2022北京冬奥会融媒体报道的创新突破.
TEMPLATES = {
    "新媒体平台建设": (
        "“{brand}”客户端建设与运营", "“{brand}”新媒体矩阵建设实践", "打造“{brand}”区域性融媒体平台",
        "“{brand}”短视频账号矩阵运营", "自主可控“{brand}”移动传播平台建设",
        "“{brand}”省市县一体化融媒体平台", "“{brand}”{format}账号运营与品牌打造",
        "“{brand}”客户端{tech}升级", "“{brand}”网上网下一体化传播平台",
        "{place}打造{tech}驱动的“{brand}”新型主流媒体平台",
    ),
    "融合生产传播": (
        "“{brand}”“{theme}”全媒体主题宣传", "{place}“{theme}”融媒体系列报道",
        "{place}“{theme}”主题{format}创作与传播", "“{brand}”{format}品牌打造",
        "{place}{tech}赋能新闻生产流程再造", "“{brand}”{format}栏目融合传播",
        "{place}{theme}{format}融合传播实践", "“{brand}”“{theme}”{format}精品创作",
        "{year}{place}“{theme}”融媒体报道的创新突破",
    ),
    "综合信息服务": (
        "“新闻+政务+服务”“{brand}”平台建设", "“{brand}”{topic}平台",
        "媒体+{topic}“{brand}”模式探索", "{place}{topic}一体化平台建设",
        "“{brand}”{topic}应用实践", "{place}广电5G+{topic}创新实践", "“{brand}”{topic}融媒服务",
        "{brand}打造{topic}与{topic2}综合服务平台",
    ),
    "体制机制改革": (
        "{place}“{reform}”改革实践", "{place}以{reform}改革激发融合发展活力",
        "“{brand}”{reform}改革探索", "{place}以{reform}为抓手推进深度融合",
        "{place}{reform}与{reform2}联动改革",
    ),
    "先导单位": (
        "{unit}媒体深度融合发展实践", "{unit}以“{brand}”为核心推进全媒体传播体系建设",
        "{unit}“{reform}”改革与融合发展", "{unit}构建“{brand}”全媒体传播矩阵",
        "{unit}“{theme}”主流舆论阵地建设", "{unit}系统性推进{tech}+融合发展",
    ),
    "成长项目": (
        "“{brand}”{tech}{format}项目", "{place}基于{tech}的{topic}应用", "“{brand}”{tech}+{topic}创新项目",
        "“{brand}”{format}孵化计划", "{place}{topic}数字化平台", "{place}{tech}虚拟演播与{format}生产",
        "“{brand}”{tech}内容生产平台",
    ),
}  # fmt: skip


def case_title(rng: np.random.Generator, unit: Unit, year: int, about: str) -> str:
    """A case title for `about`: a category (2024+), 先导单位, 成长项目 or 典型案例."""
    if about == "典型案例":
        about = ("新媒体平台建设", "融合生产传播", "综合信息服务", "体制机制改革")[rng.integers(4)]
    template = _pick(rng, TEMPLATES[about])
    reform, reform2 = (REFORMS[int(i)] for i in rng.choice(len(REFORMS), 2, replace=False))
    topic, topic2 = (TOPICS[int(i)] for i in rng.choice(len(TOPICS), 2, replace=False))
    return template.format(
        year=year,
        brand=_pick(rng, BRAND_FORMS).format(s=unit.stem),
        place=unit.stem,
        unit=unit.written(year)[0].split("·")[0],
        theme=_pick(rng, THEMES + THEMES_BY_YEAR.get(year, ())),
        topic=topic,
        topic2=topic2,
        format=_pick(rng, FORMATS),
        tech=_pick(rng, TECHS + (TECHS_SINCE_2023 if year >= 2023 else ())),
        reform=reform,
        reform2=reform2,
    )


def _pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.random() * len(options))]  # rng.integers is slow; titles are many

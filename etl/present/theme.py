"""Colours and fonts, declared once: one colour per category, track, region and stage on every
page, and a font list that renders Chinese in the browser and in PNG downloads."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

FONT_FAMILY = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'
)

# 2024+ categories and 2019–2023 tracks never share a chart's legend, but they can share a
# page, so the two sets use different hues.
CATEGORY_COLOURS = {
    "新媒体平台建设": "#1f6fb2",
    "融合生产传播": "#e07b39",
    "综合信息服务": "#3a9e6f",
    "体制机制改革": "#8e5ba8",
}
TRACK_COLOURS = {
    "先导单位": "#b8323c",
    "典型案例": "#2f7f9e",
    "成长项目": "#d9a21b",
}
REGION_COLOURS = {
    "东部": "#2b6cb0",
    "中部": "#d69e2e",
    "西部": "#c05621",
    "东北": "#2f855a",
    "兵团": "#805ad5",
    "中央单位": "#c53030",
}
LEVEL_COLOURS = {
    "中央": "#c53030",
    "省级": "#2b6cb0",
    "地市级": "#38a169",
    "县级": "#d69e2e",
}
UNIT_TYPE_COLOURS = {
    "广播电视台": "#2c5282",
    "融媒体中心": "#dd6b20",
    "广电网络公司": "#319795",
    "企业": "#6b46c1",
    "其他": "#718096",
}
STAGE_COLOURS = {"初评": "#90cdf4", "复评": "#4299e1", "终评": "#2c5282"}
# 入选 and the rest, wherever the two are set side by side.
SELECTED_COLOURS = {"入选": "#c53030", "未入选": "#a0aec0"}
# Series with no colour of their own (provinces on 年度趋势): eight distinct hues.
SERIES_COLOURS = (
    "#2b6cb0",
    "#dd6b20",
    "#38a169",
    "#c53030",
    "#6b46c1",
    "#b7791f",
    "#319795",
    "#d53f8c",
)
# Comparison series on 地区对比: the chosen province, its region group, the nation.
SCOPE_COLOURS = {"本省": "#c53030", "区域": "#d69e2e", "全国": "#4a5568"}
FUNNEL_COLOUR = "#2b6cb0"
HIGHLIGHT = "#c53030"
MUTED = "#a0aec0"
NOT_TAKING_PART = "#e2e8f0"
OUT_OF_SCOPE = "#f7fafc"
SEQUENTIAL = "Blues"
SCHEME_CHANGE_COLOUR = "#718096"

COLOURS = {
    **CATEGORY_COLOURS,
    **TRACK_COLOURS,
    **REGION_COLOURS,
    **LEVEL_COLOURS,
    **UNIT_TYPE_COLOURS,
}


def colour(name: str | None) -> str:
    """The colour of a category, track, region, level or unit type; grey for anything else."""
    return COLOURS.get(name or "", MUTED)


def _template() -> go.layout.Template:
    template = go.layout.Template()
    template.layout = go.Layout(
        font={"family": FONT_FAMILY, "size": 13, "color": "#1a202c"},
        title={"font": {"family": FONT_FAMILY, "size": 16}},
        colorway=list(CATEGORY_COLOURS.values()) + list(TRACK_COLOURS.values()),
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel={"font": {"family": FONT_FAMILY}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        separators=".,",
        xaxis={"gridcolor": "#edf2f7", "zerolinecolor": "#cbd5e0", "automargin": True},
        yaxis={"gridcolor": "#edf2f7", "zerolinecolor": "#cbd5e0", "automargin": True},
    )
    return template


TEMPLATE = "convergence"
pio.templates[TEMPLATE] = _template()

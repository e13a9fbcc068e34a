"""Plotly's own words in Chinese: the toolbar's tooltips and its messages (issue 14).

Streamlit's bundle of plotly.js carries no locale but English; plotly.js reads a chart's
`config.locales[config.locale].dictionary` before its own, so every chart is given this one.
The keys are plotly.js's strings exactly as it writes them (a key it does not use does nothing).
"""

from __future__ import annotations

LOCALE = "zh-CN"
DICTIONARY = {
    "Autoscale": "自动缩放",
    "Box Select": "框选",
    "Lasso Select": "套索选择",
    "Compare data on hover": "悬停时比较数据",
    "Show closest data on hover": "悬停时显示最近的数据",
    "Toggle show closest data on hover": "切换悬停显示最近的数据",
    "Toggle Spike Lines": "显示或隐藏参考线",
    "Download plot as a PNG": "下载图片（PNG）",
    "Download plot as a png": "下载图片（PNG）",
    "Download plot": "下载图片",
    "Download plot as JSON": "下载图表数据",
    "Image download succeeded": "图片已下载",
    "JSON download succeeded": "图表数据已下载",
    "Preparing image - this may take a few seconds": "正在生成图片，请稍候",
    "Sorry, there was a problem downloading your image!": "图片下载失败，请重试。",
    "Sorry, there was a problem downloading your JSON file!": "图表数据下载失败，请重试。",
    "Pan": "平移",
    "Zoom": "缩放",
    "Zoom in": "放大",
    "Zoom out": "缩小",
    "Reset": "还原",
    "Reset axes": "还原坐标轴",
    "Reset view": "还原视图",
    "Reset views": "还原视图",
    "Reset camera to default": "还原默认视角",
    "Reset camera to last save": "还原上次保存的视角",
    "Orbital rotation": "环绕旋转",
    "Turntable rotation": "转盘旋转",
    "Draw line": "画线",
    "Draw open freeform": "画开放曲线",
    "Draw closed freeform": "画闭合曲线",
    "Draw rectangle": "画矩形",
    "Draw circle": "画圆",
    "Erase active shape": "删除所选图形",
    "Double-click to zoom back out": "双击还原",
    "Double-click on legend to isolate one trace": "双击图例只显示该系列",
    "Click to enter Plot title": "点击输入图表标题",
    "Click to enter Plot subtitle": "点击输入图表副标题",
    "Click to enter X axis title": "点击输入横轴标题",
    "Click to enter Y axis title": "点击输入纵轴标题",
    "Click to enter Colorscale title": "点击输入色标标题",
}


def config() -> dict[str, object]:
    """The part of a chart's config that makes Plotly speak Chinese."""
    return {"locale": LOCALE, "locales": {LOCALE: {"dictionary": DICTIONARY}}}

"""年度趋势: a placeholder until the page is built (issue 4, part 2)."""

from dashboard import components

f = components.filters()
components.page_header(
    "年度趋势",
    "2019年以来按省份、区域、类型/类别和单位层级的变化，同比与占全国比重，并标明2024年的类别调整。",
    f,
)
components.empty(
    "本页建设中，将提供：2019年以来按省份、区域、类型/类别和单位层级的变化，同比与占全国比重，并标明2024年的类别调整。"
)

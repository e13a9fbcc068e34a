"""类别结构: a placeholder until the page is built (issue 4, part 2)."""

from dashboard import components

f = components.filters()
components.page_header(
    "类别结构",
    "四个类别（2024年起）与三种申报类型（2019—2023年）的构成、省份 × 类别热力图、单位层级构成。",
    f,
)
components.empty(
    "本页建设中，将提供：四个类别（2024年起）与三种申报类型（2019—2023年）的构成、省份 × 类别热力图、单位层级构成。"
)

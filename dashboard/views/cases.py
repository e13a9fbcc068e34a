"""案例检索: a placeholder until the page is built (issue 4, part 2)."""

from dashboard import components

f = components.filters()
components.page_header(
    "案例检索", "按案例名称、申报单位检索，按任意条件筛选，查看单个案例各阶段得分并导出结果。", f
)
components.empty(
    "本页建设中，将提供：按案例名称、申报单位检索，按任意条件筛选，查看单个案例各阶段得分并导出结果。"
)

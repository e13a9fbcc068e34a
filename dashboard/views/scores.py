"""评分分析: a placeholder until the page is built (issue 4, part 2)."""

from dashboard import components

f = components.filters()
components.page_header(
    "评分分析",
    "各类别、各阶段的得分分布，评分维度画像，入选分数线，专家评分一致性，初评到终评的名次变化。",
    f,
)
components.empty(
    "本页建设中，将提供：各类别、各阶段的得分分布，评分维度画像，入选分数线，专家评分一致性，初评到终评的名次变化。"
)

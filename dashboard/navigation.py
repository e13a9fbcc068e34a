"""The pages, declared once: title, icon, what the page is for, what a role needs to see it,
and which filters its header states. The router (app.py) builds the navigation from this
table and draws each page's header from it, so a page starts with its own content.
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.access.scopes import policy

# What a page needs: a table in the role's database, or a policy list ("console", "upload"), or
# a province of one's own (SELF_CHECK: a bureau checks its own draft).
AGGREGATES, SCORES, CASES = "mart.submission_facts", "mart.submission_scores", "mart.cases"
UNITS = "mart.unit_history"
SELF_CHECK = "self_check"


@dataclass(frozen=True)
class PageSpec:
    path: str  # views/<file>.py, relative to app.py
    title: str
    icon: str
    intro: str  # one sentence under the title: what the page is for
    needs: str
    filters: str = "all"  # which sidebar filters the header states: all | nationwide | none
    default: bool = False


SECTIONS: dict[str, tuple[PageSpec, ...]] = {
    "概览": (
        PageSpec("views/overview.py", "总览", ":material/dashboard:",
                 "本年度申报、评审与入选的全貌，以及与上年的比较。", AGGREGATES, default=True),
    ),
    "分析": (
        PageSpec("views/regions.py", "地区分布", ":material/grid_view:",
                 "各省（区、市）、新疆生产建设兵团和中央单位的申报与入选分布。", AGGREGATES),
        PageSpec("views/categories.py", "类别结构", ":material/category:",
                 "四个申报类别（2024年起）或三种申报类型（2019—2023年）的构成与入选率、"
                 "各省在各类别的分布、申报单位的层级与类型。", AGGREGATES),
        PageSpec("views/scores.py", "评分分析", ":material/bar_chart:",
                 "各类别（或类型）、各评审阶段的得分分布与入选线，四项评分维度，专家评分一致性，"
                 "以及进入终评案例的名次变化。", SCORES),
        PageSpec("views/trends.py", "年度趋势", ":material/timeline:",
                 "2019年以来按区域、省份、申报类型/类别、单位层级的申报与入选变化，同比与占全国比例。",
                 AGGREGATES),
        PageSpec("views/units.py", "参与单位", ":material/apartment:",
                 "申报单位的历年情况：首次参与、多次入选、申报类型之间的晋级和各省入选的集中程度"
                 "（同一单位改名仍算一个单位）。", UNITS, filters="none"),
    ),
    "省局": (
        PageSpec("views/compare.py", "地区对比", ":material/compare_arrows:",
                 "选择一个省份，与其所在区域和全国比较（本页不受区域、中央单位筛选影响）。", CASES,
                 filters="nationwide"),
        PageSpec("views/self_check.py", "推荐自查", ":material/task_alt:",
                 "推荐前检查本省的推荐汇总表草稿：与命令行检查相同的报告，逐行列出问题，"
                 "下载问题行文件修改；本页不导入任何数据。", SELF_CHECK, filters="none"),
    ),
    "数据": (
        PageSpec("views/cases.py", "案例检索", ":material/search:",
                 "按案例名称或申报单位检索（多个关键词用空格分隔，须同时包含），按条件筛选，"
                 "查看单个案例的全部信息与各阶段得分，导出检索结果。", CASES),
        PageSpec("views/research.py", "研究资料", ":material/school:",
                 "本角色可读的整个数据集（CSV 或 Parquet 包）、数据字典、方法说明与引用格式。",
                 AGGREGATES, filters="none"),
        PageSpec("views/quality.py", "数据质量", ":material/fact_check:",
                 "最近的导入、质量规则的结果、被隔离的行及原因、自动修正记录。", "meta.load_runs",
                 filters="none"),
        PageSpec("views/console.py", "SQL 控制台", ":material/terminal:",
                 "用只读 SQL 查询本角色可见的表；每次只运行一条查询，有时间和行数上限，查询记入审计日志。",
                 "console", filters="none"),
    ),
    "管理": (
        PageSpec("views/upload.py", "上传导入", ":material/upload_file:",
                 "上传申报、评分或结果导出文件：先看检查报告，确认后再导入。导入期间看板照常可用，"
                 "完成后各页面在下一次刷新时读取新数据。", "upload", filters="none"),
        PageSpec("views/audit_log.py", "审计日志", ":material/policy:",
                 "登录、导出、上传、导入和 SQL 查询的记录，最新的在前（最多 2,000 条）。",
                 "meta.audit", filters="none"),
    ),
}  # fmt: skip
PAGES = {spec.path: spec for specs in SECTIONS.values() for spec in specs}


def allowed(role: str) -> dict[str, list[PageSpec]]:
    """The pages a role can use, by section (sections left empty are dropped)."""
    tables = {t.name for t in policy().visible(role)}
    own_province = {name for name, spec in policy().roles.items() if spec.own_province}
    granted = tables | {
        name
        for name, roles in (
            ("console", policy().console_roles),
            ("upload", policy().upload_roles),
            (SELF_CHECK, own_province),
        )
        if role in roles
    }
    sections = {name: [s for s in specs if s.needs in granted] for name, specs in SECTIONS.items()}
    return {name: specs for name, specs in sections.items() if specs}

"""Every Chinese label a user reads, written once (../shared/domain/GLOSSARY.md).

Code and SQL use English names; the CLI, the reports and the dashboard show these. A label
that two places need lives here, so a failed check reads 有阻断问题 in the terminal, in the
upload page and on 数据质量 alike. Values that are configuration (stage names, tracks,
categories, role labels) are read from data/reference, not repeated here.
"""

from __future__ import annotations

from functools import cache

from etl.reference.programme import domains

KINDS = {"submissions": "申报表", "scores": "评分表", "outcomes": "结果表"}

RUN_STATUS = {
    "succeeded": "成功",
    "nothing new": "无新数据",
    "passed": "通过",
    "failed": "有阻断问题",
    "running": "进行中",
}
FILE_STATUS = {
    "loaded": "已导入",
    "skipped": "已跳过",
    "rejected": "整表拒收",
    "checked": "已检查",
    "pending": "未处理",
}
SEVERITY = {"blocking": "隔离", "warning": "警告"}

# Rows of a sheet that are not data (etl.reference.layout): skipped, listed as "第10行：合计行，已跳过".
SKIPPED_ROWS = {
    "blank": "空行",
    "header": "重复的表头行",
    "total": "合计行",
    "signature": "签名或日期行",
    "note": "说明行",
    "heading": "分组标题行",
}

AUDIT_ACTIONS = {
    "sign_in": "登录",
    "sign_in_failed": "登录失败",
    "sign_in_locked": "账户锁定中，拒绝登录",
    "sign_out": "退出登录",
    "console": "SQL 查询",
    "export": "导出",
    "report": "生成分析报告",
    "upload": "上传文件",
    "self_check": "推荐自查",
    "load": "导入数据",
    "user_add": "新增用户",
    "user_passwd": "修改密码",
    "user_disable": "停用用户",
    "user_unlock": "解除锁定",
    "unit_decision": "单位名称决定",
}

# Warehouse columns as a table header names them.
COLUMNS = {
    "year": "年度",
    "province": "所属省份",
    "region": "区域",
    "track": "申报类型",
    "category": "申报类别",
    "group": "类型/类别",
    "unit_name": "申报单位",
    "unit_type": "单位类型",
    "unit_level": "单位层级",
    "title": "案例名称",
    "submission_id": "申报编号",
    "submissions": "申报数",
    "recommended": "省级推荐",
    "reached_first": "进入初评",
    "reached_second": "进入复评",
    "reached_final": "进入终评",
    "selected": "入选数",
    "selection_rate": "入选率（%）",
    "recommendation_rate": "推荐率（%）",
    "final_rate": "终评率（%）",
    "mean_score": "平均分",
    "provinces": "参与省份",
    "furthest_stage": "最远阶段",
    "is_selected": "入选",
    "is_recommended": "省级推荐",
    "first_score": "初评得分",
    "second_score": "复评得分",
    "final_score": "终评得分",
    "rank": "排名",
    "rank_change": "排名变化",
    "quota": "配额",
    "note": "说明",
}


@cache
def stages() -> tuple[str, ...]:
    """初评, 复评, 终评 in review order, as configured (programme.toml; ref.stages)."""
    return domains()["stage"]


def final_stage() -> str:
    return stages()[-1]

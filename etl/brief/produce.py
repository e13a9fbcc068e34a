"""Who may have which brief, and producing it: the command line and the dashboard's button
both call produce(), so both refuse the same things and both leave the same audit event.

A 领导 may have the national brief or any province's; a 省局 only its own province's; a 研究人员
the national one, read without unpublished results (its scoped database has none). The data
are read through the role's scoped database (etl/access/scopes.py), so even a brief that this
module wrongly allowed could hold nothing the role may not see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from etl.access import audit
from etl.access.scopes import Scope, policy, scoped_connection
from etl.brief import images, pdf, word
from etl.brief.compose import compose, title
from etl.brief.document import Brief, Figure
from etl.brief.source import Source
from etl.reference.geography import resolve_province

FORMATS = ("docx", "pdf")
NATIONAL_ROLES = frozenset({"leader", "researcher"})
ANY_PROVINCE_ROLES = frozenset({"leader"})
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


class BriefRefused(ValueError):
    """A brief this role may not have, or a request that cannot be served (Chinese)."""


@dataclass(frozen=True)
class Report:
    brief: Brief
    content: bytes
    file_name: str
    media_type: str


def refusal(scope: Scope, province: str | None) -> str | None:
    """Why this scope may not have this brief, or None when it may."""
    label = policy().roles[scope.role].label
    if scope.province is not None:
        if province != scope.province:
            return f"{label}用户只能生成本省（{scope.province}）的分析报告。"
        return None
    if province is None:
        return None if scope.role in NATIONAL_ROLES else f"{label}角色不能生成分析报告。"
    if scope.role not in ANY_PROVINCE_ROLES:
        return f"{label}角色只能生成全国分析报告，不能生成分省报告。"
    return None


def province_name(given: str | None) -> str | None:
    """The province as the warehouse names it (浙江省 → 浙江), or a refusal."""
    if not given:
        return None
    found = resolve_province(given)
    if found is None:
        raise BriefRefused(
            f"“{given}”不是省级单位的名称（例如：浙江、新疆生产建设兵团、中央单位）。"
        )
    return found[0]


def produce(
    db: str | Path | None, scope: Scope, year: int, province: str | None, form: str, who: str
) -> Report:
    """The brief as a file of `form` (docx | pdf), for `who` in `scope`, recorded in the audit
    log. Raises BriefRefused, images.ChartsUnavailable or pdf.PdfUnavailable (all Chinese)."""
    if form not in FORMATS:
        raise BriefRefused(f"格式“{form}”不可用；可用的格式：{'、'.join(FORMATS)}。")
    province = province_name(province)
    if reason := refusal(scope, province):
        audit.record(who, "report", f"已拒绝（{reason}）：{title(year, province)}", role=scope.key)
        raise BriefRefused(reason)
    images.warm_up()
    con = scoped_connection(db, scope.role, scope.province)
    try:
        brief = compose(Source(con, scope), year, province, policy().roles[scope.role].label)
    finally:
        con.close()
    content = word.write(brief, _png)
    if form == "pdf":
        content = pdf.convert(content)
    audit.record(who, "report", f"{brief.title}（{form}）", len(content), role=scope.key)
    return Report(brief, content, file_name(year, province, form), MEDIA[form])


def file_name(year: int, province: str | None, form: str) -> str:
    return _UNSAFE.sub("_", f"{title(year, province)}.{form}")


def _png(figure: Figure) -> bytes:
    return images.png(figure.figure, figure.width_cm)


MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}

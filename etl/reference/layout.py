"""Rows of a sheet that are not data, and the words that give them away.

Bureau workbooks carry a totals row (合计), a signature footer (填表人 / 审核人 / 填报日期 /
盖章; on a scoring summary 专家签字 / 计分人 / 监督人), notes (注：…) and section headings (一、先导单位) among the data rows. A row is taken
for one of these only when its first filled cell starts with such a word AND it fills fewer
than half of the export's required columns: a real row fills nearly all of them, so a case
titled "备注里的乡村振兴" or a unit whose name holds 合计 still loads.
"""

from __future__ import annotations

import re

IGNORED_HEADERS = frozenset({"序号", "序", "no", "no."})  # row numbers: layout, never data

TOTAL = re.compile(r"^(合计|总计|小计|共计)")
SIGNATURE = re.compile(
    r"^[(]?(填表人|填报人|审核人|审核|联系人|联系电话|电话|填报日期|填表日期|日期|"
    r"负责人|签字|签章|盖章|单位盖章|单位\(盖章\)|"
    r"(?:评审)?专家签字|评委签字|计分人|计分员|统分人|统分员|记分员|监督人|监督员|复核人)"
)
NOTE = re.compile(r"^(注|说明|备注|填表说明|填报说明)[0-9一二三四五六七八九十]*[:.、]")
HEADING = re.compile(r"^[一二三四五六七八九十]+[、.]")

# A count written in a totals row: 合计12项, 共 12 个, 12家.
COUNT = re.compile(r"(?:^|合计|总计|共计|共)[:]?(\d+)(?:项|个|件|条|家|份)")


def row_kind(first: str, sparse: bool, in_footer: bool) -> str | None:
    """What a row is, from its first filled cell (NFKC, no spaces); None for a data row."""
    if not sparse:
        return None
    for kind, pattern in (("total", TOTAL), ("signature", SIGNATURE), ("note", NOTE),
                          ("heading", HEADING)):  # fmt: skip
        if pattern.match(first):
            return kind
    return "note" if in_footer else None

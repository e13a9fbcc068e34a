"""The quality gate's results as a Chinese report that works offline (issue 14).

Great Expectations' own Data Docs are in English and load Bootstrap, Font Awesome and jQuery
from public CDNs, so on a government network without internet they render unstyled. This
module renders the same GX result objects (ExpectationSuiteValidationResult: per expectation
its success, rows checked, rows failing, example values) as one self-contained HTML page per
run — styles inline, no script, no font or image fetched — written beside the warehouse
(docs/<run_id>.html, with an index.html listing every run), shown on 数据质量 and offered
there as a download. We chose this over vendoring GX's assets: vendored, the pages would still
be in English, still carry a framework's worth of script, and still describe rules by their
codes instead of the sentences the rest of the product uses.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from etl.glossary import KINDS, SEVERITY
from etl.pipeline.checks.common import show
from etl.pipeline.checks.gx import Validation
from etl.pipeline.checks.rules import rules

EXAMPLES = 5  # failing values shown per rule
INDEX = "index.html"
SIMULATED = "模拟数据"

STYLE = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
       sans-serif; color: #1a202c; margin: 2rem auto; max-width: 72rem; padding: 0 1rem;
       line-height: 1.6; }
h1 { font-size: 1.6rem; border-bottom: 3px solid #2b6cb0; padding-bottom: .4rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; color: #2b6cb0; }
.meta { color: #4a5568; }
.mark { display: inline-block; background: #feebc8; color: #9c4221; padding: 0 .5rem;
        border-radius: .3rem; font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .95rem; }
th, td { border: 1px solid #cbd5e0; padding: .35rem .6rem; text-align: left;
         vertical-align: top; }
th { background: #edf2f7; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.failed td { background: #fff5f5; }
.ok { color: #276749; font-weight: bold; }
.bad { color: #c53030; font-weight: bold; }
.examples { color: #4a5568; font-size: .9rem; }
@media print { body { margin: 0; max-width: none; } }
"""


@dataclass(frozen=True)
class RuleResult:
    """One expectation of one suite run, as the report states it."""

    description: str
    severity: str
    checked: int
    failed: int
    passed: bool
    examples: tuple[str, ...]


def rule_results(validation: Validation) -> list[RuleResult]:
    """Each expectation's outcome from GX's result object, in the suite's order."""
    table = rules()
    out = []
    for outcome in validation.result.results:
        rule = table.get(outcome.expectation_config.meta.get("rule_id", ""))
        counts = outcome.result or {}
        checked = counts.get("element_count", 0) - counts.get("missing_count", 0)
        failed = counts.get("unexpected_count", 0) or 0
        values = counts.get("partial_unexpected_list") or counts.get("unexpected_list") or []
        out.append(
            RuleResult(
                rule.description if rule else "（未登记的规则）",
                SEVERITY.get(rule.severity, rule.severity) if rule else "—",
                int(checked),
                int(failed),
                bool(outcome.success),
                tuple(_shown(v) for v in values[:EXAMPLES]),
            )
        )
    return out


def render(run_id: str, validations: tuple[Validation, ...], *, at: datetime,
           simulated: bool = False) -> str:  # fmt: skip
    """The run's report as one HTML page that needs nothing from the network."""
    results = [(v, rule_results(v)) for v in validations]
    every = [r for _, rs in results for r in rs]
    failed = sum(not r.passed for r in every)
    mark = f'<span class="mark">{SIMULATED}</span> ' if simulated else ""
    parts = [
        _head(f"数据质量检查报告 · {run_id}"),
        f"<h1>{mark}数据质量检查报告</h1>",
        f'<p class="meta">运行编号 {_e(run_id)} · 生成于 {at:%Y年%m月%d日 %H:%M} · '
        f"检查 {len(results)} 组、规则 {len(every)} 条："
        f'<span class="ok">通过 {len(every) - failed} 条</span>，'
        f'<span class="{"bad" if failed else "ok"}">未通过 {failed} 条</span>。'
        "未通过的规则所涉及的行已隔离（阻断）或标记（警告），明细见看板「数据质量」页"
        "和问题行文件。</p>",
    ]
    if not results:
        parts.append("<p>本次运行没有经过质量检查的文件。</p>")
    for validation, rows in results:
        parts.append(_section(validation, rows))
    parts.append("</body></html>")
    return "\n".join(parts)


def write(run_id: str, validations: tuple[Validation, ...], out_dir: Path, *, at: datetime,
          simulated: bool = False) -> Path:  # fmt: skip
    """Write the run's report and refresh the index of every report in out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    page = out_dir / f"{run_id}.html"
    _replace(page, render(run_id, validations, at=at, simulated=simulated))
    write_index(out_dir)
    return page


def _replace(path: Path, text: str) -> None:
    """Whole or not at all: a kill or a full disk mid-write leaves no half page to open."""
    part = path.with_name(f".{path.name}.part")
    try:
        part.write_text(text, encoding="utf-8")
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def reports(out_dir: Path) -> list[Path]:
    """Every run's report in out_dir, newest first."""
    found = [p for p in out_dir.glob("*.html") if p.name != INDEX]
    return sorted(found, key=lambda p: p.name, reverse=True)


def write_index(out_dir: Path) -> Path:
    items = "\n".join(f'<li><a href="{_e(p.name)}">{_e(p.stem)}</a></li>' for p in reports(out_dir))
    index = out_dir / INDEX
    _replace(
        index,
        f"{_head('数据质量检查报告')}<h1>数据质量检查报告</h1>"
        f'<p class="meta">每次导入或检查一份，最新的在前。</p><ul>{items}</ul></body></html>',
    )
    return index


def _section(validation: Validation, rows: list[RuleResult]) -> str:
    kind = KINDS.get(validation.suite.split("_")[0], validation.suite)
    body = "\n".join(
        f'<tr class="{"" if r.passed else "failed"}"><td>{_e(r.description)}</td>'
        f"<td>{_e(r.severity)}</td><td class=n>{r.checked:,}</td><td class=n>{r.failed:,}</td>"
        f"<td class=n>{_pct(r.failed, r.checked)}</td>"
        f'<td class="{"ok" if r.passed else "bad"}">{"通过" if r.passed else "未通过"}</td>'
        f'<td class="examples">{"、".join(_e(x) for x in r.examples) or "—"}</td></tr>'
        for r in rows
    )
    return (
        f"<h2>{_e(kind)} · {_e(validation.batch)}</h2>"
        "<table><thead><tr><th>规则</th><th>处理</th><th>检查数</th><th>不符合数</th>"
        f"<th>不符合比例</th><th>结果</th><th>不符合的值（举例）</th></tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _head(title: str) -> str:
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>"
    )


def _pct(part: int, whole: int) -> str:
    return "—" if not whole else f"{100 * part / whole:.1f}%"


def _shown(value: object) -> str:
    """A failing value as the rest of the product writes it: 100 not 100.0 or np.int64(100),
    a pair (a column-pair rule's two values) as "100 / 10"."""
    if isinstance(value, tuple | list):
        text = " / ".join(_shown(v) for v in value)
    else:
        text = "（空）" if value is None or value == "" else show(_plain(value))
    return text if len(text) <= 40 else text[:39] + "…"


def _plain(value: object) -> object:
    """numpy scalars (GX hands values back from pandas) as Python's own."""
    return value.item() if hasattr(value, "item") and not isinstance(value, str) else value


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)

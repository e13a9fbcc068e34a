"""Planted defects and fixes (scale 1 only), each listed in defects.csv for the gate to find."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta

import numpy as np

from etl.reference.programme import YearRules
from etl.simulate.records import Experts, Mark, ScoreRow, Sub, Year
from etl.simulate.review import score_points, score_times

QUOTA_EXCESS = ("江苏", "融合生产传播")  # 2024: five recommended in one category (planted)


def plant_before_review(subs: list[Sub], rules: YearRules, rng: np.random.Generator) -> None:
    for plant in BEFORE_REVIEW.get(rules.year, ()):
        plant(subs, rules, rng)


def plant_after_review(sim: Year, experts: Experts, rng: np.random.Generator) -> None:
    for plant in AFTER_REVIEW.get(sim.rules.year, ()):
        plant(sim, experts, rng)
    if any(s.planted for s in sim.selected):
        raise RuntimeError(f"{sim.rules.year}: a planted row was selected; change the plants")


def _pick(rng: np.random.Generator, pool: list[Sub]) -> Sub:
    free = [s for s in pool if not s.planted and s.pin[0] == 0]  # public facts stay as they are
    if not free:
        raise RuntimeError("no row left to plant a defect on")
    chosen = free[int(rng.integers(len(free)))]
    chosen.planted = True
    return chosen


def _unscored(subs: list[Sub]) -> list[Sub]:
    return [s for s in subs if not s.recommended]


def _unselected(sim: Year, recommended: bool | None = None) -> list[Sub]:
    chosen = {s.key for s in sim.selected}
    return [s for s in sim.subs if s.key not in chosen and recommended in (None, s.recommended)]


def _bad_province(subs: list[Sub], rules: YearRules, rng: np.random.Generator) -> None:
    s = _pick(rng, _unscored(subs))
    s.overrides["province"] = "江南省"
    s.marks.append(
        Mark("province", "省份无法识别：江南省不是省级行政区", "domain.province", "blocking")
    )


def _too_long(subs: list[Sub], rules: YearRules, rng: np.random.Generator) -> None:
    s = _pick(rng, _unscored(subs))
    s.chars = 5600
    note = f"材料字数5600，超过{rules.max_chars}字上限"
    s.marks.append(Mark("material_chars", note, "rule.max_chars", "blocking"))


def _late_entry(subs: list[Sub], rules: YearRules, rng: np.random.Generator) -> None:
    s = _pick(rng, _unscored(subs))
    s.submitted_at = datetime.combine(rules.deadline + timedelta(days=1), time(10, 17))
    note = f"截止日期{rules.deadline.isoformat()}之后提交"
    s.marks.append(Mark("submitted_at", note, "rule.deadline", "blocking"))


def _no_category(subs: list[Sub], rules: YearRules, rng: np.random.Generator) -> None:
    s = _pick(rng, _unscored(subs))
    s.category = ""
    note = "2024年起申报类别必填，此行为空"
    s.marks.append(Mark("category", note, "rule.category_required", "blocking"))


def _quota_excess(subs: list[Sub], rules: YearRules, rng: np.random.Generator) -> None:
    """Five recommended in one category of one province; weak cases, so none is selected."""
    province, category = QUOTA_EXCESS
    mine = [s for s in subs if s.unit.province == province]
    five = [mine[int(i)] for i in sorted(rng.choice(len(mine), 5, replace=False))]
    for s in five:
        s.category, s.recommended, s.planted = category, True, True
        s.quality = -2.5 + float(rng.normal(0, 0.1))
    others = sorted((s for s in mine if s not in five), key=lambda s: (-s.quality, s.key))
    room = rules.quota.province_total - len(five)
    for s in others:  # the best keep their place within the total
        if s.recommended and (s.category == category or room == 0):
            s.recommended = False
        room -= s.recommended
    fifth = max(five, key=lambda s: (s.submitted_at, s.key))  # the 5th in file order
    note = (
        f"{province}“{category}”类别推荐第5个案例，超过每类别{rules.quota.province_per_category}个"
    )
    fifth.marks.append(Mark("province", note, "rule.quota_province", "warning"))


def _alias(province: str, written: str):
    def plant(sim: Year, experts: Experts, rng: np.random.Generator) -> None:
        s = _pick(rng, [s for s in _unselected(sim) if s.unit.province == province])
        s.overrides["province"] = written
        note = f"省份写作“{written}”，规范为“{province}”"
        s.marks.append(Mark("province", note, "fix.province_alias", "fix"))

    return plant


def _fullwidth_chars(sim: Year, experts: Experts, rng: np.random.Generator) -> None:
    s = _pick(rng, _unselected(sim))
    s.overrides["material_chars"] = str(s.chars).translate(FULLWIDTH_DIGITS)
    s.marks.append(Mark("material_chars", "材料字数为全角数字", "fix.fullwidth", "fix"))


def _bool_text(written: str):
    def plant(sim: Year, experts: Experts, rng: np.random.Generator) -> None:
        s = _pick(rng, _unselected(sim, recommended=True))
        s.overrides["is_recommended"] = written
        note = f"省级推荐写作“{written}”，规范为“是”"
        s.marks.append(Mark("is_recommended", note, "fix.bool_text", "fix"))

    return plant


def _unit_whitespace(sim: Year, experts: Experts, rng: np.random.Generator) -> None:
    s = _pick(rng, _unselected(sim))
    s.overrides["unit_name"] = f" {s.unit.written(s.year)[0]} "
    s.marks.append(Mark("unit_name", "申报单位名称前后有空格", "fix.whitespace", "fix"))


def _duplicate(sim: Year, experts: Experts, rng: np.random.Generator) -> None:
    """An exact second copy of an unscored row, further down the file."""
    s = _pick(rng, _unscored(sim.subs))
    note = "与前面某一行完全相同（重复提交）"
    copy = replace(s, overrides=dict(s.overrides), marks=[Mark("submission_id", note, "key.unique",
                                                                 "blocking")])  # fmt: skip
    at = sim.rows.index(s)
    sim.rows.insert(int(rng.integers(at + 1, len(sim.rows) + 1)), copy)


def _first_round_only(sim: Year) -> list[Sub]:
    later = {s.key for s in sim.reached["复评"]}
    return [s for s in sim.reached["初评"] if s.key not in later]


def _extra_score(
    sim: Year, experts: Experts, rng: np.random.Generator, sub: Sub | None, expert: int = -1
) -> ScoreRow:
    """One more 初评 score row, by an expert who has not scored this case yet."""
    taken = {r.expert for r in sim.scores if sub is not None and r.sub is sub}
    province = sub.unit.province if sub else ""
    if expert < 0:
        options = [int(e) for e in sim.panels["初评"] if e != experts.outlier and e not in taken
                   and experts.provinces[e] != province]  # fmt: skip
        expert = options[int(rng.integers(len(options)))]
    quality = np.array([sub.quality if sub else 0.0])
    points, totals = score_points(quality, experts.severity[[[expert]]], sim.rules, rng)
    when = score_times("初评", sim.rules, 1, rng)[0]
    sid = sub.sid if sub else ""
    return ScoreRow("初评", sub, sid, expert, points[0, 0].tolist(), float(totals[0, 0]), when)


def _above_max(sim: Year, experts: Experts, rng: np.random.Generator) -> None:
    row = _extra_score(sim, experts, rng, _pick(rng, _first_round_only(sim)))
    i = next(i for i, c in enumerate(sim.rules.criteria) if c.field == "innovation")
    row.points[i] = sim.rules.criteria[i].max + 2
    row.total = round(
        sum(p * c.weight for p, c in zip(row.points, sim.rules.criteria, strict=True)), 2
    )
    note = f"创新性{row.points[i]:g}分，超过满分{sim.rules.criteria[i].max:g}分"
    row.marks = (Mark("innovation", note, "score.max", "blocking"),)
    sim.scores.append(row)


def _wrong_total(sim: Year, experts: Experts, rng: np.random.Generator) -> None:
    row = _extra_score(sim, experts, rng, _pick(rng, _first_round_only(sim)))
    row.total = round(row.total - 5, 2)
    row.marks = (Mark("total_score", "总分比各项得分之和少5分", "score.total", "blocking"),)
    sim.scores.append(row)


def _own_province_expert(sim: Year, experts: Experts, rng: np.random.Generator) -> None:
    """An extra 初评 row by an expert from the case's own province (回避 was missed)."""
    sub = _pick(rng, [s for s in _first_round_only(sim) if s.unit.province == "北京"])
    taken = {r.expert for r in sim.scores if r.sub is sub}
    options = [i for i, p in enumerate(experts.provinces) if p == "北京" and i not in taken]
    row = _extra_score(sim, experts, rng, sub, options[int(rng.integers(len(options)))])
    note = "专家与申报单位同属北京，应回避"
    row.marks = (Mark("expert_province", note, "score.conflict", "blocking"),)
    sim.scores.append(row)


def _unknown_submission(sim: Year, experts: Experts, rng: np.random.Generator) -> None:
    row = _extra_score(sim, experts, rng, None)
    last = max(int(s.sid.split("-")[1]) for s in sim.subs)
    row.sid = f"{sim.rules.year}-{last + 17:06d}"
    row.marks = (Mark("submission_id", "申报表中没有这个申报编号", "ref.submission", "blocking"),)
    sim.scores.append(row)


def _severe_expert(sim: Year, experts: Experts, rng: np.random.Generator) -> None:
    note = "该专家的总分普遍比同一案例的其他专家低约20分"
    mark = Mark("expert_id", note, "score.outlier", "warning")
    sim.marks.append(("scores", mark, experts.ids[experts.outlier]))


FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
BEFORE_REVIEW = {
    2019: (_bad_province,),
    2023: (_too_long,),
    2024: (_quota_excess, _late_entry, _no_category),
}
AFTER_REVIEW = {
    2019: (_fullwidth_chars,),
    2020: (_bool_text("Y"), _unknown_submission, _duplicate),
    2021: (_alias("广西", "广西壮族自治区"), _wrong_total),
    2022: (_alias("内蒙古", "内蒙"), _above_max),
    2024: (_alias("浙江", "浙江省"), _fullwidth_chars, _bool_text("√"), _severe_expert),
    2025: (_alias("浙江", "Zhejiang"), _unit_whitespace, _own_province_expert),
}

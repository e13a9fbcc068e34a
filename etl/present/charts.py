"""Pure Plotly figure builders: data in, figure out, no Streamlit calls.

Every figure uses the house template (Chinese fonts, one colour per category/track/region),
Chinese labels and numbers formatted by etl.present.fmt, so a PNG download reads as the page.
Charts that span years mark the 2023→2024 change of scheme and never join a line across it.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import polars as pl
from plotly.colors import sample_colorscale

from etl import glossary
from etl.present import fmt, theme
from etl.present.labels import SCHEME_CHANGE_YEAR, Measure

TILE_PX = 62  # one tile of the grid map, in pixels; the map has a fixed size so tiles stay square
_TILE_GAP = 0.9  # share of the tile the square fills


def _figure(height: int = 360, **layout: object) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(template=theme.TEMPLATE, height=height, **layout)
    return fig


def _texts(values: Sequence[float | None], kind: str, unit: str = "") -> list[str]:
    if kind == "count":
        return [fmt.count(v, "") for v in values]
    return [fmt.value(v, kind, unit) for v in values]


def funnel(labels: Sequence[str], values: Sequence[int]) -> go.Figure:
    """The review funnel 申报 → … → 入选, each stage with its count and share of 申报."""
    fig = _figure(height=340)
    first = values[0] or 1
    fig.add_trace(
        go.Funnel(
            y=list(labels),
            x=list(values),
            text=[f"{v:,} 个（{v / first * 100:.1f}%）" for v in values],
            textinfo="text",
            marker={"color": theme.FUNNEL_COLOUR},
            connector={"line": {"color": theme.MUTED}},
            hovertemplate="%{y}：%{x:,} 个<extra></extra>",
        )
    )
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return fig


def share_donut(labels: Sequence[str], values: Sequence[int], centre: str) -> go.Figure:
    """Shares of a whole (e.g. submissions by category), one colour per category/track."""
    fig = _figure(height=340, showlegend=True)
    fig.add_trace(
        go.Pie(
            labels=list(labels),
            values=list(values),
            hole=0.55,
            sort=False,
            direction="clockwise",
            marker={"colors": [theme.colour(label) for label in labels]},
            texttemplate="%{label}<br>%{value:,} 个<br>%{percent:.1%}",
            hovertemplate="%{label}：%{value:,} 个（%{percent:.1%}）<extra></extra>",
        )
    )
    fig.update_layout(
        annotations=[{"text": centre, "showarrow": False, "font": {"size": 15}}],
        legend={"orientation": "v", "x": 1.02, "y": 0.5},
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
    )
    return fig


def ranked_bars(
    names: Sequence[str],
    values: Sequence[float | None],
    measure: Measure,
    notes: Sequence[str] | None = None,
    highlight: str | None = None,
) -> go.Figure:
    """A ranking, best at the top; each bar says its value and, when given, a note such as
    「第3名 ↑2」. The highlighted name is drawn in the accent colour."""
    labels = _texts(values, measure.kind, measure.unit)
    text = [f"{v}　{n}" for v, n in zip(labels, notes, strict=True)] if notes else labels
    colours = [theme.HIGHLIGHT if n == highlight else theme.FUNNEL_COLOUR for n in names]
    fig = _figure(height=max(260, 22 * len(names) + 60))
    fig.add_trace(
        go.Bar(
            y=list(names),
            x=list(values),
            orientation="h",
            marker={"color": colours},
            text=text,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}：%{text}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(title=measure.label, **_axis_format(measure.kind))
    fig.update_layout(margin={"l": 10, "r": 90, "t": 10, "b": 10})
    return fig


def _axis_format(kind: str) -> dict[str, object]:
    if kind == "rate":
        return {"tickformat": ".0%"}
    if kind == "score":
        return {"tickformat": ".0f"}
    return {"tickformat": ",d"}


def grouped_bars(
    groups: Sequence[str],
    series: dict[str, Sequence[float | None]],
    colours: dict[str, str],
    kind: str,
    notes: dict[str, Sequence[str]] | None = None,
) -> go.Figure:
    """Side-by-side bars: one bar per series in each group (e.g. 本省/区域/全国 per rate)."""
    fig = _figure(height=340, barmode="group")
    for name, values in series.items():
        text = _texts(values, kind)
        if notes and name in notes:
            text = [f"{t}<br>{n}" for t, n in zip(text, notes[name], strict=True)]
        fig.add_trace(
            go.Bar(
                name=name,
                x=list(groups),
                y=list(values),
                marker={"color": colours.get(name, theme.MUTED)},
                text=text,
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"{name}<br>%{{x}}：%{{text}}<extra></extra>",
            )
        )
    fig.update_yaxes(**_axis_format(kind))
    return fig


def year_bars(
    years: Sequence[int],
    series: dict[str, Sequence[float | None]],
    colours: dict[str, str],
    kind: str = "count",
    notes: dict[int, str] | None = None,
) -> go.Figure:
    """Bars by year (grouped when several series), with the change of scheme marked. `notes`
    labels a year where a bar is missing on purpose (入选数未公布, 不适用), so an absent bar is
    never read as zero."""
    labels = [str(y) for y in years]
    fig = grouped_bars(labels, series, colours, kind)
    # The note goes under its year's tick: drawn over the bars, it hid the bar beside the one
    # that is missing (e.g. 2025's 申报数 under 入选数未公布).
    notes = {str(y): note for y, note in (notes or {}).items() if str(y) in labels}
    fig.update_xaxes(
        type="category",
        title="年度",
        tickmode="array",
        tickvals=labels,
        ticktext=[f"{y}<br><sub>{notes[y]}</sub>" if y in notes else y for y in labels],
    )
    return mark_scheme_change(fig, years)


def mark_scheme_change(fig: go.Figure, years: Sequence[int]) -> go.Figure:
    """A dashed line between 2023 and 2024 with its reason, on a category axis of years."""
    labels = [str(y) for y in years]
    if str(SCHEME_CHANGE_YEAR) not in labels or str(SCHEME_CHANGE_YEAR - 1) not in labels:
        return fig
    position = labels.index(str(SCHEME_CHANGE_YEAR)) - 0.5
    fig.add_vline(
        x=position,
        line={"dash": "dash", "color": theme.SCHEME_CHANGE_COLOUR, "width": 1},
        annotation_text="2024年起改为四个类别",
        annotation_position="top",
        annotation_font={"size": 11, "color": theme.SCHEME_CHANGE_COLOUR},
    )
    return fig


def score_boxes(stats: pl.DataFrame) -> go.Figure:
    """Box plots from precomputed quartiles (scope, n, min_score, q1, median, q3, max_score):
    the distribution is summarised in SQL, never shipped row by row."""
    fig = _figure(height=320, showlegend=False)
    for row in stats.iter_rows(named=True):
        fig.add_trace(
            go.Box(
                y=[f"{row['label']}（{row['n']:,} 个）"],
                name=row["label"],
                q1=[row["q1"]],
                median=[row["median"]],
                q3=[row["q3"]],
                lowerfence=[row["min_score"]],
                upperfence=[row["max_score"]],
                mean=[row["mean_score"]],
                marker={"color": theme.SCOPE_COLOURS.get(row["scope"], theme.MUTED)},
                orientation="h",
                hoverinfo="x",
            )
        )
    fig.update_xaxes(title="初评得分（分）", tickformat=".0f")
    fig.update_yaxes(autorange="reversed")
    return fig


def quota_bars(labels: Sequence[str], recommended: Sequence[int], quota: int) -> go.Figure:
    """Recommended submissions per category against the quota line; over quota in red."""
    colours = [
        theme.HIGHLIGHT if r > quota else theme.colour(c)
        for c, r in zip(labels, recommended, strict=True)
    ]
    fig = _figure(height=300, showlegend=False)
    fig.add_trace(
        go.Bar(
            x=list(labels),
            y=list(recommended),
            marker={"color": colours},
            text=[f"{r} / {quota}" for r in recommended],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}：推荐 %{y} 个<extra></extra>",
        )
    )
    fig.add_hline(
        y=quota,
        line={"dash": "dash", "color": theme.HIGHLIGHT},
        annotation_text=f"配额 {quota} 个",
        annotation_position="top left",
    )
    fig.update_yaxes(
        title="省级推荐（个）", tickformat=",d", range=[0, max([quota, *recommended]) + 1.5]
    )
    return fig


def tile_map(
    provinces: pl.DataFrame,
    values: pl.DataFrame,
    measure: Measure,
    focus: str | None = None,
) -> go.Figure:
    """China as a grid of equal tiles, one per province-level submitter, coloured by measure.

    provinces: ref rows (province, takes_part, tile_row, tile_col). values: one row per
    province in scope (province, value, note, submissions, hover); where value is null the
    tile is pale and says `note` (「无申报」, or 「未公布」 for a result withheld from the
    viewer). Provinces out of scope are blank (「未选」); 台湾/香港/澳门 are grey and labelled
    不参评. No borders are drawn: this is not a map under 审图 rules.
    """
    tiles = provinces.join(values, on="province", how="left")
    fig = _figure(
        height=8 * TILE_PX + 8,
        width=7 * TILE_PX + 4 + _COLORBAR_PX,
        showlegend=False,
        dragmode=False,
        margin={"l": 4, "r": _COLORBAR_PX, "t": 4, "b": 4},
    )
    shown = tiles.filter(pl.col("value").is_not_null())
    low, high = _range(shown["value"].to_list())
    _value_tiles(fig, shown, measure, focus, low, high)
    _idle_tiles(fig, tiles.filter(pl.col("takes_part") & pl.col("value").is_null()), focus)
    absent = tiles.filter(~pl.col("takes_part"))
    fig.add_trace(
        go.Scatter(
            x=absent["tile_col"].to_list(),
            y=absent["tile_row"].to_list(),
            mode="markers+text",
            marker={"symbol": "square", "size": _TILE_SIZE, "color": theme.NOT_TAKING_PART},
            text=[f"{p}<br>不参评" for p in absent["province"].to_list()],
            textfont={"size": 11, "color": "#718096"},
            hovertemplate="%{text}<extra></extra>",
            customdata=absent["province"].to_list(),
        )
    )
    axis = {"visible": False, "fixedrange": True}
    fig.update_xaxes(range=[0.5, 7.5], **axis)
    fig.update_yaxes(range=[7.5, -0.5], **axis)
    return fig


_COLORBAR_PX = 100
_TILE_SIZE = TILE_PX * 0.9
# The sequential scale without its near-white end, so the palest value still reads as a
# value and not as 「无申报」.
_SCALE_STOPS = sample_colorscale(theme.SEQUENTIAL, [0.18 + 0.82 * i / 5 for i in range(6)])
TILE_SCALE = [[i / 5, c] for i, c in enumerate(_SCALE_STOPS)]


def _range(values: Sequence[float]) -> tuple[float, float]:
    if not values:
        return 0.0, 1.0
    low, high = min(values), max(values)
    return (low, high) if high > low else (low, low + 1.0)


def _value_tiles(
    fig: go.Figure,
    tiles: pl.DataFrame,
    measure: Measure,
    focus: str | None,
    low: float,
    high: float,
) -> None:
    values = tiles["value"].to_list()
    names = [_tile_name(p) for p in tiles["province"].to_list()]
    positions = [(v - low) / (high - low) for v in values]
    fig.add_trace(
        go.Scatter(
            x=tiles["tile_col"].to_list(),
            y=tiles["tile_row"].to_list(),
            mode="markers+text",
            marker={
                "symbol": "square",
                "size": _TILE_SIZE,
                "color": values,
                "colorscale": TILE_SCALE,
                "cmin": low,
                "cmax": high,
                "showscale": True,
                "colorbar": {
                    "title": {"text": measure.label},
                    "thickness": 14,
                    "len": 0.6,
                    **_axis_format(measure.kind),
                },
                "line": _focus_line(tiles, focus),
            },
            text=[f"{n}<br>{t}" for n, t in zip(names, _texts(values, measure.kind), strict=True)],
            textfont={"size": 11, "color": ["white" if p > 0.55 else "#1a202c" for p in positions]},
            customdata=tiles["province"].to_list(),
            hovertext=tiles["hover"].to_list(),
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )


def _idle_tiles(fig: go.Figure, tiles: pl.DataFrame, focus: str | None) -> None:
    in_scope = tiles["submissions"].is_not_null().to_list()
    notes = tiles["note"].to_list() if "note" in tiles.columns else ["无申报"] * tiles.height
    names = [_tile_name(p) for p in tiles["province"].to_list()]
    fig.add_trace(
        go.Scatter(
            x=tiles["tile_col"].to_list(),
            y=tiles["tile_row"].to_list(),
            mode="markers+text",
            marker={
                "symbol": "square",
                "size": _TILE_SIZE,
                "color": ["#edf2f7" if s else theme.OUT_OF_SCOPE for s in in_scope],
                "line": _focus_line(tiles, focus),
            },
            text=[
                f"{n}<br>{(note or '无申报') if s else '未选'}"
                for n, s, note in zip(names, in_scope, notes, strict=True)
            ],
            textfont={"size": 11, "color": "#718096"},
            customdata=tiles["province"].to_list(),
            hovertemplate="%{text}<extra></extra>",
        )
    )


def _focus_line(tiles: pl.DataFrame, focus: str | None) -> dict[str, list]:
    focused = [p == focus for p in tiles["province"].to_list()]
    return {
        "color": [theme.HIGHLIGHT if f else "white" for f in focused],
        "width": [4 if f else 1 for f in focused],
    }


def _tile_name(province: str) -> str:
    return {"新疆生产建设兵团": "兵团"}.get(province, province)


def choropleth(geojson: dict, values: pl.DataFrame, measure: Measure) -> go.Figure:
    """Provinces on a reviewed administrative map a deployer supplied (features keyed by
    adcode). Only the configured shapes are drawn: no world base map, no other borders."""
    fig = _figure(height=560, margin={"l": 0, "r": 0, "t": 0, "b": 0})
    fig.add_trace(
        go.Choropleth(
            geojson=geojson,
            featureidkey="properties.adcode",
            locations=values["code"].cast(pl.Int64).to_list(),
            z=values["value"].to_list(),
            colorscale=TILE_SCALE,
            marker={"line": {"color": "white", "width": 0.5}},
            colorbar={"title": {"text": measure.label}, **_axis_format(measure.kind)},
            customdata=values["province"].to_list(),
            hovertext=values["hover"].to_list(),
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    fig.update_geos(visible=False, fitbounds="geojson", projection_type="mercator")
    return fig


# 类别结构 ------------------------------------------------------------------------------------


def rate_bars(groups: Sequence[str], hits: Sequence[int], bases: Sequence[int]) -> go.Figure:
    """A rate per group (e.g. 入选率 per category), each bar in its group's colour and
    labelled with the counts behind it: 「12.5%（5/40）」."""
    rates = [h / b if b else None for h, b in zip(hits, bases, strict=True)]
    fig = _figure(height=300, showlegend=False)
    fig.add_trace(
        go.Bar(
            x=list(groups),
            y=rates,
            marker={"color": [theme.colour(g) for g in groups]},
            text=[f"{fmt.pct(r)}（{h}/{b}）" for r, h, b in zip(rates, hits, bases, strict=True)],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}：%{text}<extra></extra>",
        )
    )
    fig.update_yaxes(title="入选率", **_axis_format("rate"))
    fig.update_xaxes(type="category")
    return fig


def group_heatmap(cells: pl.DataFrame, measure: Measure) -> go.Figure:
    """Provinces (rows, in the order given) × groups (columns): the full grid of `cells`
    (province, group, submissions, selected, selection_rate), coloured and labelled by the
    measure; the hover gives the counts behind every cell."""
    groups = list(dict.fromkeys(cells["group"].to_list()))
    provinces = list(dict.fromkeys(cells["province"].to_list()))
    width = len(groups)

    def grid(values: list) -> list[list]:
        return [values[i : i + width] for i in range(0, len(values), width)]

    values = cells[measure.key].to_list()
    hover = [
        f"{r['province']} · {r['group']}<br>申报 {r['submissions']:,} 个 · "
        f"入选 {fmt.WITHHELD if r['selected'] is None else format(r['selected'], ',')} 个"
        f"（入选率 {fmt.pct(r['selection_rate'])}）"
        for r in cells.iter_rows(named=True)
    ]
    fig = _figure(height=max(320, 22 * len(provinces) + 80))
    fig.add_trace(
        go.Heatmap(
            z=grid(values),
            x=groups,
            y=provinces,
            text=grid(_texts(values, measure.kind)),
            texttemplate="%{text}",
            customdata=grid(hover),
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=theme.SEQUENTIAL,
            zmin=0,
            xgap=2,
            ygap=2,
            colorbar={
                "title": {"text": measure.label},
                "thickness": 14,
                **_axis_format(measure.kind),
            },
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(side="top", type="category")
    fig.update_layout(margin={"l": 10, "r": 10, "t": 30, "b": 10})
    return fig


def mix_bars(mix: pl.DataFrame, values: Sequence[str], title: str) -> go.Figure:
    """100% stacked bars: for each group (rows of `mix`: group, value, submissions, share),
    how its submissions split over the values (e.g. 中央/省级/地市级/县级), in their colours."""
    groups = list(dict.fromkeys(mix["group"].to_list()))
    fig = _figure(height=60 + 46 * len(groups), barmode="stack")
    for value in values:
        part = mix.filter(pl.col("value") == value)
        if part.is_empty():
            continue
        lookup = {r["group"]: r for r in part.iter_rows(named=True)}
        rows = [lookup.get(g) for g in groups]
        fig.add_trace(
            go.Bar(
                name=value,
                y=groups,
                x=[r["share"] if r else 0 for r in rows],
                orientation="h",
                marker={"color": theme.colour(value)},
                text=[fmt.pct(r["share"]) if r and r["share"] >= 0.06 else "" for r in rows],
                textposition="inside",
                customdata=[r["submissions"] if r else 0 for r in rows],
                hovertemplate=f"%{{y}} · {value}：%{{customdata:,}} 个（%{{x:.1%}}）<extra></extra>",
            )
        )
    fig.update_xaxes(title=title, tickformat=".0%", range=[0, 1])
    fig.update_yaxes(autorange="reversed", type="category")
    return fig


# 评分分析 ------------------------------------------------------------------------------------


def stage_boxes(stats: pl.DataFrame) -> go.Figure:
    """Box plots of per-submission mean scores, one per group × stage, from quartiles
    computed in SQL (group, stage, n, min_score, q1, median, q3, max_score, mean_score,
    cutoff); each group's cut-off of the selected is a red mark on its 终评 box."""
    fig = _figure(height=80 + 34 * stats.height, showlegend=True)
    shown: set[str] = set()
    # One trace per box: Plotly reads precomputed quartiles on a two-level axis one box a trace.
    # The second level is the bare stage name, so every group lists its stages in one order.
    for row in stats.iter_rows(named=True):
        stage = row["stage"]
        colour = theme.STAGE_COLOURS.get(stage, theme.MUTED)
        fig.add_trace(
            go.Box(
                name=stage,
                legendgroup=stage,
                showlegend=stage not in shown,
                y=[[row["group"]], [stage]],
                q1=[row["q1"]],
                median=[row["median"]],
                q3=[row["q3"]],
                lowerfence=[row["min_score"]],
                upperfence=[row["max_score"]],
                mean=[row["mean_score"]],
                orientation="h",
                marker={"color": colour},
                line={"color": colour},
                fillcolor=colour,
                opacity=0.85,
            )
        )
        shown.add(stage)
    cut = stats.filter(pl.col("stage") == glossary.final_stage(), pl.col("cutoff").is_not_null())
    if not cut.is_empty():
        fig.add_trace(
            go.Scatter(
                name="入选线",
                x=cut["cutoff"].to_list(),
                y=[cut["group"].to_list(), [glossary.final_stage()] * cut.height],
                mode="markers",
                marker={
                    "symbol": "line-ns",
                    "size": 26,
                    "line": {"width": 3, "color": theme.HIGHLIGHT},
                },
                hovertemplate="%{y}<br>入选线：%{x:.1f} 分<extra></extra>",
            )
        )
    fig.update_xaxes(title="每个案例的专家平均分（分）", tickformat=".0f")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


def expert_scatter(experts: pl.DataFrame, names: Sequence[str]) -> go.Figure:
    """Each expert as a dot: compared scores across, mean deviation from peers up; 偏严 and
    偏宽 in colour, the rest grey, a zero line for 「与同组专家一致」."""
    fig = _figure(height=380, showlegend=True)
    colours = {
        "偏严": "#2b6cb0",
        "偏宽": theme.HIGHLIGHT,
        "正常": theme.MUTED,
        "评分过少": "#e2e8f0",
    }
    shown = experts.with_columns(pl.Series("name", list(names)))
    for verdict, colour in colours.items():
        rows = shown.filter(pl.col("verdict") == verdict)
        if rows.is_empty():
            continue
        fig.add_trace(
            go.Scatter(
                name=verdict,
                x=rows["compared"].to_list(),
                y=rows["mean_deviation"].to_list(),
                mode="markers",
                marker={"color": colour, "size": 9, "line": {"color": "#4a5568", "width": 0.5}},
                customdata=rows.select("name", "stage", "mean_score").rows(),
                hovertemplate=(
                    "%{customdata[0]}（%{customdata[1]}）<br>评分 %{x} 次<br>"
                    "平均偏差 %{y:+.1f} 分<br>平均给分 %{customdata[2]:.1f} 分<extra></extra>"
                ),
            )
        )
    fig.add_hline(y=0, line={"color": "#4a5568", "width": 1})
    fig.update_xaxes(title="与同组专家共同评分的次数", tickformat=",d")
    fig.update_yaxes(title="与同组专家的平均偏差（分）", tickformat="+.0f", zeroline=False)
    return fig


def rank_slopes(moves: pl.DataFrame) -> go.Figure:
    """How the finalists' ranks move from 初评 through 复评 to 终评 (1 at the top), one line
    per case; the selected in red. Two traces (lines broken by gaps), not one per case."""
    stages = list(glossary.stages())
    fig = _figure(height=max(360, 16 * moves.height + 80), showlegend=True)
    for label, chosen in (("未入选", False), ("入选", True)):
        rows = moves.filter(pl.col("is_selected") == chosen)
        xs: list[str | None] = []
        ys: list[int | None] = []
        hover: list[str | None] = []
        for r in rows.iter_rows(named=True):
            ranks = (r["first_rank"], r["second_rank"], r["final_rank"])
            name = f"{r['title']}（{r['unit_name']}）"
            xs += [*stages, None]
            ys += [*ranks, None]
            hover += [f"{name}<br>{s}第 {k} 名" for s, k in zip(stages, ranks, strict=True)]
            hover.append(None)
        if not xs:
            continue
        fig.add_trace(
            go.Scatter(
                name=label,
                x=xs,
                y=ys,
                mode="lines+markers",
                line={"color": theme.SELECTED_COLOURS[label], "width": 2 if chosen else 1},
                marker={"size": 6},
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
                connectgaps=False,
            )
        )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=stages)
    fig.update_yaxes(title="组内名次", autorange="reversed", tickformat=",d")
    return fig


# 年度趋势 ------------------------------------------------------------------------------------


def trend_lines(
    rows: pl.DataFrame,
    value: str,
    kind: str,
    colours: dict[str, str],
    years: Sequence[int],
    y_title: str,
    notes: dict[int, str] | None = None,
) -> go.Figure:
    """One line per member (rows: year, member, `value`) across the years, never one line
    across the change of scheme: each member's years before 2024 and from 2024 are separate
    segments, joined only by a faint dotted connector (a count compares across as a count)
    when the member exists on both sides (a region, a province, a level — not a track or a
    category). The change is marked by the dashed line of mark_scheme_change. A year with no
    value on purpose (不适用 under the filters, 未公布) has no point, and `notes` label it."""
    labels = [str(y) for y in years]
    fig = _figure(height=400, showlegend=True)
    for member in dict.fromkeys(rows["member"].to_list()):
        own = rows.filter(pl.col("member") == member, pl.col(value).is_not_null()).sort("year")
        colour = colours.get(member, theme.colour(member))
        before = own.filter(pl.col("year") < SCHEME_CHANGE_YEAR)
        after = own.filter(pl.col("year") >= SCHEME_CHANGE_YEAR)
        for part, show in ((before, True), (after, before.is_empty())):
            if part.is_empty():
                continue
            fig.add_trace(_trend_segment(part, member, value, kind, colour, show))
        if not before.is_empty() and not after.is_empty():
            fig.add_trace(
                go.Scatter(
                    x=[str(SCHEME_CHANGE_YEAR - 1), str(SCHEME_CHANGE_YEAR)],
                    y=[before[value][-1], after[value][0]],
                    mode="lines",
                    line={"color": colour, "width": 1, "dash": "dot"},
                    opacity=0.6,
                    legendgroup=member,
                    showlegend=False,
                    hoverinfo="skip",
                )
            )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=labels)
    fig.update_yaxes(title=y_title, rangemode="tozero", **_axis_format(kind))
    fig.update_layout(legend={"orientation": "h", "y": -0.1, "yanchor": "top"})
    for year, note in (notes or {}).items():
        if str(year) not in labels:
            continue
        fig.add_annotation(
            x=labels.index(str(year)),  # the category's position (see year_bars)
            y=0.5,
            yref="paper",
            text=note,
            showarrow=False,
            textangle=-90,
            font={"size": 11, "color": theme.SCHEME_CHANGE_COLOUR},
            bgcolor="rgba(237,242,247,0.9)",
        )
    return mark_scheme_change(fig, years)


def _trend_segment(
    part: pl.DataFrame, member: str, value: str, kind: str, colour: str, show: bool
) -> go.Scatter:
    values = part[value].to_list()
    return go.Scatter(
        name=member,
        x=[str(y) for y in part["year"]],
        y=values,
        mode="lines+markers",
        line={"color": colour, "width": 2},
        marker={"size": 7},
        legendgroup=member,
        showlegend=show,
        text=_texts(values, kind),
        hovertemplate=f"{member} · %{{x}}年：%{{text}}<extra></extra>",
    )


def criterion_bars(criteria: Sequence[str], series: dict[str, Sequence[float | None]]) -> go.Figure:
    """Each criterion's mean as a share of its maximum, 入选 beside 未入选."""
    fig = grouped_bars(criteria, series, theme.SELECTED_COLOURS, "rate")
    fig.update_yaxes(title="平均得分占该项满分的比例")
    return fig

"""Pure Plotly figure builders: data in, figure out, no Streamlit calls.

Every figure uses the house template (Chinese fonts, one colour per category/track/region),
Chinese labels and numbers formatted by dashboard.fmt, so a PNG download reads as the page.
Charts that span years mark the 2023→2024 change of scheme and never join a line across it.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import polars as pl
from plotly.colors import sample_colorscale

from dashboard import fmt, theme
from dashboard.labels import SCHEME_CHANGE_YEAR, Measure

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
) -> go.Figure:
    """Bars by year (grouped when several series), with the change of scheme marked."""
    fig = grouped_bars([str(y) for y in years], series, colours, kind)
    fig.update_xaxes(type="category", title="年度")
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
    province in scope (province, value, submissions, hover); value is null when it submitted
    nothing (a pale tile, 「无申报」). Provinces out of scope are blank (「未选」); 台湾/香港/
    澳门 are grey and labelled 不参评. No borders are drawn: this is not a map under 审图 rules.
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
                f"{n}<br>{'无申报' if s else '未选'}" for n, s in zip(names, in_scope, strict=True)
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

"""Shared pieces of every page: the global filters, the header and footer, KPI cards,
tables that export themselves, charts, and the sentence shown instead of an empty chart.

The global filters live in the entry file (app.py calls sidebar_filters before the page
runs), so they persist across pages, and each is bound to a URL query parameter
(?year=2024&region=东部…), so a shared link restores the view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import auth, export, plotly_zh, queries
from dashboard.db import BUILD_COMMAND, Version
from dashboard.filters import Filters
from dashboard.navigation import PageSpec
from etl.access import audit, exports
from etl.config import SettingError, setting_mb
from etl.present import fmt, states, theme
from etl.present.labels import CENTRAL, REGIONS, SIMULATED, Measure
from etl.reference.programme import domains

# Query-parameter names of the global filters. Pages bind their own widgets under other
# names (地区分布 ?focus= and ?measure=, 地区对比 and 数据质量 ?province=). A page link's
# parameter is dropped when the page it leaves binds the same name, which is why 地区分布
# focuses with ?focus= and links to 地区对比 with ?province=.
YEAR, TRACK, CATEGORY, REGION, LEVEL, WITH_CENTRAL = (
    "year",
    "track",
    "category",
    "region",
    "level",
    "central",
)


# The warehouse --------------------------------------------------------------------------------


def warehouse_ready() -> bool:
    """True when a built warehouse can be read; otherwise a message saying how to build it."""
    try:
        queries.years()
    except queries.WarehouseMissing as missing:
        _missing(missing)
        return False
    return True


def run_page(page: st.Page, spec: PageSpec) -> None:
    """The page's header (from the page table), then the page; a warehouse that vanishes or
    is outdated mid-page gets the same message as a missing one, not a traceback."""
    try:
        page_header(spec)
        page.run()
    except queries.WarehouseMissing as missing:
        _missing(missing)


def _missing(missing: queries.WarehouseMissing) -> None:
    st.title("融合看板")
    st.warning(
        ("数据仓库不可用" if missing.reason else "还没有数据仓库") + f"（{missing.path}）。\n\n"
        f"请在项目目录运行 `{BUILD_COMMAND}` 构建演示仓库（模拟数据），"
        "或用 `python -m etl load 文件…` 导入导出文件，然后刷新本页。"
        + (f"\n\n原因：{missing.reason}" if missing.reason else "")
    )


# Global filters -------------------------------------------------------------------------------


def default_year(years: pl.DataFrame) -> int:
    """The newest year whose results are published (or the newest year, if none is)."""
    published = [r["year"] for r in years.to_dicts() if r["results_published"]]
    return int(max(published or years["year"].to_list()))


def sidebar_filters() -> None:
    """The global filters in the sidebar, bound to the URL. Call once, from the entry file."""
    years = queries.years()
    options = years["year"].to_list()
    default = default_year(years)
    tracks = list(dict.fromkeys(t for ts in years["tracks"].to_list() for t in ts))
    categories = list(dict.fromkeys(c for cs in years["categories"].to_list() for c in cs))
    with st.sidebar:
        st.subheader("筛选")
        st.selectbox(
            "年度",
            options,
            index=options.index(default),
            key=YEAR,
            bind="query-params",
            placeholder="请选择",
        )
        _unpublished_note(years)
        _pick(
            "申报类型",
            tracks,
            TRACK,
            "2019—2023年分先导单位、典型案例、成长项目；2024年起只有典型案例",
        )
        _pick("申报类别", categories, CATEGORY, "2024年起的四个类别；选择后不含2024年以前的申报")
        _pick("区域", list(REGIONS), REGION, "国家统计局四大区域，兵团单列；中央单位不属于任何区域")
        _pick("单位层级", list(domains()["unit_level"]), LEVEL, "只按公布名单录入的条目没有层级")
        st.toggle(
            f"含{CENTRAL}",
            value=True,
            key=WITH_CENTRAL,
            bind="query-params",
            disabled=bool(st.session_state.get(REGION)),
            help="选择了区域时，中央单位不计入（它不属于任何区域）",
        )
        st.button("重置筛选", on_click=_reset, args=(default,), width="stretch")


def _pick(label: str, options: list[str], key: str, help_text: str) -> None:
    st.multiselect(
        label,
        options,
        key=key,
        bind="query-params",
        placeholder="全部",
        help=help_text,
        select_all=False,
    )


INTERNAL_NOTE = (
    "内部资料：{year}年度评审结果尚未公示、公布，本页的评审与入选数据仅供内部参阅，请勿对外提供。"
)


def _unpublished_note(years: pl.DataFrame) -> None:
    chosen = year_row(years, st.session_state.get(YEAR))
    if chosen and not chosen["results_published"]:
        st.caption(f"{chosen['year']}年度结果尚未公布，入选数据仅供内部参阅。")


def _reset(default: int) -> None:
    st.session_state[YEAR] = default
    for key in (TRACK, CATEGORY, REGION, LEVEL):
        st.session_state[key] = []
    st.session_state[WITH_CENTRAL] = True


def filters() -> Filters:
    """The filters chosen in the sidebar (sidebar_filters has run in this rerun)."""
    state = st.session_state
    return Filters(
        year=int(state[YEAR]),
        tracks=tuple(state.get(TRACK) or ()),
        categories=tuple(state.get(CATEGORY) or ()),
        regions=tuple(state.get(REGION) or ()),
        levels=tuple(state.get(LEVEL) or ()),
        include_central=bool(state.get(WITH_CENTRAL, True)) and not state.get(REGION),
    )


# Header, footer, notes ------------------------------------------------------------------------


def page_header(spec: PageSpec) -> None:
    """The page title, what the page is for, the filters in force (as the page table says
    the page uses them), and the data's labels: 模拟数据 whenever the warehouse holds
    simulated data, and the data date."""
    version = queries.version()
    f = {"all": filters, "nationwide": lambda: filters().nationwide()}.get(spec.filters)
    f = f() if f else None
    intro = spec.intro
    st.title(spec.title)
    badges = [f":gray-badge[数据截至 {fmt.day(version.data_as_of)}]"]
    if version.is_simulated:
        badges.insert(0, f":orange-badge[:material/science: {SIMULATED}]")
    if f and internal_year(f.year):
        badges.insert(0, f":red-badge[:material/lock: {fmt.INTERNAL}]")
    st.markdown(" ".join(badges))
    st.caption(intro + (f"　当前筛选：{f.describe()}" if f else ""))
    if f and internal_year(f.year):
        st.warning(INTERNAL_NOTE.format(year=f.year), icon=":material/lock:")


def footer() -> None:
    """Freshness and provenance under every page."""
    version = queries.version()
    st.divider()
    text = f"数据截至 {fmt.day(version.data_as_of)} · 仓库版本 {version.version}"
    if version.is_simulated:
        text += f" · {SIMULATED}：按公开信息校准生成，不代表真实申报与评审情况"
    st.caption(text)


def house_style() -> None:
    """dashboard/style.css on the page (read once per process, not on every rerun)."""
    st.html(_style_sheet())


@cache
def _style_sheet() -> str:
    return f"<style>{(Path(__file__).parent / 'style.css').read_text(encoding='utf-8')}</style>"


def upload_note() -> None:
    """Under a file uploader: what it takes, in Chinese (its own English words are hidden)."""
    try:
        limit = f"每个文件不超过 {setting_mb('max_file_mb') // 2**20:,} MB"
    except SettingError:
        limit = "文件大小上限的设置有误，请管理员检查"
    st.caption(f"把文件拖到上面的框中，或点击「选择文件」：CSV、XLSX 或 XLS，{limit}。")


def empty(message: str) -> None:
    """A sentence instead of an empty chart or a traceback."""
    st.info(message, icon=":material/info:")


def not_applicable_sentence(f: Filters) -> str:
    """The chosen year's scheme cannot match the filters (a 申报类别 before 2024, 先导单位 or
    成长项目 from 2024): the year is 不适用, not empty."""
    chosen = "、".join((*f.categories, *f.tracks))
    return (
        f"{fmt.NOT_APPLICABLE}：{f.year}年度没有“{chosen}”。2019—2023年按先导单位、典型案例、"
        "成长项目三种申报类型推选，不分申报类别；2024年起只有典型案例，分四个类别。"
        "请调整年度或左侧的申报类型、申报类别。"
    )


def no_data_sentence(f: Filters) -> str:
    return (
        f"{f.year}年度在当前筛选条件（{f.describe()}）下没有申报数据。请在左侧调整年度或筛选条件。"
    )


def year_state(f: Filters, year: int | None = None) -> states.YearState:
    """The chosen (or given) year under the filters: whether its scheme applies and whether
    its results are published, internal or withheld for this session's role."""
    year = f.year if year is None else year
    return states.of_row(year_row(queries.year_totals(f), year), year)


def internal_year(year: int) -> bool:
    """The year's results are not yet published and this role sees them: mark it 内部."""
    row = year_row(queries.years(), year)
    return auth.current().role.unpublished and row is not None and not row["results_published"]


def year_row(frame: pl.DataFrame, year: int | None) -> dict | None:
    """The row of one year of a per-year frame, as a dict (None when absent).

    Looked up in Python, not with a Polars filter: a per-year frame has a handful of rows,
    and every rerun asks this several times; each Polars query gives up the GIL and, with
    fifty sessions' threads waiting for it, waits milliseconds to take it back (issue 16:
    these lookups were 18% of a busy worker's script samples, py-spy at 50 sessions)."""
    if year is None:
        return None
    return next((row for row in frame.to_dicts() if row["year"] == year), None)


# KPI cards ------------------------------------------------------------------------------------


def kpi(
    measure: Measure,
    now: float | None,
    before: float | None = None,
    *,
    state: states.YearState | None = None,
) -> None:
    """A KPI card: the measure's label, value in its unit and help, with its change on the
    previous year (before=None: no comparison shown). `state` says whether the value is
    withheld (未公布), not applicable (不适用) or internal (the label says 内部)."""
    state = state or states.YearState(0)
    delta = None if state.note(measure) else fmt.change(now, before, measure.kind, measure.unit)
    st.metric(
        states.label(measure, state),
        states.shown(now, measure, state),
        delta,
        delta_color="off",
        delta_arrow="off" if delta == fmt.SAME else "auto",
        help=measure.help,
        border=True,
    )


# Charts and tables ----------------------------------------------------------------------------


def chart(
    fig: go.Figure, key: str, file_stem: str, *, internal: bool = False, **kwargs: object
) -> object:
    """A Plotly chart in the house theme; its PNG download carries a Chinese file name.
    internal=True marks it 内部 (a result not yet published), on screen and in the PNG."""
    if internal:
        fig = go.Figure(fig)  # figures are shared from a cache: mark a copy
        fig.add_annotation(
            text=f"{fmt.INTERNAL} · 未公布",
            xref="paper",
            yref="paper",
            x=1,
            y=1,
            xanchor="right",
            yanchor="bottom",
            showarrow=False,
            font={"color": theme.HIGHLIGHT, "size": 12},
            bgcolor="rgba(255,255,255,0.8)",
        )
        file_stem = f"{file_stem}_{fmt.INTERNAL}"
    config = {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": file_stem, "scale": 2},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
        **plotly_zh.config(),
    }
    return st.plotly_chart(fig, key=key, theme=None, config=config, **kwargs)


def figure(builder: Callable[..., go.Figure], *args: object, **kwargs: object) -> go.Figure:
    """builder(*args, **kwargs), built once per distinct input and then served from memory.

    Building a Plotly figure object costs tens of milliseconds (every property is
    validated), more than a warm rerun may spend; serving it costs about one. The cache key
    is the builder and its inputs (frames hashed by content), so a figure is shared only
    with whoever asked for exactly the same data. Shared figures must not be changed after.
    """
    name = f"{builder.__module__}.{builder.__qualname__}"
    return _built(name, builder, args, tuple(sorted(kwargs.items())))


@st.cache_resource(show_spinner=False, max_entries=500)
def _built(name: str, _builder: Callable[..., go.Figure], args: tuple, kwargs: tuple) -> go.Figure:
    return _builder(*args, **dict(kwargs))


def table(
    frame: pl.DataFrame,
    name: str,
    f: Filters | None,
    key: str,
    *,
    height: int | str = "auto",
    extra_parts: tuple[str, ...] = (),
) -> None:
    """A table with Chinese headers, numbers formatted, and .xlsx / CSV downloads of exactly
    what is shown (file name: the table's name and the filters in force)."""
    # Arrow straight from Polars: st.dataframe would otherwise go through pandas.
    st.dataframe(
        frame.to_arrow(),
        hide_index=True,
        height=height,
        column_config=formats(frame),
        key=f"{key}_table",
        placeholder="—",  # an empty cell, not the English word None
    )
    downloads(frame, name, f, key, extra_parts=extra_parts)


def downloads(
    frame: pl.DataFrame,
    name: str,
    f: Filters | None,
    key: str,
    *,
    extra_parts: tuple[str, ...] = (),
) -> None:
    """The .xlsx and CSV downloads of a frame, for a table shown otherwise (e.g. a search
    result shown a page at a time but exported whole). Files are built only when clicked,
    through etl.access.exports, and each download is written to the audit log."""
    parts = (f.slug() if f else "", *extra_parts)
    if f and internal_year(f.year):  # results not yet published travel marked 内部
        parts = (*parts, fmt.INTERNAL)
    access = auth.current()
    about = export_about(name, f, frame.height, extra_parts)
    left, right, _ = st.columns([1, 1, 4])
    for column, suffix, label in ((left, "xlsx", "下载 Excel"), (right, "csv", "下载 CSV")):
        file = Export(
            frame,
            name,
            export.file_name(name, suffix, *parts),
            access.who,
            access.scope.key,
            about,
        )
        with column:
            _offer(file, f"{key}_{suffix}", label, MIME[suffix], ":material/download:")


def _offer(file: Export | Bundle, key: str, label: str, mime: str, icon: str) -> None:
    """A download button for a file built when clicked, kept by key for the tests."""
    st.session_state.setdefault(EXPORTS, {})[key] = file
    st.download_button(
        label,
        data=file,
        file_name=file.file_name,
        mime=mime,
        key=key,
        on_click="ignore",
        icon=icon,
    )


def export_about(
    name: str, f: Filters | None, rows: int | None = None, extra_parts: tuple[str, ...] = ()
) -> exports.About:
    """What a file says about itself: the table, the filters, the data date, the dataset
    version (build and its time) and, for simulated data, 模拟数据."""
    version = queries.version()
    filters = " · ".join(p for p in (f.describe() if f else "", *extra_parts) if p)
    if f and internal_year(f.year):
        filters += f"（{fmt.INTERNAL}：评审结果尚未公布，仅供内部参阅）"
    return exports.About(
        title=name,
        filters=filters,
        scope=f"{auth.current().scope.label}可见的数据",
        data_as_of=fmt.day(version.data_as_of),
        version=dataset_version(version),
        simulated=version.is_simulated,
        rows=rows,
    )


def dataset_version(version: Version) -> str:
    """仓库版本 and when it was built: the build a reader cites."""
    built = f"（构建于 {fmt.moment(version.built_at)}）" if version.built_at else ""
    return f"{version.version}{built}"


def dataset_downloads(about: exports.About) -> None:
    """The role's whole dataset, one ZIP per format; built when clicked, and audited."""
    access = auth.current()
    left, right, _ = st.columns([1, 1, 3])
    for column, kind, label in (
        (left, "csv", "下载 CSV 包"),
        (right, "parquet", "下载 Parquet 包"),
    ):
        name = export.file_name("融合看板数据集", "zip", access.scope.label, kind)
        file = Bundle(queries.dataset_bundle(kind, about), name, access)
        with column:
            _offer(file, f"dataset_{kind}", label, "application/zip", ":material/folder_zip:")


@dataclass(frozen=True, eq=False)
class Bundle:
    """A dataset download: built when the browser asks, audited like every export."""

    build: Callable[[], bytes]
    file_name: str
    access: auth.Access

    def __call__(self) -> bytes:
        data = self.build()
        audit.record(self.access.who, "export", self.file_name, None, role=self.access.scope.key)
        return data


EXPORTS = "_exports"  # the exports offered on the page last shown, by button key (for tests)
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


@dataclass(frozen=True, eq=False)
class Export:
    """A download, built when the browser asks for it (Streamlit calls it then, outside the
    script run, so who and the scope are taken when the button is drawn) and audited."""

    frame: pl.DataFrame
    name: str
    file_name: str
    who: str
    scope_key: str
    about: exports.About | None = None

    def __call__(self) -> bytes:
        if self.file_name.endswith(".csv"):
            data = export.to_csv(self.frame, self.about)
        else:
            data = export.to_xlsx(self.frame, self.name, self.about)
        audit.record(self.who, "export", self.file_name, self.frame.height, role=self.scope_key)
        return data


def formats(frame: pl.DataFrame) -> dict[str, object]:
    """Column formats for a table with Chinese headers: thousands separators for counts,
    one decimal for rates (columns named …（%）) and scores."""
    config: dict[str, object] = {}
    for column, dtype in frame.schema.items():
        if dtype.is_integer() and column not in ("年度", "排名"):
            config[column] = st.column_config.NumberColumn(format="localized")
        elif dtype.is_float():
            digits = fmt.decimals(column)
            suffix = "%%" if column.endswith("（%）") else ""
            config[column] = st.column_config.NumberColumn(format=f"%.{digits}f{suffix}")
    return config

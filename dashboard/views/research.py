"""研究资料: the whole dataset this role may read as one download, its data dictionary, the
methodology behind every figure, and how to cite the dataset's version.

The bundle is read through the role's scoped database (etl.access.dataset), so it holds what
the pages show this role and nothing more; the dictionary is generated from docs/warehouse.md
and the glossary; the methodology is docs/methodology.md.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import components, queries
from etl.access import dataset
from etl.config import ROOT

METHODOLOGY = ROOT / "docs" / "methodology.md"


def main() -> None:
    about = components.export_about("融合看板数据集", None)
    download, dictionary, method, cite = st.tabs(["数据集下载", "数据字典", "方法说明", "引用"])
    with download:
        _download(about)
    with dictionary:
        _dictionary()
    with method:
        st.markdown(METHODOLOGY.read_text(encoding="utf-8"))
    with cite:
        _cite(about)


def _download(about: dataset.About) -> None:
    names = dataset.tables(queries.scope().role)
    st.markdown(
        f"本角色（{queries.scope().label}）可读的全部 {len(names)} 张表，每张表一个文件，"
        "附数据字典与说明（版本、数据截至、模拟数据标记）。CSV 为带 BOM 的 UTF-8，Excel 与 WPS "
        "可直接打开；Parquet 保留列类型，适合 Python、R、DuckDB。"
    )
    components.dataset_downloads(about)
    st.caption("表：" + "、".join(names))


def _dictionary() -> None:
    frame = queries.data_dictionary()
    names = frame["表"].unique(maintain_order=True).to_list()
    chosen = st.selectbox("表", names, index=None, placeholder="全部表", key="dictionary_table")
    shown = frame.filter(pl.col("表") == chosen) if chosen else frame
    if chosen:
        st.caption(shown["说明"][0])
    components.table(shown, "数据字典", None, "dictionary", extra_parts=(chosen or "全部",))


def _cite(about: dataset.About) -> None:
    st.markdown(f"**数据集版本** {about.version}　**数据截至** {about.data_as_of}")
    st.markdown("引用本数据集时请注明版本与数据截至日期，建议格式：")
    st.code(dataset.citation(about), language=None)
    if about.simulated:
        st.warning("当前仓库为模拟数据：可用于了解方法与看板，不得作为真实评审结果引用。")


main()

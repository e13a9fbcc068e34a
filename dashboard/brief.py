"""The written brief's buttons (总览: national; 地区对比: the province shown): the same file as
`python -m etl report`, for the signed-in role, built when the browser asks for it and recorded
in the audit log (etl/brief/produce.py). A role that may not have the brief is told why, and
gets no button."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard import auth, queries
from etl.brief.produce import FORMATS, MEDIA, Report, file_name, produce, refusal

BRIEFS = "_briefs"  # the briefs offered on the page last shown, by button key (for tests)
LABELS = {"docx": "分析报告（Word）", "pdf": "分析报告（PDF）"}


def offer(year: int, province: str | None = None) -> None:
    """Buttons for the year's brief (national, or the province's)."""
    access = auth.current()
    if reason := refusal(access.scope, province):
        st.caption(reason)
        return
    columns = st.columns([1, 1, 3])
    for column, form in zip(columns, FORMATS, strict=False):
        made = Brief(queries.version().path, access, year, province, form)
        st.session_state.setdefault(BRIEFS, {})[f"brief_{form}"] = made
        with column:
            st.download_button(
                LABELS[form],
                data=made,
                file_name=made.file_name,
                mime=made.media_type,
                key=f"brief_{form}",
                on_click="ignore",
                icon=":material/description:",
            )
    with columns[2]:
        st.caption("报告按全部申报统计，不受左侧筛选影响；生成约需数秒。")


@dataclass(frozen=True, eq=False)
class Brief:
    """A brief, produced when the browser asks for it (outside the script run, so who and the
    scope are taken when the button is drawn)."""

    db: str
    access: auth.Access
    year: int
    province: str | None
    form: str

    @property
    def file_name(self) -> str:
        return file_name(self.year, self.province, self.form)

    @property
    def media_type(self) -> str:
        return MEDIA[self.form]

    def __call__(self) -> bytes:
        return self.report().content

    def report(self) -> Report:
        return produce(
            self.db, self.access.scope, self.year, self.province, self.form, self.access.who
        )

"""The brief as data: a cover and a list of blocks, written to .docx by etl/brief/word.py.

Tables and figures are numbered as they are added (表1, 表2 …; 图1, 图2 …), so a section
never writes a number by hand and a section left out renumbers the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import plotly.graph_objects as go


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1: 一、总体情况; 2: （一）…


@dataclass(frozen=True)
class Paragraph:
    text: str
    note: bool = False  # a caption-sized note under a table or figure


@dataclass(frozen=True)
class Table:
    caption: str  # 表1　2024年度主要指标
    headers: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()  # column indexes aligned right


@dataclass(frozen=True)
class Figure:
    caption: str  # 图1　评审漏斗
    figure: go.Figure
    width_cm: float = 15.0


Block = Heading | Paragraph | Table | Figure


@dataclass
class Brief:
    title: str
    scope: str  # 全国 / 浙江省 ; and for whom: 领导 / 省局（浙江）
    audience: str
    data_date: str  # 数据截至2026年12月2日
    simulated: bool
    blocks: list[Block] = field(default_factory=list)
    _tables: int = 0
    _figures: int = 0
    _sections: int = 0
    _subsections: int = 0

    def section(self, title: str) -> None:
        """一、总体情况: numbered in the order sections are added."""
        self._sections += 1
        self._subsections = 0
        self.blocks.append(Heading(f"{_CHINESE[self._sections]}、{title}", 1))

    def sub(self, title: str) -> None:
        """（一）申报与排名: numbered within its section."""
        self._subsections += 1
        self.blocks.append(Heading(f"（{_CHINESE[self._subsections]}）{title}", 2))

    def say(self, *sentences: str) -> None:
        text = "".join(s for s in sentences if s)
        if text:
            self.blocks.append(Paragraph(text))

    def note(self, text: str) -> None:
        self.blocks.append(Paragraph(text, note=True))

    def table(
        self, title: str, headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset()
    ) -> str:
        """Adds 表N and returns its name (表N) for the sentence that cites it."""
        self._tables += 1
        name = f"表{self._tables}"
        self.blocks.append(Table(f"{name}　{title}", headers, rows, frozenset(numeric)))
        return name

    def figure(self, title: str, figure: go.Figure, width_cm: float = 15.0) -> str:
        self._figures += 1
        name = f"图{self._figures}"
        self.blocks.append(Figure(f"{name}　{title}", figure, width_cm))
        return name

    @property
    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


_CHINESE = " 一二三四五六七八九十"

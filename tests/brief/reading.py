"""Reading a brief's document model the way a reader reads the document."""

from __future__ import annotations

from etl.brief.document import Brief, Heading, Paragraph, Table


def headings(b: Brief, level: int = 1) -> list[str]:
    return [x.text for x in b.blocks if isinstance(x, Heading) and x.level == level]


def text(b: Brief) -> str:
    return "\n".join(x.text for x in b.blocks if isinstance(x, Paragraph))


def section_text(b: Brief, name: str) -> str:
    """The sentences of one section (its heading ends with `name`)."""
    out, inside = [], False
    for x in b.blocks:
        if isinstance(x, Heading) and x.level == 1:
            inside = x.text.endswith(name)
        elif inside and isinstance(x, Paragraph):
            out.append(x.text)
    return "\n".join(out)


def table(b: Brief, title: str) -> Table:
    return next(t for t in b.tables if t.caption.split("　", 1)[1] == title)


def cell(t: Table, row: str, column: str) -> str:
    """The cell of the row whose first cell is `row`, under the header `column`."""
    line = next(r for r in t.rows if r[0] == row)
    return line[t.headers.index(column)]

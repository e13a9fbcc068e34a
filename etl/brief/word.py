"""The brief as a .docx a 司 would circulate: a cover, then headings in 黑体 (三号), body text
in a serif CJK face (四号), tables and figures numbered with their captions (表题在表上，
图题在图下), and on every page a footer with 模拟数据, the data date and the page number.

Fonts are named as a reader's Word knows them where installed here (fc-list), else by the
faces this machine has: Noto Sans CJK SC stands in for 黑体 and Noto Serif CJK SC for 宋体,
so that LibreOffice embeds the face the document names and nothing is substituted silently.
"""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Callable
from functools import cache

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from etl.brief.document import Brief, Figure, Heading, Paragraph, Table

# 字号 in points: 二号 22, 三号 16, 四号 14, 小四 12, 五号 10.5.
TITLE_PT, HEADING_PT, SUBHEADING_PT, BODY_PT, SMALL_PT = 22, 16, 14, 14, 10.5
TEXT_WIDTH_CM = 15.6  # A4 less the margins below
HEI = ("黑体", "SimHei", "Noto Sans CJK SC")
SONG = ("Noto Serif CJK SC", "宋体", "SimSun")


# Between two characters of one number: 1,144 · 14.4% · 2024 (not between a number and a word).
NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*%?")


def write(brief: Brief, png: Callable[[Figure], bytes]) -> bytes:
    """The .docx bytes; `png` draws one figure."""
    doc = Document()
    _page_setup(doc)
    _styles(doc)
    _cover(doc, brief)
    body = doc.add_section(WD_SECTION.NEW_PAGE)
    _footer(body, brief)
    for block in brief.blocks:
        _BLOCKS[type(block)](doc, block, png)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@cache
def _installed() -> frozenset[str]:
    try:
        listing = subprocess.run(
            ["fc-list", ":", "family"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(name.strip() for line in listing.splitlines() for name in line.split(","))


def font(choices: tuple[str, ...]) -> str:
    """The first face of `choices` installed here; the first of all when fc-list says nothing."""
    installed = _installed()
    return next((c for c in choices if c in installed), choices[0])


def _set_font(target, face: str, size: float | None = None, bold: bool | None = None) -> None:
    """Latin and East Asian faces alike (Word keeps them apart: w:eastAsia)."""
    target.font.name = face
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), face)
    if size is not None:
        target.font.size = Pt(size)
    if bold is not None:
        target.font.bold = bold


def _chinese(style) -> None:
    """Text marked as Simplified Chinese, so a pan-CJK face draws its Chinese glyph forms."""
    _language(style.element, "zh-CN")


def _language(element, code: str) -> None:
    """w:lang on a style's or a run's properties, for Latin and East Asian text alike."""
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), code)
    lang.set(qn("w:eastAsia"), code)
    element.get_or_add_rPr().append(lang)


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.3), Cm(3.0)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    _set_font(normal, font(SONG), BODY_PT)
    _chinese(normal)
    normal.paragraph_format.line_spacing = Pt(26)
    normal.paragraph_format.space_after = Pt(0)
    for name, size in (("Heading 1", HEADING_PT), ("Heading 2", SUBHEADING_PT)):
        style = doc.styles[name]
        _set_font(style, font(HEI), size, bold=False)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(12)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    caption = doc.styles["Caption"]
    _set_font(caption, font(HEI), SMALL_PT, bold=False)
    caption.font.color.rgb = RGBColor(0, 0, 0)
    caption.font.italic = False


def _cover(doc, brief: Brief) -> None:
    for _ in range(5):
        doc.add_paragraph()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(40)
    _set_font(title.add_run(brief.title), font(HEI), TITLE_PT)
    for text in (brief.scope, f"（{brief.audience}）"):
        line = doc.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_font(line.add_run(text), font(SONG), HEADING_PT)
    for _ in range(8):
        doc.add_paragraph()
    for text in (brief.data_date, _mark(brief)):
        line = doc.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_font(line.add_run(text), font(HEI) if text == _mark(brief) else font(SONG), BODY_PT)
    _footer(doc.sections[0], brief)


def _mark(brief: Brief) -> str:
    if brief.simulated:
        return "模拟数据：本报告依据按公开事实校准生成的模拟数据，不代表真实申报与评审结果"
    return "内部资料，注意保存"


def _footer(section, brief: Brief) -> None:
    """模拟数据 · 数据截至… · 第 N 页（共 M 页）, on every page of the section."""
    footer = section.footer
    footer.is_linked_to_previous = False
    para = footer.paragraphs[0]
    para.text = ""
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    mark = "模拟数据" if brief.simulated else "内部资料"
    for part in (f"{mark}　·　{brief.data_date}　·　第 ", "PAGE", " 页（共 ", "NUMPAGES", " 页）"):
        if part in ("PAGE", "NUMPAGES"):
            _field(para, part)
        else:
            _set_font(para.add_run(part), font(SONG), SMALL_PT)


def _field(para, code: str) -> None:
    run = para.add_run()
    _set_font(run, font(SONG), SMALL_PT)
    for kind, text in (
        ("begin", None),
        (None, code),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == code:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {code} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def _heading(doc, block: Heading, _png) -> None:
    doc.add_heading(block.text, level=block.level)


def _add_text(para, text: str, face: str | None = None, size: float | None = None) -> None:
    """The text as runs of `para`, each number a run of its own marked as English.

    LibreOffice gives digits in a zh-CN run the Chinese line-breaking rules, which allow a break
    between any two characters, so 「第 48 百分位」 could end a line with 4 and start the next
    with 8; neither a WORD JOINER nor a ZWNBSP stops it (measured), a run whose language is
    en-US does. Word keeps numbers whole either way."""
    at = 0
    for number in NUMBER.finditer(text):
        _run(para, text[at : number.start()], face, size)
        _run(para, number.group(), face, size, english=True)
        at = number.end()
    _run(para, text[at:], face, size)


def _run(para, text: str, face: str | None, size: float | None, english: bool = False) -> None:
    if not text:
        return
    run = para.add_run(text)
    if face is not None:
        _set_font(run, face, size)
    if english:
        _language(run.element, "en-US")


def _paragraph(doc, block: Paragraph, _png) -> None:
    para = doc.add_paragraph()
    if block.note:
        _add_text(para, block.text, font(SONG), SMALL_PT)
        para.paragraph_format.line_spacing = Pt(18)
        para.paragraph_format.space_after = Pt(6)
    else:
        para.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        _add_text(para, block.text)


def _table(doc, block: Table, _png) -> None:
    caption = doc.add_paragraph(block.caption, style="Caption")
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1 + len(block.rows), cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = _widths(block)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice reads; Word reads the cells' too
    for r, cells in enumerate([block.headers, *block.rows]):
        row = table.rows[r]
        if r == 0:
            _repeat_header(row)
        for c, text in enumerate(cells):
            row.cells[c].width = widths[c]
            para = row.cells[c].paragraphs[0]
            para.paragraph_format.line_spacing = Pt(16)
            para.paragraph_format.first_line_indent = Pt(0)
            if r == 0:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif c in block.numeric:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _add_text(para, str(text), font(HEI) if r == 0 else font(SONG), SMALL_PT)
    doc.add_paragraph().paragraph_format.line_spacing = Pt(8)


def _widths(block: Table) -> list[Cm]:
    """Column widths across the text width, by the longest cell of each column (a long case
    title gets room, a count column does not), never narrower than its header."""
    longest = [
        max(5, len(block.headers[c]) + 1, *(len(str(r[c])) for r in block.rows))
        for c in range(len(block.headers))
    ]
    capped = [min(n, 24) for n in longest]
    return [Cm(TEXT_WIDTH_CM * n / sum(capped)) for n in capped]


def _repeat_header(row) -> None:
    props = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    props.append(header)


def _figure(doc, block: Figure, png) -> None:
    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.keep_with_next = True
    para.paragraph_format.line_spacing = 1.0  # the body's exact 26 pt would crop the picture
    para.add_run().add_picture(io.BytesIO(png(block)), width=Cm(block.width_cm))
    caption = doc.add_paragraph(block.caption, style="Caption")
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER


_BLOCKS = {Heading: _heading, Paragraph: _paragraph, Table: _table, Figure: _figure}

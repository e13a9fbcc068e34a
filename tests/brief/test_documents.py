"""The brief's files, checked with real clients: LibreOffice opens the .docx (and turns it into
the PDF), pdffonts shows the CJK faces embedded, pdftoppm's pictures of the pages show Chinese
glyphs (not the missing-glyph box), and every page carries 模拟数据, the data date and its
number."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from PIL import Image

from etl.access.scopes import Scope
from etl.brief import pdf, word
from etl.brief.document import Brief, Paragraph
from etl.brief.produce import produce
from etl.config import env_var

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (pdf.soffice() and shutil.which("pdftoppm") and shutil.which("pdffonts")),
        reason="needs LibreOffice and poppler-utils (bash .ci/setup --browser)",
    ),
]


@pytest.fixture(scope="module")
def national_docx(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[bytes]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(env_var("audit"), str(tmp_path_factory.mktemp("audit") / "audit.duckdb"))
        yield produce(demo_db, Scope.of("leader"), 2024, None, "docx", "测试").content


@pytest.fixture(scope="module")
def national_pdf(national_docx: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .docx converted by LibreOffice headless: it fails here if LibreOffice cannot open it."""
    target = tmp_path_factory.mktemp("pdf") / "brief.pdf"
    target.write_bytes(pdf.convert(national_docx))
    return target


def _pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(
        next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages:"))
    )


def test_libreoffice_opens_the_docx(national_pdf):
    assert national_pdf.read_bytes()[:5] == b"%PDF-"
    assert _pages(national_pdf) >= 6  # cover and five sections of tables and figures


def test_a_broken_docx_is_refused_in_a_sentence():
    with pytest.raises(pdf.PdfUnavailable, match="LibreOffice 未能把 .docx 转为 PDF"):
        pdf.convert(b"PK\x03\x04 not a document")


def test_cjk_faces_are_embedded(national_pdf):
    listing = subprocess.run(
        ["pdffonts", str(national_pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    faces = {line.split()[0].split("+")[-1]: line.split()[-5] for line in listing}
    assert any("NotoSerifCJK" in f for f in faces), faces  # body
    assert any("NotoSansCJK" in f for f in faces), faces  # headings (黑体)
    assert set(faces.values()) == {"yes"}, faces  # every face embedded


def test_every_page_carries_the_mark_the_date_and_its_number(national_pdf):
    pages = _pages(national_pdf)
    for page in range(1, pages + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(national_pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        flat = "".join(text.split())  # pdftotext spaces digits from Chinese; a reader does not
        assert "模拟数据" in flat and "数据截至2026年" in flat, page
        assert f"第{page}页（共{pages}页）" in flat, page


def test_headings_and_captions_read_as_written(national_pdf):
    text = subprocess.run(
        ["pdftotext", str(national_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    for words in (
        "2024年全国广播电视媒体融合典型案例",
        "一、总体情况",
        "六、数据质量说明",
        "表1",
        "图1",
    ):
        assert words in flat


# Glyphs: three lines, 国, a code point no font has (drawn as the missing-glyph box) and 报,
# in the brief's body face, through the same LibreOffice and pdftoppm. Drawn, the two
# characters differ from the box and from each other; with no CJK font (the second case), all
# three are the same box, which keeps the check honest.
SAMPLE = ("国", "\u0378", "报")


def _drawn_lines(work: Path) -> list[bytes]:
    doc = Document()
    for char in SAMPLE:
        word._set_font(doc.add_paragraph().add_run(char), word.font(word.SONG), 60)
    buffer = io.BytesIO()
    doc.save(buffer)
    (work / "sample.pdf").write_bytes(pdf.convert(buffer.getvalue()))
    subprocess.run(
        ["pdftoppm", "-r", "40", "-gray", "-png", "-singlefile", "sample.pdf", "sample"],
        cwd=work,
        check=True,
    )
    image = Image.open(work / "sample.png").convert("L")
    width, height = image.size
    ink = [any(image.getpixel((x, y)) < 128 for x in range(width)) for y in range(height)]
    bands, start = [], None
    for y, dark in enumerate([*ink, False]):
        if dark and start is None:
            start = y
        elif not dark and start is not None:
            bands.append(image.crop((0, start, width, y)).tobytes())
            start = None
    assert len(bands) == len(SAMPLE)
    return bands


def test_chinese_is_drawn_not_boxed(tmp_path):
    one, box, two = _drawn_lines(tmp_path)
    assert one != box and two != box and one != two


def test_the_glyph_check_catches_boxes(tmp_path, monkeypatch):
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{tmp_path}/cache</cachedir>"
        "</fontconfig>",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    one, box, two = _drawn_lines(tmp_path)
    assert one == box == two


def test_libreoffice_never_breaks_a_number_across_lines(tmp_path: Path) -> None:
    """「第 48 百分位」 once printed as 「第 4」 / 「8 百分位」. The number is moved through every
    position of a line (one more 字 before it each time), in body text and in a note, so some
    paragraph ends its first line inside the number unless the number is kept whole."""
    brief = Brief("测试", "全国", "领导", "数据截至2026年12月3日", simulated=True)
    sentence = "浙江初评得分中位数 70.7 分（四分位 69.5–72.8），位于全国第 48 百分位，占 12.5%。"
    for k in range(40):
        brief.blocks.append(Paragraph("字" * k + sentence, note=k % 2 == 1))
    target = tmp_path / "numbers.pdf"
    target.write_bytes(pdf.convert(word.write(brief, lambda _figure: b"")))
    text = subprocess.run(
        ["pdftotext", "-raw", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    cut = [
        f"{a} / {b}"
        for a, b in zip(lines, lines[1:], strict=False)
        if re.search(r"[0-9][.,]?$", a) and re.match(r"^[.,%]?[0-9%]", b)
    ]
    assert "".join(lines).count("百分位") == 40  # every paragraph was printed
    assert cut == []

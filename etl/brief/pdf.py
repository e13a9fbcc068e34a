"""PDF from the .docx, by LibreOffice headless: the document a reader opens in Word is the one
printed, and LibreOffice embeds the CJK faces the .docx names (pdffonts lists them).

Each process keeps its own LibreOffice profile (two conversions sharing one would fail), made
on the first conversion and reused after, which halves the time of the next.
"""

from __future__ import annotations

import atexit
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

TIMEOUT_S = 120

_lock = threading.Lock()
_profile: Path | None = None


class PdfUnavailable(RuntimeError):
    """LibreOffice is missing or failed; the message is for the user (Chinese)."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(docx: bytes) -> bytes:
    """The PDF of a .docx, as bytes."""
    binary = soffice()
    if binary is None:
        raise PdfUnavailable(
            "无法生成 PDF：找不到 LibreOffice（soffice）。请运行 bash .ci/setup --browser 安装，"
            "或改用 --format docx。"
        )
    with _lock, tempfile.TemporaryDirectory(prefix="convergence-brief-") as work:
        source = Path(work) / "brief.docx"
        source.write_bytes(docx)
        command = [
            binary,
            f"-env:UserInstallation={_profile_dir().as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            work,
            str(source),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(f"LibreOffice 在 {TIMEOUT_S} 秒内没有完成转换。") from None
        target = source.with_suffix(".pdf")
        if done.returncode != 0 or not target.exists():
            detail = (done.stderr or done.stdout).strip()[-300:]
            raise PdfUnavailable(
                f"LibreOffice 未能把 .docx 转为 PDF（退出码 {done.returncode}）：{detail}"
            )
        return target.read_bytes()


def _profile_dir() -> Path:
    global _profile
    if _profile is None:
        _profile = Path(tempfile.mkdtemp(prefix="convergence-soffice-"))
        atexit.register(shutil.rmtree, _profile, True)
    return _profile

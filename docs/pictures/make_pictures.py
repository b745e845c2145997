"""Pictures of what people print, for docs/: run the shipped examples, print one sheet at a time with LibreOffice
(headless) to PDF, and the first two pages of a 自评报告, and turn the pages into PNG with pdftoppm. Run from the repository: python docs/pictures/make_pictures.py
(needs soffice and pdftoppm)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
RESOLUTION = 70  # dpi: a whole A4 page readable on screen, small files

SETS, BOOKS = ROOT / "indicator_sets", ROOT / "workbooks"
FORMS = BOOKS / "self_evaluation"
# (picture name, the score command's arguments before -o, sheet to print)
PICTURES = [
    ("评分表-零陵", ["run", SETS / "dept_overall.xlsx", BOOKS / "lingling_2019.xlsx"], "评分表"),
    ("评分汇总-大英", ["run", SETS / "project_self.xlsx", BOOKS / "daying_2023.xlsx"], "评分汇总"),
    ("评分汇总-零陵", ["run", SETS / "dept_overall.xlsx", BOOKS / "lingling_2019.xlsx"], "评分汇总"),
    ("自评表复核-南县", ["run", FORMS / "南县_政务服务专项经费_2020.xlsx"], "评分表"),
    ("评分汇总-自评表批量", ["run", FORMS], "评分汇总"),
    ("敏感度-大英", ["sensitivity", SETS / "project_self.xlsx", BOOKS / "daying_2023.xlsx", "--seed", "1"], "敏感度"),
    ("排名稳健性-大英", ["sensitivity", SETS / "project_self.xlsx", BOOKS / "daying_2023.xlsx", "--seed", "1"],
     "排名稳健性"),
    ("影响-零陵", ["diff", SETS / "dept_overall.xlsx", SETS / "dept_overall_next.xlsx", BOOKS / "lingling_2019.xlsx"],
     "影响"),
]
# (picture name, indicator set, data workbook): the first two pages of the first unit's 自评报告
REPORTS = [
    ("自评报告-零陵", "dept_overall", "lingling_2019"),
    ("自评报告-大英", "project_self", "daying_2023"),
]


def run(*args) -> None:
    subprocess.run(args, check=True, capture_output=True, timeout=300)


def one_sheet_pdf(workbook: Path, sheet: str, folder: Path) -> Path:
    """The workbook with only `sheet` left (openpyxl keeps its print settings), printed to PDF."""
    wb = openpyxl.load_workbook(workbook)
    for ws in list(wb.worksheets):
        if ws.title != sheet:
            wb.remove(ws)
    alone = folder / f"{sheet}.xlsx"
    wb.save(alone)
    run("soffice", "--headless", f"-env:UserInstallation={(folder / 'lo').as_uri()}", "--convert-to", "pdf",
        "--outdir", str(folder), str(alone))
    return alone.with_suffix(".pdf")


def main() -> None:
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        sys.exit("需要 LibreOffice（soffice）和 poppler-utils（pdftoppm）")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, command, sheet in PICTURES:
            result = folder / f"{name}.xlsx"
            run(sys.executable, "-m", "scoring", *map(str, command), "-o", str(result), "--force")
            pdf = one_sheet_pdf(result, sheet, folder)
            for old in HERE.glob(f"{name}-*.png"):
                old.unlink()
            run("pdftoppm", "-r", str(RESOLUTION), "-png", str(pdf), str(HERE / name))
            print(*sorted(p.name for p in HERE.glob(f"{name}-*.png")))
        for name, system, book in REPORTS:  # the first two pages of a 自评报告 (a plain file name for LibreOffice)
            report = folder / "report.docx"
            run(sys.executable, "-m", "scoring", "report", str(ROOT / "indicator_sets" / f"{system}.xlsx"),
                str(ROOT / "workbooks" / f"{book}.xlsx"), "-o", str(folder / "reports"), "--force")
            first = sorted((folder / "reports").glob("*.docx"))[0]
            shutil.copy(first, report)
            run("soffice", "--headless", f"-env:UserInstallation={(folder / 'lo').as_uri()}", "--convert-to", "pdf",
                "--outdir", str(folder), str(report))
            for old in HERE.glob(f"{name}-*.png"):
                old.unlink()
            run("pdftoppm", "-r", str(RESOLUTION), "-f", "1", "-l", "2", "-png", str(folder / "report.pdf"),
                str(HERE / name))
            shutil.rmtree(folder / "reports")
            print(*sorted(p.name for p in HERE.glob(f"{name}-*.png")))

if __name__ == "__main__":
    main()

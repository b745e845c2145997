"""LibreOffice headless as a spreadsheet oracle: recalculate an .xlsx and read every sheet back.

See ../shared/notes/libreoffice-oracle.md: recalculation on load must be forced with a private
profile, otherwise LibreOffice trusts the (absent) cached values.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import tempfile
from pathlib import Path

_PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

# separator, quote, UTF-8, first line, cell format, language, quote all, detect special,
# save as shown = false (full precision), export formulas, remove space, every sheet
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def make_profile(directory: Path) -> str:
    user = directory / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_PROFILE_XCU, encoding="utf-8")
    return directory.resolve().as_uri()


def recalculate(xlsx: Path, timeout: float = 300) -> dict[str, list[list[str]]]:
    """Open `xlsx` in LibreOffice with full recalculation and return {sheet name: rows of text}."""
    soffice = soffice_path()
    if soffice is None:
        raise RuntimeError("soffice not found")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        profile = make_profile(tmp_path / "profile")
        out = tmp_path / "out"
        out.mkdir()
        subprocess.run(
            [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--calc",
             "--convert-to", CSV_FILTER, str(xlsx), "--outdir", str(out)],
            check=True, capture_output=True, timeout=timeout,
        )
        sheets = {}
        stem = xlsx.stem
        for path in sorted(out.glob("*.csv")):
            name = path.stem[len(stem) + 1:] if path.stem.startswith(stem + "-") else path.stem
            with path.open(encoding="utf-8", newline="") as fh:
                sheets[name] = list(csv.reader(fh))
        return sheets

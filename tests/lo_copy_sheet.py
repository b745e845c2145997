"""Copy and rename sheets in LibreOffice itself (Python-UNO, run with the system python3 that has `uno`):
    python3 lo_copy_sheet.py BOOK.xlsx OUT.xlsx PROFILE_DIR copy:评分汇总:评分汇总_2 rename:评分表:2019年评分表
Each action is done by LibreOffice's own sheet operations (copyByName / setName); the book is stored as .xlsx."""

import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(src, out, profile, *actions):
    pipe = f"score_lo_{os.getpid()}"
    office = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore", "--nologo",
                               f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;"])
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(600):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.1)
        else:
            raise SystemExit("LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0,
                                           (prop("Hidden", True),))
        sheets = doc.Sheets
        for action in actions:
            kind, name, new = action.split(":", 2)
            if kind == "copy":
                sheets.copyByName(name, new, sheets.Count)
            elif kind == "rename":
                sheets.getByName(name).setName(new)
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(out)), (prop("FilterName", "Calc Office Open XML"),))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main(*sys.argv[1:])

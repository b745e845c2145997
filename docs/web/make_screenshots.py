"""Screenshots of the web page for docs/ and the README: start `score serve`'s app, drive it in headless chromium
(selenium), save PNGs here. Run from the repository: python docs/web/make_screenshots.py (needs chromium and chromedriver)."""

from __future__ import annotations

import shutil
import socket
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BOOKS = ROOT / "workbooks"
sys.path.insert(0, str(ROOT))


@contextmanager
def held_scoring():
    """Scoring waits for the yielded event: the progress page stays up long enough to be photographed."""
    import scoring.commands.run as run_module

    gate, real_score = threading.Event(), run_module.score
    run_module.score = lambda *a, **k: (gate.wait(timeout=60), real_score(*a, **k))[1]
    try:
        yield gate
    finally:
        gate.set()
        run_module.score = real_score


def main() -> None:
    import uvicorn
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    from scoring.web import create_app

    chromium, driver_path = shutil.which("chromium") or shutil.which("chromium-browser"), shutil.which("chromedriver")
    if not (chromium and driver_path):
        sys.exit("需要 chromium 和 chromium-driver")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,900", "--lang=zh-CN"):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(driver_path), options=options)
    browser.implicitly_wait(30)
    try:
        url = f"http://127.0.0.1:{port}"

        def upload(indicators: str, data: list[Path], button: str, forms: bool = False, indicator_file: Path = None):
            browser.get(url)
            if forms:
                browser.find_element(By.ID, "mode-forms").click()
            if indicators:
                Select(browser.find_element(By.ID, "shipped")).select_by_value(indicators)
            if indicator_file:
                browser.find_element(By.ID, "indicators").send_keys(str(indicator_file))
            if data:
                browser.find_element(By.ID, "selfeval" if forms else "data").send_keys("\n".join(str(p) for p in data))
            browser.find_element(By.ID, button).click()

        browser.get(url)
        browser.save_screenshot(str(HERE / "首页.png"))
        browser.find_element(By.ID, "mode-forms").click()
        browser.save_screenshot(str(HERE / "首页-复核自评表.png"))
        upload("", [BOOKS / "lingling_2019.xlsx"], "run")  # 按指标体系评分 without the system
        browser.find_element(By.ID, "message")
        browser.save_screenshot(str(HERE / "缺少指标体系.png"))
        upload("dept_overall.xlsx", [], "run")  # without the data workbook
        browser.find_element(By.ID, "message")
        browser.save_screenshot(str(HERE / "缺少基础数据.png"))
        upload("", [ROOT / "indicator_sets" / "dept_overall.xlsx"], "run", indicator_file=BOOKS / "lingling_2019.xlsx")
        browser.find_element(By.ID, "message")
        browser.save_screenshot(str(HERE / "文件放反.png"))
        upload("", [BOOKS / "lingling_2019.xlsx"], "run", forms=True)  # a data workbook given for review
        browser.find_element(By.ID, "message")
        browser.save_screenshot(str(HERE / "不是自评表.png"))
        upload("dept_overall.xlsx", [BOOKS / "lingling_2019.xlsx"], "run")
        browser.find_element(By.ID, "total")
        browser.save_screenshot(str(HERE / "评分结果.png"))
        upload("dept_overall.xlsx", [BOOKS / "lingling_2019.xlsx"], "check")
        browser.find_element(By.ID, "tree")
        browser.save_screenshot(str(HERE / "检查结果.png"))
        upload("project_self.xlsx", [BOOKS / "daying_2023.xlsx"], "run")
        browser.find_element(By.ID, "ranking")
        browser.save_screenshot(str(HERE / "多个单位.png"))
        upload("", sorted((BOOKS / "self_evaluation").glob("*.xlsx")), "run", forms=True)
        browser.find_element(By.CSS_SELECTOR, "table#forms")
        browser.save_screenshot(str(HERE / "自评表复核.png"))
        import tempfile

        from tests.test_web import _two_points_columns

        with tempfile.TemporaryDirectory() as folder:  # a 分值 column read wrongly, corrected by choosing roles
            table, data = _two_points_columns(Path(folder))
            upload("", [], "check", indicator_file=table)
            browser.find_element(By.ID, "preview")
            Select(browser.find_element(By.ID, "role-C")).select_by_visible_text("不读")
            Select(browser.find_element(By.ID, "role-D")).select_by_visible_text("分值")
            browser.save_screenshot(str(HERE / "读表-选择各列.png"))
            browser.find_element(By.ID, "reread").click()
            WebDriverWait(browser, 30).until(lambda b: "按您选的读法" in b.find_element(By.TAG_NAME, "body").text)
            browser.find_element(By.ID, "data").send_keys(str(data))
            browser.save_screenshot(str(HERE / "读表-重新读表.png"))
        with held_scoring() as gate:  # the progress page of a run that takes a while
            upload("dept_overall.xlsx", [BOOKS / "lingling_2019.xlsx"], "run")
            WebDriverWait(browser, 30).until(lambda b: "评分" in b.find_element(By.ID, "line").text)
            browser.save_screenshot(str(HERE / "处理进度.png"))
            gate.set()
    finally:
        browser.quit()
        server.should_exit = True
    print(*sorted(p.name for p in HERE.glob("*.png")))


if __name__ == "__main__":
    main()

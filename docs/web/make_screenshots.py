"""Screenshots of the web page for docs/ and the README: start `score serve`'s app, drive it in headless chromium
(selenium), save PNGs here. Run from the repository: python docs/web/make_screenshots.py (needs chromium and chromedriver)."""

from __future__ import annotations

import shutil
import socket
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    import uvicorn
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

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
    try:
        url = f"http://127.0.0.1:{port}"
        browser.get(url)
        browser.save_screenshot(str(HERE / "首页.png"))
        Select(browser.find_element(By.ID, "shipped")).select_by_value("dept_overall.xlsx")
        browser.find_element(By.ID, "data").send_keys(str(ROOT / "workbooks" / "lingling_2019.xlsx"))
        browser.find_element(By.ID, "run").click()
        browser.save_screenshot(str(HERE / "评分结果.png"))
        browser.get(url)
        Select(browser.find_element(By.ID, "shipped")).select_by_value("dept_overall.xlsx")
        browser.find_element(By.ID, "data").send_keys(str(ROOT / "workbooks" / "lingling_2019.xlsx"))
        browser.find_element(By.ID, "check").click()
        browser.save_screenshot(str(HERE / "检查结果.png"))
    finally:
        browser.quit()
        server.should_exit = True
    print(*sorted(p.name for p in HERE.glob("*.png")))


if __name__ == "__main__":
    main()

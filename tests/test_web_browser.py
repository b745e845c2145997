"""The web page in a real headless browser (issue 17): Debian's chromium with its driver, through selenium. Skipped
with the reason when they are not installed (CI installs them)."""

import shutil
import socket
import threading
import time
from pathlib import Path

import openpyxl
import pytest

from tests.test_examples import BOOKS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(CHROMIUM is None or DRIVER is None,
                                reason="chromium and chromium-driver not installed (CI installs them)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    import uvicorn

    from scoring.web import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(100):
        if running.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600", "--lang=zh-CN"):
        options.add_argument(flag)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.implicitly_wait(30)  # a job longer than the page's inline wait arrives through its progress page
    driver.downloads = downloads
    yield driver
    driver.quit()


def _wait_for_file(folder: Path, suffix: str, timeout: float = 30) -> Path:
    for _ in range(int(timeout / 0.2)):
        found = [p for p in folder.glob(f"*{suffix}") if not p.name.endswith(".crdownload")]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} downloaded")


def _wait_for_heading(browser, text: str, timeout: float = 30) -> None:
    """Until the page's first heading says `text` (the front page's own heading is there until the answer arrives)."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    # the heading read while the next page replaces the document is stale: read it again
    WebDriverWait(browser, timeout, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException)).until(
        lambda b: text in b.find_element(By.TAG_NAME, "h2").text)


def test_score_the_shipped_example_and_download_the_result(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(server)
    Select(browser.find_element(By.ID, "shipped")).select_by_value("dept_overall.xlsx")
    browser.find_element(By.ID, "data").send_keys(str(BOOKS / "lingling_2019.xlsx"))
    browser.find_element(By.ID, "run").click()
    assert browser.find_element(By.ID, "total").text == "89" and browser.find_element(By.ID, "grade").text == "良"
    browser.find_element(By.ID, "download").click()
    result = _wait_for_file(browser.downloads, ".xlsx")
    sheet = openpyxl.load_workbook(result)["评分表"]
    assert sheet["K29"].value == 89 and sheet["L29"].value.startswith("等级：良")
    browser.find_element(By.LINK_TEXT, "预算调整率").click()
    assert "41.32%" in browser.find_element(By.ID, "explain").text


def test_a_broken_workbook_shows_the_chinese_message(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    from tests.builders import indicator_book

    broken = indicator_book(tmp_path / "坏的.xlsx", ["一级指标", "分值", "评分公式"], [["投入", 100, "RATIO(完成率, "]])
    browser.get(server)
    browser.find_element(By.ID, "indicators").send_keys(str(broken))
    browser.find_element(By.ID, "data").send_keys(str(BOOKS / "lingling_2019.xlsx"))
    browser.find_element(By.ID, "run").click()
    message = browser.find_element(By.ID, "message").text
    assert "指标体系!C3" in message and "评分公式" in message


def test_draft_a_table_without_formulas_and_download_it(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    from tests.builders import indicator_book
    from tests.test_draft_command import HEADER, ROWS

    table = indicator_book(tmp_path / "指标表.xlsx", HEADER, ROWS)
    browser.get(server)
    browser.find_element(By.ID, "indicators").send_keys(str(table))
    browser.find_element(By.ID, "draft").click()
    _wait_for_heading(browser, "起草 8 个，人工评分 1 个")
    browser.find_element(By.ID, "download").click()
    drafted = _wait_for_file(browser.downloads, ".xlsx")
    assert openpyxl.load_workbook(drafted)["指标体系"].cell(4, 7).value == "DEDUCT((完成值-100%)*100, 0.5)"


def test_a_long_run_shows_its_progress_then_the_result_by_itself(server, browser, monkeypatch):
    """The run is held inside its 评分 stage: the page shows the step and the bar, polls, and turns into the result
    page without any click once the run goes on."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    import scoring.commands.run as run_module

    gate = threading.Event()
    real_score = run_module.score
    monkeypatch.setattr(run_module, "score", lambda *a, **k: (gate.wait(timeout=60), real_score(*a, **k))[1])
    browser.get(server)
    Select(browser.find_element(By.ID, "shipped")).select_by_value("dept_overall.xlsx")
    browser.find_element(By.ID, "data").send_keys(str(BOOKS / "lingling_2019.xlsx"))
    browser.find_element(By.ID, "run").click()
    from selenium.common.exceptions import StaleElementReferenceException

    WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda b: "第 3/4 步：评分" in b.find_element(By.ID, "line").text)
    assert browser.find_element(By.ID, "bar").get_attribute("style").replace(" ", "") == "width:50%;"
    gate.set()
    assert browser.find_element(By.ID, "total").text == "89" and browser.find_element(By.ID, "grade").text == "良"


def test_check_shows_the_findings_and_the_indicator_tree(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(server)
    Select(browser.find_element(By.ID, "shipped")).select_by_value("dept_overall.xlsx")
    browser.find_element(By.ID, "check").click()
    _wait_for_heading(browser, "检查结果：0 个错误")
    from scoring.read import read_indicator_system
    from tests.test_examples import SETS

    system = read_indicator_system(SETS / "dept_overall.xlsx")
    rows = browser.find_elements(By.CSS_SELECTOR, "#tree tr")
    assert len(rows) == 1 + len(list(system.indicators())) == 1 + 38  # header + every indicator
    assert "预算调整率" in browser.find_element(By.ID, "tree").text


def _inside_its_card(browser, element_id: str) -> bool:
    """The element does not run past the right edge of the card (section) around it."""
    return browser.execute_script(
        "var e = document.getElementById(arguments[0]), s = e.closest('section');"
        "return e.getBoundingClientRect().right <= s.getBoundingClientRect().right + 0.5"
        " && s.scrollWidth <= s.clientWidth;", element_id)


def test_the_two_modes_are_chosen_not_guessed(server, browser, tmp_path):
    """按指标体系评分 (the default) shows the indicator and data boxes; 复核自评表 shows the forms box only and its button
    says so; the forms are reviewed, and a file that is none is said inside the card."""
    from selenium.webdriver.common.by import By

    notes = tmp_path / "说明.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["填表说明", "各项目填写要求"])
    wb.active.append(["第一条", "按时填写"])
    wb.save(notes)

    browser.get(server)
    assert browser.find_element(By.ID, "mode-score").is_selected()
    shown = lambda name: browser.find_element(By.ID, name).is_displayed()  # noqa: E731
    assert shown("indicators") and shown("data") and not shown("selfeval")
    browser.find_element(By.ID, "mode-forms").click()
    assert shown("selfeval") and not shown("indicators") and not shown("data")
    assert browser.find_element(By.ID, "run").text == "复核自评表" and not browser.find_element(By.ID, "check").is_displayed()
    forms = sorted((BOOKS / "self_evaluation").glob("*.xlsx"))
    chosen = [*forms, BOOKS / "lingling_2019.xlsx", notes]
    browser.find_element(By.ID, "selfeval").send_keys("\n".join(str(p) for p in chosen))
    browser.find_element(By.ID, "run").click()
    _wait_for_heading(browser, f"自评表复核：{len(forms)} 个已评分，2 个无法评分")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#forms a.details")) == len(forms)
    problem = browser.find_elements(By.CSS_SELECTOR, "#forms tr.error")[0].text
    assert "lingling_2019.xlsx 无法评分：不是项目支出绩效自评表" in problem and "像是基础数据工作簿" in problem
    assert _inside_its_card(browser, "forms")  # the long line wraps inside the card


def test_a_missing_file_is_named_inside_its_card(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(server)  # 按指标体系评分 with a data workbook only: asked for the system, not reviewed as a 自评表
    browser.find_element(By.ID, "data").send_keys(str(BOOKS / "lingling_2019.xlsx"))
    browser.find_element(By.ID, "run").click()
    message = browser.find_element(By.ID, "message").text
    assert message.startswith("按指标体系评分需要指标体系：请在“指标体系工作簿”一栏选择文件") and "选“复核自评表”" in message
    assert _inside_its_card(browser, "message")
    browser.get(server)  # the system only
    Select(browser.find_element(By.ID, "shipped")).select_by_value("dept_overall.xlsx")
    browser.find_element(By.ID, "run").click()
    message = browser.find_element(By.ID, "message").text
    assert message.startswith("还没有选基础数据工作簿：") and "score" not in message
    assert _inside_its_card(browser, "message")


def test_swapped_files_are_asked_about(server, browser):
    from selenium.webdriver.common.by import By

    from tests.test_examples import SETS

    browser.get(server)
    browser.find_element(By.ID, "indicators").send_keys(str(BOOKS / "lingling_2019.xlsx"))
    browser.find_element(By.ID, "data").send_keys(str(SETS / "dept_overall.xlsx"))
    browser.find_element(By.ID, "run").click()
    message = browser.find_element(By.ID, "message").text
    assert message.startswith("两个文件是不是放反了？作为指标体系的“lingling_2019.xlsx”里没有指标表")
    assert "请把“dept_overall.xlsx”作为指标体系工作簿、“lingling_2019.xlsx”作为基础数据工作簿" in message
    assert _inside_its_card(browser, "message")


def test_a_data_workbook_given_for_review_is_said_to_be_one(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server)
    browser.find_element(By.ID, "mode-forms").click()
    browser.find_element(By.ID, "selfeval").send_keys(str(BOOKS / "lingling_2019.xlsx"))
    browser.find_element(By.ID, "run").click()
    message = browser.find_element(By.ID, "message").text
    assert message.startswith("选的文件不是项目支出绩效自评表，没有可复核的。如果是基础数据工作簿，要按指标体系给单位评分，"
                              "请在第 1 步选“按指标体系评分”")
    assert "像是基础数据工作簿" in message and _inside_its_card(browser, "message")


def test_a_points_column_read_wrongly_is_corrected_by_choosing_roles(server, browser, tmp_path):
    """C holds last year's 分值, D (2024年分值) this year's: the reader takes C (total 73); choosing 不读 for C and 分值 for
    D reads the same upload again, and scoring with that reading gives 76 (36 + 20 + 20)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from tests.test_web import _two_points_columns

    ind, data = _two_points_columns(tmp_path)
    browser.get(server)
    browser.find_element(By.ID, "indicators").send_keys(str(ind))
    browser.find_element(By.ID, "check").click()
    _wait_for_heading(browser, "检查结果")
    reading = browser.find_element(By.ID, "reading-lines").text
    assert "分值=C 列“分值”" in reading
    assert Select(browser.find_element(By.ID, "role-C")).first_selected_option.text == "分值"
    assert Select(browser.find_element(By.ID, "role-D")).first_selected_option.text == "不读"
    assert "2024年分值" in browser.find_element(By.ID, "preview").text
    Select(browser.find_element(By.ID, "role-C")).select_by_visible_text("不读")
    Select(browser.find_element(By.ID, "role-D")).select_by_visible_text("分值")
    browser.find_element(By.ID, "reread").click()
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException)).until(
        lambda b: "按您选的读法" in b.find_element(By.ID, "reading").text)
    assert "分值=D 列“2024年分值”" in browser.find_element(By.ID, "reading-lines").text
    assert Select(browser.find_element(By.ID, "role-D")).first_selected_option.text == "分值"
    browser.find_element(By.ID, "data").send_keys(str(data))
    browser.find_element(By.ID, "run").click()
    assert browser.find_element(By.ID, "total").text == "76"

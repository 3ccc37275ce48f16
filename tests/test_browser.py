"""The page in a real browser: Debian's chromium driven through chromium-driver (nothing is
downloaded), against `accord serve` in a real process. Every wait is for a condition on the
page, never for a length of time."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest

from indexer.build import build_index
from tests.helpers import CORPUS, FIXTURES, running_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver") or shutil.which("chromium-driver")
WAIT = 60
"""Seconds a condition may take on a busy machine before the test fails."""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="needs chromium and chromium-driver "
                       "(apt-get install chromium chromium-driver; .ci/run installs them)"),
]

if CHROMIUM and DRIVER:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support.ui import WebDriverWait


@pytest.fixture(scope="module")
def address(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser")
    shutil.copytree(CORPUS, root / "corpus")
    shutil.copy(FIXTURES / "web" / "arabic.txt", root / "corpus" / "arabic.txt")
    build_index(root / "corpus", root / "index")
    with running_server(root / "index") as (_, found):
        yield found


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must not fetch a browser or a driver
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def until(driver: WebDriver, condition: object) -> object:
    return WebDriverWait(driver, WAIT).until(condition)  # type: ignore[arg-type]


def count(driver: WebDriver) -> int:
    return int(driver.find_element(By.CSS_SELECTOR, "[role=status] strong").text.replace(",", ""))


def query_of(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query)


def test_typing_a_query_and_enter_searches(browser: WebDriver, address: str) -> None:
    browser.get(address)
    box = browser.find_element(By.ID, "q")
    box.send_keys("human rights", Keys.ENTER)
    until(browser, lambda d: ("q", "human rights") in query_of(d.current_url)
          and d.find_element(By.ID, "q").get_attribute("value") == "human rights"
          and d.find_elements(By.CSS_SELECTOR, ".hit h2 a"))
    assert count(browser) == 3
    assert browser.find_elements(By.CSS_SELECTOR, ".snippet mark")


def test_a_facet_click_narrows_and_back_restores(browser: WebDriver, address: str) -> None:
    browser.get(f"{address}?q=rights")
    before, url = count(browser), browser.current_url
    link = next(a for a in browser.find_elements(By.CSS_SELECTOR, ".facet-organisation li a")
                if int(a.find_element(By.CSS_SELECTOR, ".n").text) < before)
    name = link.find_element(By.CSS_SELECTOR, ".label").text
    link.click()
    until(browser, lambda d: ("org", name) in query_of(d.current_url))
    assert count(browser) < before
    assert browser.find_element(By.CSS_SELECTOR, ".chips li span").text == f"Organisation: {name}"
    browser.back()
    until(browser, lambda d: d.current_url == url)
    assert count(browser) == before and not browser.find_elements(By.CSS_SELECTOR, ".chips")


def test_slash_focuses_the_search_box(browser: WebDriver, address: str) -> None:
    browser.get(f"{address}?q=rights")
    browser.find_element(By.TAG_NAME, "body").click()
    assert browser.switch_to.active_element.get_attribute("id") != "q"
    browser.find_element(By.TAG_NAME, "body").send_keys("/")
    until(browser, lambda d: d.switch_to.active_element.get_attribute("id") == "q")
    assert browser.find_element(By.ID, "q").get_attribute("value") == "rights"  # the "/" was not typed in


def test_typing_updates_the_results_and_the_address(browser: WebDriver, address: str) -> None:
    browser.get(f"{address}?q=rights")
    box = browser.find_element(By.ID, "q")
    box.clear()
    box.send_keys("vaccines")
    until(browser, lambda d: ("q", "vaccines") in query_of(d.current_url) and count(d) == 1)
    assert browser.find_element(By.CSS_SELECTOR, ".hit h2 a").text == "Ministerial meeting of the Alliance for Multilateralism"


def test_the_document_view_highlights_and_links_back(browser: WebDriver, address: str) -> None:
    browser.get(f"{address}?q=vaccines")
    browser.find_element(By.CSS_SELECTOR, ".hit h2 a").click()
    until(browser, lambda d: urlsplit(d.current_url).path.startswith("/doc/"))
    assert urlsplit(browser.current_url).fragment.startswith("s-")
    marks = browser.find_elements(By.CSS_SELECTOR, "section.text mark")
    assert marks and {m.text.lower() for m in marks} == {"vaccines"}
    target = browser.find_element(By.ID, urlsplit(browser.current_url).fragment)
    assert target.find_elements(By.TAG_NAME, "mark")  # the link lands on the matching section
    browser.find_element(By.CSS_SELECTOR, ".back a").click()
    until(browser, lambda d: ("q", "vaccines") in query_of(d.current_url) and urlsplit(d.current_url).path == "/")


def test_right_to_left_text_runs_right_to_left(browser: WebDriver, address: str) -> None:
    browser.get(f"{address}doc/arabic.txt")
    heading = browser.find_element(By.TAG_NAME, "h1")
    assert heading.value_of_css_property("direction") == "rtl"
    assert browser.find_element(By.CSS_SELECTOR, "section.text .body").value_of_css_property("direction") == "rtl"

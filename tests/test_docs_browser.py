"""The HTML help page (``samplegen docs --format html``) in a real browser: Debian's chromium,
headless, driven by Selenium through Debian's chromium-driver (no browser download).

The page loads from ``file://`` with no console errors, lists every operation, switches the
code tabs by mouse and keyboard, copies the shown code, narrows the list with the filter,
switches the colour scheme and fits a phone's width. Screenshots are kept in
``test-artifacts/`` (or ``$SAMPLEGEN_ARTIFACTS``). Without chromium, chromium-driver or
Selenium these tests are skipped, and fail under CI=true (``scripts/install-test-tools.sh``
installs them)."""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from generator.docs import build_path
from generator.languages import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "tests" / "golden-docs" / "shop" / "definition.yaml"
ARTIFACTS = Path(os.environ.get("SAMPLEGEN_ARTIFACTS") or ROOT / "test-artifacts")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")


def _require_browser() -> None:
    missing = [what for what, ok in (("chromium (apt-get install chromium)", os.path.exists(CHROMIUM)),
                                     ("chromium-driver (apt-get install chromium-driver)", os.path.exists(DRIVER)))
               if not ok]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install -c constraints.txt selenium)")
    if not missing:
        return
    message = "the browser tests need: " + ", ".join(missing) + " (bash scripts/install-test-tools.sh)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    _require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="samplegen-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS + (f"--user-data-dir={profile}", "--window-size=1280,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")
    result = build_path(SHOP, formats=("html",))
    (folder / "index.html").write_text(result.files["index.html"], encoding="utf-8")
    text = result.files["index.html"]
    data = json.loads(re.search(r'<script type="application/json" id="api-data">(.*?)</script>', text, re.S).group(1))
    return (folder / "index.html").as_uri(), data


def _open(browser, url: str, anchor: str = "") -> None:
    browser.set_window_size(1280, 900)
    browser.get("about:blank")
    browser.get(url + anchor)
    browser.get_log("browser")  # what earlier pages logged


def _shown_code(browser) -> str:
    return browser.execute_script(
        "var p = document.querySelector('[role=tabpanel]:not([hidden]) pre code'); return p && p.textContent;")


def test_loads_without_console_errors_and_lists_every_operation(browser, page):
    url, data = page
    browser.set_window_size(1280, 900)
    browser.get(url)
    logs = [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
    assert logs == []
    listed = browser.execute_script(
        "return Array.from(document.querySelectorAll('nav li a')).map(a => a.getAttribute('href'))")
    assert listed == ["#" + op["a"] for op in data["ops"]]
    assert len(listed) == 4
    assert browser.find_element("css selector", "#operation h2").text == data["ops"][0]["s"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / "docs-html.png"))
    assert (ARTIFACTS / "docs-html.png").stat().st_size > 1000


def test_a_link_shows_its_operation(browser, page):
    url, data = page
    _open(browser, url)
    target = data["ops"][2]
    browser.find_element("css selector", f'nav a[href="#{target["a"]}"]').click()
    assert browser.find_element("css selector", "#operation h2").text == target["s"]
    assert browser.find_element("css selector", f'nav a[href="#{target["a"]}"]').get_attribute("aria-current") == "true"
    assert browser.get_log("browser") == []


def test_tabs_switch_by_mouse_and_keyboard(browser, page):
    url, data = page
    op = data["ops"][1]
    _open(browser, url, "#" + op["a"])
    tabs = browser.find_elements("css selector", "[role=tab]")
    assert [t.text for t in tabs] == data["languages"]
    assert len(tabs) == len(REGISTRY)
    assert browser.find_element("css selector", "[role=tablist]").get_attribute("aria-label") == "Languages"
    for i in (1, len(tabs) - 1, 0):
        tabs[i].click()
        assert tabs[i].get_attribute("aria-selected") == "true"
        assert _shown_code(browser) == op["code"][i]
        panel = browser.find_element("id", tabs[i].get_attribute("aria-controls"))
        assert panel.get_attribute("role") == "tabpanel" and panel.is_displayed()
        assert len([p for p in browser.find_elements("css selector", "[role=tabpanel]") if p.is_displayed()]) == 1
    from selenium.webdriver.common.keys import Keys

    tabs[0].send_keys(Keys.ARROW_RIGHT)
    assert browser.switch_to.active_element.get_attribute("id") == tabs[1].get_attribute("id")
    assert tabs[1].get_attribute("aria-selected") == "true" and tabs[0].get_attribute("tabindex") == "-1"
    assert _shown_code(browser) == op["code"][1]
    tabs[1].send_keys(Keys.END)
    assert _shown_code(browser) == op["code"][-1]
    assert browser.get_log("browser") == []


def test_copy_button_copies_the_shown_code(browser, page):
    url, data = page
    op = data["ops"][0]
    _open(browser, url, "#" + op["a"])
    browser.execute_script("""
        window.copied = null;
        Object.defineProperty(navigator, 'clipboard', {configurable: true, value: {
            writeText: function (text) { window.copied = text; return Promise.resolve(); }}});""")
    browser.find_elements("css selector", "[role=tab]")[2].click()
    button = [b for b in browser.find_elements("css selector", "[role=tabpanel] .copy") if b.is_displayed()][0]
    button.click()
    assert browser.execute_script("return window.copied") == op["code"][2]
    assert button.text == "Copied"
    assert browser.get_log("browser") == []


def test_filter_narrows_the_list(browser, page):
    url, data = page
    _open(browser, url)
    box = browser.find_element("id", "filter")
    box.send_keys("order")
    visible = [a.get_attribute("href").split("#")[1] for a in browser.find_elements("css selector", "nav li a")
               if a.is_displayed()]
    assert visible == ["createOrder"]
    groups = [g for g in browser.find_elements("css selector", "nav .group") if g.is_displayed()]
    assert len(groups) == 1
    assert browser.find_element("id", "count").text == "1 of 4 operations"
    box.clear()
    box.send_keys("get /items")
    visible = [a.get_attribute("href").split("#")[1] for a in browser.find_elements("css selector", "nav li a")
               if a.is_displayed()]
    assert visible == ["listItems", "getItem"]
    assert browser.get_log("browser") == []


def test_colour_scheme_switches_and_the_page_fits_a_phone(browser, page):
    url, _ = page
    _open(browser, url)
    background = "return getComputedStyle(document.body).backgroundColor"
    toggle = browser.find_element("id", "theme")
    toggle.click()  # auto -> light
    light = browser.execute_script(background)
    toggle.click()  # light -> dark
    dark = browser.execute_script(background)
    assert browser.execute_script("return document.documentElement.getAttribute('data-theme')") == "dark"
    assert light != dark
    toggle.click()  # back to automatic
    browser.set_window_size(390, 844)
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / "docs-html-phone.png"))
    assert browser.get_log("browser") == []


def test_a_large_definition_stays_usable(browser, tmp_path):
    """1,500 operations under 30 tags: the page lists them all, loads without errors, and the
    filter and the switch to another operation answer quickly (GitHub's figures: README)."""
    from generator.api import Options
    from generator.docs import build

    paths = {f"/things{i}/{{id}}": {"get": {"operationId": f"getThing{i}", "tags": [f"group{i % 30}"],
                                            "summary": f"Get thing {i}",
                                            "parameters": [{"name": "id", "in": "path", "required": True,
                                                            "schema": {"type": "integer"}, "example": i}],
                                            "responses": {"200": {"description": "ok"}}}} for i in range(1500)}
    data = {"openapi": "3.0.3", "info": {"title": "Large", "version": "1"},
            "servers": [{"url": "https://large.example.com"}], "paths": paths}
    page = build(data, version="3.0", formats=("html",), options=Options(targets=("python",))).files["index.html"]
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    _open(browser, (tmp_path / "index.html").as_uri())
    assert browser.execute_script("return document.querySelectorAll('nav li').length") == 1500
    took = browser.execute_script("""
        var box = document.getElementById('filter'); var t = performance.now();
        box.value = 'thing1499'; box.dispatchEvent(new Event('input')); document.body.offsetHeight;
        var filtered = performance.now() - t;
        t = performance.now(); location.hash = '#getThing1499';
        window.dispatchEvent(new HashChangeEvent('hashchange')); document.body.offsetHeight;
        return [filtered, performance.now() - t];""")
    assert browser.find_element("id", "count").text == "1 of 1500 operations"
    assert browser.find_element("css selector", "#operation h2").text == "Get thing 1499"
    assert took[0] < 2000 and took[1] < 2000, took
    assert browser.get_log("browser") == []

#!/usr/bin/env python3
"""Checks the partners page's area filter in headless Chromium, with JavaScript and without.

usage: filter_check.py OUTPUT_DIR
With JavaScript, clicking an area filters the list in place and moves the address to the area's page;
Back restores the full list. Without JavaScript, the same link loads the area's own page.
"""
import sys

from axe_check import serve
from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def browser(javascript):
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def state(driver):
    visible = [c for c in driver.find_elements("css selector", ".partner") if c.is_displayed()]
    return driver.current_url.split("/", 3)[3], driver.find_element("css selector", ".summary").text, len(visible)


def main():
    server = serve(sys.argv[1])
    base = "http://127.0.0.1:%d/" % server.server_address[1]
    problems = []

    def expect(what, actual, expected):
        if actual != expected:
            problems.append("%s: expected %r, got %r" % (what, expected, actual))

    for javascript in (True, False):
        driver = browser(javascript)
        try:
            driver.get(base + "partners/")
            total = state(driver)
            link = driver.find_element("css selector", 'a[data-area="Nursing"]')
            link.click()
            label = "with JavaScript" if javascript else "without JavaScript"
            url, summary, count = state(driver)
            expect("address after choosing Nursing " + label, url, "partners/areas/nursing/")
            expect("summary " + label, summary.startswith("1 partner in 1 country"), True)
            expect("visible partners " + label, count, 1)
            driver.back()
            expect("after Back " + label, state(driver), total)
        finally:
            driver.quit()
    server.shutdown()
    for problem in problems:
        print(problem)
    print("partner filter: %d problems" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

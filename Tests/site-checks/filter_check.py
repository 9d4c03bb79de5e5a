#!/usr/bin/env python3
"""Checks the partners page's area filter in headless Chromium, with JavaScript and without.

usage: filter_check.py OUTPUT_DIR
With JavaScript, clicking an area filters the list in place and moves the address to the area's page;
Back restores the full list. Without JavaScript, and opened from disk (file://, where the address cannot be
changed in place), the same link loads the area's own page.
"""
import os
import sys

from axe_check import browser, serve


def state(driver, start):
    visible = [c for c in driver.find_elements("css selector", ".partner") if c.is_displayed()]
    return driver.current_url[len(start):], driver.find_element("css selector", ".summary").text, len(visible)


def main():
    server = serve(sys.argv[1])
    base = "http://127.0.0.1:%d/" % server.server_address[1]
    problems = []

    def expect(what, actual, expected):
        if actual != expected:
            problems.append("%s: expected %r, got %r" % (what, expected, actual))

    disk = "file://" + os.path.abspath(sys.argv[1]) + "/"
    for start, javascript, label in ((base, True, "with JavaScript"), (base, False, "without JavaScript"),
                                     (disk, True, "opened from disk")):
        driver = browser(javascript)
        try:
            driver.get(start + "partners/index.html")
            total = state(driver, start)
            link = driver.find_element("css selector", 'a[data-area="nursing"]')
            link.click()
            url, summary, count = state(driver, start)
            expect("address after choosing Nursing " + label, url, "partners/areas/nursing/index.html")
            expect("summary " + label, summary, "Nursing: 1 partner named here, in 1 country")
            expect("visible partners " + label, count, 1)
            maps = [m for m in driver.find_elements("css selector", ".map") if m.is_displayed()]
            expect("maps shown after choosing Nursing " + label, len(maps), 0)
            driver.back()
            expect("after Back " + label, state(driver, start), total)
        finally:
            driver.quit()
    # The Chinese page: the summary the script shows comes from the page, in Chinese.
    driver = browser(True)
    try:
        driver.get(base + "zh/partners/index.html")
        driver.find_element("css selector", 'a[data-area="nursing"]').click()
        url, summary, count = state(driver, base)
        expect("address after choosing 护理", url, "zh/partners/areas/nursing/index.html")
        expect("summary after choosing 护理", summary, "护理：本页列出1个合作伙伴，分布于1个国家")
        expect("visible partners after choosing 护理", count, 1)
    finally:
        driver.quit()
    server.shutdown()
    for problem in problems:
        print(problem)
    print("partner filter: %d problems" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Site search in headless Chromium, typed as a visitor types, wherever the site is published.

usage: search_check.py OUTPUT_DIR
The same output, served by nginx at / and under /deep/sub/path/ (docs/deploy/ configs) and opened from disk
(file://): on the English and the Chinese search page, each query of QUERIES is typed into the box and the
titles of the results must include the expected page within the first few; the excerpt marks the match.
Without JavaScript the search page shows links to the partner and programme lists.
"""
import os
import shutil
import sys
import tempfile
import time

from filter_check import browser
from portability_check import start_nginx
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

# (page, query, a title expected among the first `within` results, within)
QUERIES = [
    ("search/index.html", "nursing", "Nurse exchange", 3),
    ("search/index.html", "Strasbourg", "University of Strasbourg", 3),
    ("search/index.html", "universite", "Paris Descartes University", 5),
    ("search/index.html", "partn", "Our partners", 3),                       # a prefix, while typing
    ("search/index.html", "ottawa joint school", "Ottawa–Shanghai Joint School of Medicine", 2),
    ("zh/search/index.html", "护理", "斯特拉斯堡卫生局", 3),                # the nursing partner
    ("zh/search/index.html", "渥太华", "渥太华大学医学院", 3),
    ("zh/search/index.html", "里昂 硕士", "生命科学硕士项目", 3),
    ("zh/search/index.html", "Ｌｙｏｎ", "里昂大学", 5),                        # full-width, on the Chinese page
]

# The browser's tokenizer must cut text exactly as the build's (Tests/SiteSearchTests pins the same lists).
TOKENS = [
    ("Université de Lyon", ["universit", "de", "lyon"]),
    ("Nursing nurses NURSE", ["nurs", "nurs", "nurs"]),
    ("partners, universities; programmes", ["partner", "university", "programm"]),
    ("Ｎｕｒｓｉｎｇ", ["nurs"]),
    ("渥太华", ["渥", "太", "华", "渥太", "太华"]),
    ("SJTUSM与渥太华，Ottawa", ["sjtusm", "与", "渥", "太", "华", "与渥", "渥太", "太华", "ottawa"]),
]

problems = []


def results(driver):
    return [a.text for a in driver.find_elements(By.CSS_SELECTOR, ".search-results li > a")]


def check(driver, base, label):
    for page, query, expected, within in QUERIES:
        driver.get(base + page)
        box = driver.find_element(By.ID, "search-input")
        box.clear()
        box.send_keys(query)
        try:
            WebDriverWait(driver, 10).until(lambda d: expected in results(d)[:within]
                                            or d.find_element(By.CSS_SELECTOR, ".search-status").text)
        except Exception:
            pass
        titles = results(driver)
        if expected not in titles[:within]:
            problems.append("%s: %r on %s: expected %r in the first %d, got %r" % (label, query, page, expected, within, titles[:6]))
            continue
        marks = driver.find_elements(By.CSS_SELECTOR, ".search-results mark")
        if not marks:
            problems.append("%s: %r: no matched word is marked in the excerpts" % (label, query))
    print("search %s: %d queries checked" % (label, len(QUERIES)))


def main():
    source = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="orbis-search-")
    os.chmod(work, 0o755)
    site = os.path.join(work, "Output")
    shutil.copytree(source, site)
    nginx, root_url, sub_url = start_nginx(work, site)
    try:
        driver = browser()
        try:
            for base, label in ((root_url, "nginx at /"), (sub_url, "nginx under a subpath"), ("file://" + site + "/", "from disk")):
                check(driver, base, label)
            for text, expected in TOKENS:
                got = driver.execute_script("return orbisSearch.tokens(arguments[0])", text)
                if got != expected:
                    problems.append("the browser cuts %r into %r, the build into %r" % (text, got, expected))
            print("tokenizer: the browser agrees with the build on %d texts" % len(TOKENS))
            # Only the site's own files are requested.
            driver.get(root_url + "search/index.html?q=lyon")
            WebDriverWait(driver, 10).until(lambda d: results(d))
            urls = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
            foreign = [u for u in urls if not u.startswith(root_url)]
            if foreign:
                problems.append("requests outside the site: %r" % foreign)
            loaded = [u for u in urls if "/search/" in u]
            print("a query for 'lyon' loaded %d index files" % len(loaded))
        finally:
            driver.quit()
        # Without JavaScript: the page explains and links to the lists, and the box is not shown.
        plain = browser(javascript=False)
        try:
            plain.get(root_url + "search/index.html")
            links = [a.get_attribute("href") for a in plain.find_elements(By.CSS_SELECTOR, ".search-fallback a")]
            if root_url + "partners/index.html" not in links:
                problems.append("without JavaScript the search page does not link to the partners: %r" % links)
            if plain.find_element(By.ID, "search-input").is_displayed():
                problems.append("without JavaScript the search box is shown, but cannot work")
            print("search without JavaScript: the page links to %d pages" % len(links))
        finally:
            plain.quit()
    finally:
        nginx.terminate()
        nginx.wait()
        shutil.rmtree(work, ignore_errors=True)
    for problem in problems:
        print(problem)
    print("search: %d problems" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

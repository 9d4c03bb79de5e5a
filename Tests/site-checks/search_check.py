#!/usr/bin/env python3
"""Site search in headless Chromium, typed as a visitor types, wherever the site is published.

usage: search_check.py OUTPUT_DIR [ORBIS_BINARY]
The same output, served by nginx at / and under /deep/sub/path/ (docs/deploy/ configs) and opened from disk
(file://): on the English and the Chinese search page, each query of QUERIES is typed into the box and the
titles of the results must include the expected page within the first few; the excerpt marks the match.
Without JavaScript the search page shows links to the partner and programme lists.
With ORBIS_BINARY, also a site of 4,000 pages large enough that its term shards split (LARGE_QUERIES): the
browser must find each page by its own word and by words every page has, through split shards, long
delta-coded postings and a typed prefix.
"""
import subprocess
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
    # A word over the length limit (100) is no term: a pasted hash or base64 blob.
    ("lyon " + "x" * 101 + " " + "é" * 101 + " " + "y" * 100, ["lyon", "y" * 100]),
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


# (query, the pages expected, exactly): over 4,000 pages that all have "nursing nutrition nuclear nu", and two
# that weigh "nursing" and "oncology" differently.
LARGE_PAGES = 4000
LARGE_QUERIES = [
    ("zeta1234", ["p1234/"]),                       # a word of one page
    ("nutrition zeta3999", ["p3999/"]),             # the last page, through a 4,000-posting list
    ("nuclear zeta0", ["p0/"]),
    ("nu zeta2000", ["p2000/"]),                    # a two-letter term, kept in the shard that was split
    ("zeta17 nutr", ["p17/"]),                      # the last word as a prefix, into split shards
    # Ranked by rarity too: "nursing" is on every page, "oncology" on two; the page that says "oncology"
    # three times comes before the one that says "nursing" twenty times (by summed weights alone, 4 < 21).
    ("nursing oncology", ["rare/", "common/"]),
]


def large_site(orbis, work):
    """Builds a 4,000-page site whose `nu` shard is split; returns its output folder."""
    root = os.path.join(work, "large")
    os.makedirs(os.path.join(root, "Content"))
    os.makedirs(os.path.join(root, "Templates"))
    with open(os.path.join(root, "site.yaml"), "w") as f:
        f.write("title: Large\nsearch: true\n")
    with open(os.path.join(root, "Templates", "page.mustache"), "w") as f:
        f.write('<!doctype html><html lang="{{lang}}"><head><meta charset="utf-8"><title>{{page.title}}</title></head>'
                '<body><main><h1>{{page.title}}</h1>{{{page.content}}}</main></body></html>\n')
    with open(os.path.join(root, "Content", "index.md"), "w") as f:
        f.write("---\ntitle: Home\n---\nThe home page.\n")
    for n in range(LARGE_PAGES):
        with open(os.path.join(root, "Content", "p%d.md" % n), "w") as f:
            f.write("---\ntitle: Page %d\n---\nNursing, nutrition and nuclear medicine: nu. zeta%d.\n" % (n, n))
    with open(os.path.join(root, "Content", "common.md"), "w") as f:
        f.write("---\ntitle: Common\n---\n" + "Nursing. " * 20 + "Oncology.\n")
    with open(os.path.join(root, "Content", "rare.md"), "w") as f:
        f.write("---\ntitle: Rare\n---\nNursing. Oncology, oncology and oncology.\n")
    subprocess.run([orbis, "build", "--root", root, "--output", os.path.join(root, "Output")], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return os.path.join(root, "Output")


def check_large(driver, output):
    with open(os.path.join(output, "search", "en", "meta.js")) as f:
        meta = f.read()
    if '"nut' not in meta and '"nur' not in meta:
        problems.append("the large site's 'nu' shard was not split (meta.js: %s…)" % meta[:200])
    driver.get("file://" + output + "/index.html")
    driver.execute_async_script("""const done = arguments[arguments.length - 1];
        const s = document.createElement('script'); s.src = arguments[0]; s.onload = () => done(1); document.head.appendChild(s);""",
                                "file://" + output + "/search/orbis-search.js")
    for query, expected in LARGE_QUERIES:
        urls = driver.execute_async_script("""const done = arguments[arguments.length - 1];
            orbisSearch.search('en', arguments[0], 10).then(r => done(r.map(x => x.url)));""", query)
        got = [u.split("/Output/", 1)[-1] for u in urls]
        if got != expected:
            problems.append("large site: %r found %r, expected %r" % (query, got, expected))
    print("search over %d pages with split shards: %d queries checked" % (LARGE_PAGES, len(LARGE_QUERIES)))


def main():
    source = os.path.abspath(sys.argv[1])
    orbis = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else None
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
            if orbis:
                check_large(driver, large_site(orbis, work))
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

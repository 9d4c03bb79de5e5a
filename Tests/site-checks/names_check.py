#!/usr/bin/env python3
"""File names a browser reads differently, followed by a real browser.

usage: names_check.py ORBIS
Builds a copy of the end-to-end fixture site with pages whose names hold `#`, `?`, spaces, `&`, `%`, `;`,
Chinese characters and an NFD `é` (linked from an NFC one), serves it with nginx (the repo's config) and opens
it from disk. In headless Chromium every page's links are resolved by the browser itself (`a.href`), and each
internal one must reach a file: over HTTP it must answer 200, from disk the file it names (its bytes, no
normalization) must exist. Exit 1 on any broken link.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from portability_check import browser, start_nginx  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
NAMES = ["Report #3", "FAQ?", "with space & 100%", "a;b=c", "中文页面", unicodedata.normalize("NFD", "café")]
problems = []


def build(orbis, work):
    site = os.path.join(work, "site")
    shutil.copytree(os.path.join(REPO, "Tests/OrbisTests/Fixtures/site"), site)
    links = []
    for name in NAMES:
        with open(os.path.join(site, "Content", name + ".md"), "w", encoding="utf-8") as f:
            f.write("---\ntitle: %s\n---\nBack to [about](about.md).\n" % name.replace("#", "no.").replace("?", "").replace("&", "and"))
        # As an author would write it: percent-encoded, or in <…> with spaces; the NFD file linked as NFC.
        written = unicodedata.normalize("NFC", name)
        links.append("- [%s](<%s.md>)" % (written, written.replace("#", "%23").replace("?", "%3F")))
    with open(os.path.join(site, "Content/about.md"), "a", encoding="utf-8") as f:
        f.write("\n\n" + "\n".join(links) + "\n\n[跳到标题](#合作项目)\n\n" + "Filler.\n\n" * 80 + "## 合作项目\n\nEnd.\n")
    result = subprocess.run([orbis, "build", "--root", site], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("the names site did not build:\n" + result.stderr)
    return os.path.join(site, "Output")


def pages_of(output):
    return sorted(os.path.relpath(os.path.join(d, f), output) for d, _, files in os.walk(output)
                  for f in files if f.endswith(".html") and f != "404.html")


def follow(driver, page_url, check):
    driver.get(page_url)
    hrefs = driver.execute_script(
        "return [...document.querySelectorAll('a[href], link[href], img[src]')].map(e => e.href || e.src)")
    count = 0
    for href in hrefs:
        target = urllib.parse.urldefrag(href)[0]
        if not (target.startswith("http://127.0.0.1") or target.startswith("file://")):
            continue
        count += 1
        reason = check(target)
        if reason:
            problems.append("%s → %s: %s" % (page_url, href, reason))
            print("  problem: " + problems[-1])
    return count


def fragment_targets(driver, page_url):
    """A link to a Chinese heading (its fragment percent-encoded) must reach the heading in the browser."""
    driver.get(page_url)
    link = driver.find_element("link text", "跳到标题")
    link.click()
    target = driver.execute_script("var t = document.querySelector(':target'); return t ? t.id : null")
    if target != "合作项目":
        problems.append("%s: the link to #合作项目 reached %r" % (page_url, target))
        print("  problem: " + problems[-1])


def over_http(target):
    try:
        with urllib.request.urlopen(target) as response:
            return None if response.status == 200 else "HTTP %d" % response.status
    except urllib.error.HTTPError as error:
        return "HTTP %d" % error.code


def from_disk(target):
    path = urllib.parse.unquote_to_bytes(urllib.parse.urlsplit(target).path)
    return None if os.path.isfile(path) else "no such file (%r)" % path


def main():
    orbis = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="orbis-names-")
    os.chmod(work, 0o755)
    try:
        output = build(orbis, work)
        nginx, root_url, _ = start_nginx(work, output)
        driver = browser()
        try:
            pages = pages_of(output)
            http_links = sum(follow(driver, root_url + urllib.parse.quote(page), over_http) for page in pages)
            disk_links = sum(follow(driver, "file://" + urllib.parse.quote(os.path.join(output, page)), from_disk) for page in pages)
            fragment_targets(driver, root_url + "about/index.html")
            fragment_targets(driver, "file://" + urllib.parse.quote(os.path.join(output, "about/index.html")))
        finally:
            driver.quit()
            nginx.terminate()
            nginx.wait()
        print("names: %d pages, %d links over nginx and %d from disk followed by Chromium, %d broken"
              % (len(pages), http_links, disk_links, len(problems)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

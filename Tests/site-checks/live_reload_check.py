#!/usr/bin/env python3
"""Live reload in a real browser: `orbis serve` on a copy of a site, the page open in headless Chromium.

usage: live_reload_check.py ORBIS_BINARY SITE_FOLDER
Opens /about/, edits the page template and waits for the open page to show the edit (the reload script,
the stream's `?page=` and the versions it names, as Chromium runs them); then breaks the template with a
link to nowhere and waits for the error overlay over the last good version; then fixes it and waits for the
overlay to go. Prints how long each took; exits 1 on any failure.
"""
import os
import shutil
import sys
import tempfile
import time

from serving import start_serve
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait


def browser():
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def main():
    binary, source = sys.argv[1], sys.argv[2]
    work = tempfile.mkdtemp(prefix="orbis-live-")
    site = os.path.join(work, "site")
    shutil.copytree(source, site)
    template_path = os.path.join(site, "Templates", "page.mustache")
    template = open(template_path, encoding="utf-8").read()
    server, port = start_serve(binary, site)
    driver = None
    try:
        driver = browser()
        wait = WebDriverWait(driver, 30, poll_frequency=0.02)
        # The first build may still run: the page reloads by itself once there is a site.
        driver.get("http://127.0.0.1:%d/about/" % port)
        wait.until(lambda d: d.execute_script("return document.querySelector('h1') && document.querySelector('h1').textContent") == "About"
                   and d.execute_script("return window.orbisLive !== undefined"))

        def h1_class():
            return driver.execute_script("var h=document.querySelector('h1');return h?h.className:null")

        def overlay():
            return driver.execute_script("var o=document.getElementById('orbis-errors');return o?o.textContent:null")

        def live():
            return driver.execute_script("return window.orbisLive !== undefined")

        def save(text):
            with open(template_path, "w", encoding="utf-8") as f:
                f.write(text)
            return time.perf_counter()

        start = save(template.replace("<h1>", '<h1 class="edited">'))
        wait.until(lambda d: h1_class() == "edited" and live())
        print("live reload: the open page shows a template edit %.0f ms after the save" % ((time.perf_counter() - start) * 1000))

        start = save(template.replace("<h1>", '<a href="/nowhere/">x</a><h1 class="broken">'))
        # (The broken version may be shown first, rendered before the check fails; then the page goes back.)
        try:
            wait.until(lambda d: overlay() is not None and h1_class() == "edited" and live())
        except Exception:
            print("FAIL: no error overlay over the last good version (h1 class %r, overlay %r)" % (h1_class(), overlay()))
            return 1
        text = overlay()
        if "/nowhere/" not in text:
            print("FAIL: the error overlay does not name the broken link: %r" % text)
            return 1
        print("live reload: a broken build shows its errors over the last good version %.0f ms after the save" % ((time.perf_counter() - start) * 1000))

        start = save(template.replace("<h1>", '<h1 class="fixed">'))
        wait.until(lambda d: h1_class() == "fixed" and overlay() is None and live())
        print("live reload: the fix replaces the overlay %.0f ms after the save" % ((time.perf_counter() - start) * 1000))
        return 0
    finally:
        if driver:
            driver.quit()
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Runs axe-core in headless Chromium on pages of a built site, at phone and desktop widths.

usage: axe_check.py OUTPUT_DIR PAGE [PAGE ...]
Serves OUTPUT_DIR on a free loopback port, opens each page at 375 px and 1280 px wide, and prints every
violation. Exits 1 when there is any, 0 otherwise. Needs chromium, chromium-driver, selenium and
axe-selenium-python.
"""
import functools
import http.server
import socketserver
import sys
import threading

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

WIDTHS = (375, 1280)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder):
    handler = functools.partial(QuietHandler, directory=folder)
    server = socketserver.TCPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def browser(javascript=True):
    """Headless Chromium (Debian's), with JavaScript on or off."""
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def main():
    folder, pages = sys.argv[1], sys.argv[2:]
    server = serve(folder)
    base = "http://127.0.0.1:%d/" % server.server_address[1]
    driver = browser()
    failures = 0
    checked = 0
    try:
        for page in pages:
            for width in WIDTHS:
                driver.set_window_size(width, 900)
                driver.get(base + page)
                axe = Axe(driver)
                axe.inject()
                results = axe.run()
                checked += 1
                for violation in results["violations"]:
                    failures += 1
                    targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
                    print("%s @%dpx: %s (%s): %s" % (page or "/", width, violation["id"], violation["impact"], targets))
    finally:
        driver.quit()
        server.shutdown()
    print("axe: %d page views checked, %d violations" % (checked, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""One output folder, every way it is published: nginx at / and under /deep/sub/path/, and opened from disk.

usage: portability_check.py OUTPUT_DIR
- Starts its own nginx (Debian `nginx`) on free loopback ports with the configs kept in docs/deploy/ (only the
  port and folder swapped in), and crawls both with Debian's `linkchecker`, anchors included: zero problems.
- Opened from disk: every internal href/src/srcset of every page, followed as a file:// URL, reaches an existing
  file (not a folder), and its #fragment an id in that file; linkchecker crawls file:// as well.
- The 404 page at depth (/a/b/c and /deep/sub/path/a/b/c, and the Chinese one under zh/), in headless Chromium: status 404, the theme's
  stylesheet applied, and a home link that leads to the site's home page.
"""
import html.parser
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

from filter_check import browser

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SUBPATH = "/deep/sub/path/"
problems = []


def problem(text):
    problems.append(text)
    print("  problem: " + text)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_nginx(work, site):
    ports = {"nginx.conf": free_port(), "nginx-subpath.conf": free_port()}
    includes = []
    for name, port in ports.items():
        text = open(os.path.join(REPO, "docs/deploy", name)).read()
        text = re.sub(r"listen \d+;", "listen 127.0.0.1:%d;" % port, text)
        text = text.replace("/srv/site/Output", site)
        path = os.path.join(work, name)
        with open(path, "w") as f:
            f.write(text)
        includes.append("include %s;" % path)
    conf = os.path.join(work, "main.conf")
    with open(conf, "w") as f:
        f.write("""daemon off;
pid %(w)s/nginx.pid;
error_log %(w)s/error.log;
events {}
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path %(w)s/tmp;
    proxy_temp_path %(w)s/tmp;
    fastcgi_temp_path %(w)s/tmp;
    uwsgi_temp_path %(w)s/tmp;
    scgi_temp_path %(w)s/tmp;
    %(includes)s
}
""" % {"w": work, "includes": "\n    ".join(includes)})
    os.mkdir(os.path.join(work, "tmp"))
    process = subprocess.Popen(["nginx", "-c", conf, "-p", work], stderr=subprocess.PIPE, text=True)
    for port in ports.values():
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.05).close()
                break
            except OSError:
                if process.poll() is not None:
                    sys.exit("nginx did not start: " + process.stderr.read())
                process_wait(process)
    return process, "http://127.0.0.1:%d/" % ports["nginx.conf"], "http://127.0.0.1:%d%s" % (ports["nginx-subpath.conf"], SUBPATH)


def process_wait(process):
    try:
        process.wait(timeout=0.05)
    except subprocess.TimeoutExpired:
        pass


def linkcheck(url, work, label):
    """Crawls `url` with linkchecker (anchors on, external links not followed: there is no network)."""
    config = os.path.join(work, "linkcheckerrc")
    with open(config, "w") as f:
        f.write("[filtering]\ncheckextern=0\nignorewarnings=url-content-too-large\n[AnchorCheck]\n[output]\nlog=text\nverbose=0\n")
    result = subprocess.run(["linkchecker", "-f", config, "--no-status", "--recursion-level=20", url],
                            capture_output=True, text=True, timeout=600)
    summary = re.search(r"(\d+) links? in (\d+) URLs? checked", result.stdout)
    checked = summary.group(0) if summary else "?"
    print("linkchecker %s: %s, exit %d" % (label, checked, result.returncode))
    if result.returncode != 0 or re.search(r"[1-9]\d* errors? found", result.stdout) or "Anchor" in result.stdout:
        problem("linkchecker found problems in %s:\n%s" % (label, result.stdout[-4000:]))
    if summary and int(summary.group(2)) < 20:
        problem("linkchecker %s crawled only %s URLs" % (label, summary.group(2)))


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif name in ("href", "src"):
                self.urls.append(value)
            elif name == "srcset":
                self.urls += [c.strip().split()[0] for c in value.split(",") if c.strip()]


def parse(path):
    parser = Links()
    parser.feed(open(path, encoding="utf-8").read())
    return parser


def check_from_disk(site):
    """Follows every internal link of every page the way a browser does for file:// URLs."""
    pages = [os.path.join(d, f) for d, _, files in os.walk(site) for f in files if f.endswith(".html")]
    links = 0
    for page in pages:
        if os.path.basename(page) == "404.html":
            continue  # shown by a server for missing pages; never opened from disk
        base = "file://" + urllib.parse.quote(page)
        for url in parse(page).urls:
            target = urllib.parse.urljoin(base, url)
            if not target.startswith("file://"):
                continue
            links += 1
            parts = urllib.parse.urlsplit(target)
            path = urllib.parse.unquote(parts.path)
            where = "%s → %s" % (os.path.relpath(page, site), url)
            if not path.startswith(site + "/"):
                problem("from disk, %s leaves the site folder" % where)
            elif not os.path.isfile(path):
                problem("from disk, %s is %s" % (where, "a folder, not a file" if os.path.isdir(path) else "missing"))
            # A browser percent-decodes the fragment before it looks for the id (HTML: "indicated part").
            elif parts.fragment and path.endswith(".html") and urllib.parse.unquote(parts.fragment) not in parse(path).ids:
                problem("from disk, %s: no id %r there" % (where, urllib.parse.unquote(parts.fragment)))
    print("from disk: %d internal links in %d pages all reach a file" % (links, len(pages)) if not problems
          else "from disk: %d internal links checked" % links)


def check_404(driver, home, title="Page not found"):
    """A missing page under `home` gets the 404 page whose <title> starts with `title`, styled, linking home."""
    missing = home + "a/b/c"
    try:
        urllib.request.urlopen(missing)
        problem("%s did not answer 404" % missing)
    except urllib.error.HTTPError as error:
        if error.code != 404:
            problem("%s answered %d, not 404" % (missing, error.code))
    driver.get(missing)
    if not driver.title.startswith(title):
        problem("the 404 page at %s is titled %r, not %r" % (missing, driver.title, title))
    styled = driver.execute_script(
        "return [...document.styleSheets].some(s => { try { return s.cssRules.length > 0 } catch (e) { return false } })")
    if not styled:
        problem("the 404 page at %s has no stylesheet applied" % missing)
    link = driver.find_element("css selector", "main a")
    if link.get_attribute("href") != home + "index.html":
        problem("the 404 page at %s links home to %s, not %s" % (missing, link.get_attribute("href"), home + "index.html"))
    link.click()
    if driver.current_url != home + "index.html" or driver.title.startswith(title):
        problem("following the 404 page's home link from %s reached %s (%s)" % (missing, driver.current_url, driver.title))
    print("404 at depth under %s: styled, home link works" % home)


def main():
    source = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="orbis-portable-")
    os.chmod(work, 0o755)  # linkchecker drops root privileges to 'nobody' and must read the copy
    site = os.path.join(work, "Output")
    shutil.copytree(source, site)
    nginx, root_url, sub_url = start_nginx(work, site)
    try:
        linkcheck(root_url, work, "nginx at /")
        linkcheck(sub_url, work, "nginx at " + SUBPATH)
        linkcheck("file://" + site + "/index.html", work, "file://")
        check_from_disk(site)
        driver = browser()
        try:
            check_404(driver, root_url)
            check_404(driver, sub_url)
            check_404(driver, root_url + "zh/", "页面不存在")
            check_404(driver, sub_url + "zh/", "页面不存在")
        finally:
            driver.quit()
    finally:
        nginx.terminate()
        nginx.wait()
        shutil.rmtree(work, ignore_errors=True)
    print("portability: %d problems" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Median time from saving a file to the edited page reaching a browser, under `orbis serve`.

usage: bench/serve_latency.py [ORBIS_BINARY] [SITE_ROOT] [SAVES] [PAGE] [EDIT...]
Starts `orbis serve` on a free port and acts as a browser showing one page: it opens the page's reload
stream (as the reload script does, saying which page it shows), then SAVES times (default 20) rewrites a
file, waits for a reload event naming a version other than the one its page has, fetches the page and checks
that the edit is in it. "to the browser" is the time from the save to that page's HTML received; "whole
site" the time to the server's line saying the rebuild of every page is published. The next save waits for
that line (each save is a single edit, not one queued behind the last).

EDIT is one or more kinds of edit (default: text), each measured in turn:
  text      a line added to PAGE's body (the page shown)
  title     PAGE's title, which its section's list shows too (the page shown)
  data      the name of the first record of Content/data/partners.yaml (its page is shown)
  template  Templates/page.mustache, which most pages use (PAGE shown)
  menu      the first menu entry's label in site.yaml, which every page shows (PAGE shown)
"""
import os
import queue
import re
import socket
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "site-checks"))
from serving import start_serve  # noqa: E402

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/release/orbis"
root = sys.argv[2] if len(sys.argv) > 2 else "."
saves = int(sys.argv[3]) if len(sys.argv) > 3 else 20
page_file = sys.argv[4] if len(sys.argv) > 4 else "programs/study-tours.md"
kinds = sys.argv[5:] or ["text"]


def route_of(content_path):
    stem = content_path[:-3] if content_path.endswith(".md") else content_path
    if stem == "index":
        return "/"
    if stem.endswith("/index"):
        return "/" + stem[: -len("index")]
    return "/" + stem + "/"


def target(kind):
    """The file an edit of this kind changes, the page shown, and what the shown page holds after save i."""
    if kind == "data":
        path = os.path.join(root, "Content", "data", "partners.yaml")
        first = re.search(r"(?m)^- id: (\S+)", open(path, encoding="utf-8").read()).group(1)
        return path, "/partners/%s/" % first, lambda i: "(edit %d)" % i
    shown = route_of(page_file)
    if kind == "template":
        return os.path.join(root, "Templates", "page.mustache"), shown, lambda i: "<!-- save %d -->" % i
    if kind == "menu":
        return os.path.join(root, "site.yaml"), shown, lambda i: "MenuEdit%d" % i
    path = os.path.join(root, "Content", page_file)
    if kind == "title":
        return path, shown, lambda i: "(edit %d)" % i
    return path, shown, lambda i: "Saved edit %d." % i


def edited(kind, original, i):
    if kind == "title":
        return re.sub(r'(?m)^title: "?(.*?)"?$', lambda m: 'title: "%s (edit %d)"' % (m.group(1), i), original, count=1)
    if kind == "data":
        return re.sub(r"(?m)^  name: (.*)$", lambda m: "  name: %s (edit %d)" % (m.group(1), i), original, count=1)
    if kind == "template":
        return original.rstrip("\n") + "<!-- save %d -->\n" % i
    if kind == "menu":
        return re.sub(r"(?m)^    title: (.*)$", lambda m: "    title: %s MenuEdit%d" % (m.group(1), i), original, count=1)
    return original + "\nSaved edit %d.\n" % i


def get(port, path):
    """The body of GET path (Connection: close)."""
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.settimeout(60)
        conn.sendall(b"GET %s HTTP/1.1\r\nHost: localhost:%d\r\nConnection: close\r\n\r\n" % (path.encode(), port))
        data = b""
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, body.decode("utf-8", "replace")


def version_of(html):
    match = re.search(r"var g=(\d+)", html)
    return int(match.group(1)) if match else -1


def measure(kind):
    path, shown, marker = target(kind)
    original = open(path, encoding="utf-8").read()
    server, port = start_serve(binary, root)
    lines = queue.Queue()
    try:
        def pump():
            for line in server.stdout:
                lines.put(line)
        threading.Thread(target=pump, daemon=True).start()

        def built(timeout=120):
            """Waits for the next 'Built …' line (a rebuild published)."""
            deadline = time.time() + timeout
            while True:
                line = lines.get(timeout=max(0.1, deadline - time.time()))
                if line.startswith("Built "):
                    return
                if line.startswith("error"):
                    raise SystemExit("the rebuild failed: " + line)

        built()  # the first build
        status, html = get(port, shown)
        if status != 200:
            raise SystemExit("%s gave %d" % (shown, status))
        version = version_of(html)
        from urllib.parse import quote
        events = socket.create_connection(("127.0.0.1", port))
        events.settimeout(60)
        events.sendall(b"GET /__orbis/events?page=%s HTTP/1.1\r\nHost: localhost:%d\r\n\r\n" % (quote(shown, safe="").encode(), port))
        buffer = b""

        def next_event(name):
            nonlocal buffer
            while b"event: " + name + b"\ndata: " not in buffer or b"\n\n" not in buffer.split(b"event: " + name + b"\ndata: ", 1)[1]:
                buffer += events.recv(65536)
            data, buffer = buffer.split(b"event: " + name + b"\ndata: ", 1)[1].split(b"\n\n", 1)
            return int(data)

        next_event(b"hello")
        to_browser, whole = [], []
        for i in range(saves):
            start = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(edited(kind, original, i))
            while next_event(b"reload") == version:
                pass
            status, html = get(port, shown)
            received = time.perf_counter()
            if marker(i) not in html:
                raise SystemExit("save %d of %s: the page %s does not show the edit (%r)" % (i, kind, shown, marker(i)))
            version = version_of(html)
            built()
            to_browser.append((received - start) * 1000)
            whole.append((time.perf_counter() - start) * 1000)
        print("%s edits: %d, save → page in the browser (ms): %s" % (kind, saves, " ".join("%.0f" % x for x in to_browser)))
        print("  save → whole site rebuilt (ms): %s" % " ".join("%.0f" % x for x in whole))
        print("  median: %.1f ms to the browser, %.1f ms whole site" % (statistics.median(to_browser), statistics.median(whole)))
        sys.stdout.flush()
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        server.terminate()
        server.wait()


for kind in kinds:
    measure(kind)

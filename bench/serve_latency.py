#!/usr/bin/env python3
"""Median time from saving a Content file to the reload event reaching a connected client.

usage: bench/serve_latency.py [ORBIS_BINARY] [SITE_ROOT] [SAVES] [PAGE] [EDIT]
Starts `orbis serve` on a free port, connects to its Server-Sent Events stream, then SAVES times (default 20)
rewrites a file and waits for the reload event. Prints each latency and the median. EDIT is what each save
changes: `text` (default: a line added to PAGE's body), `title` (PAGE's title, which its section's list
shows), `data` (the name of the first record of Content/data/partners.yaml, which its list and pages show),
`template` (Templates/page.mustache, which most pages use) or `menu` (the first menu label in site.yaml,
which every page shows).
"""
import os
import re
import socket
import statistics
import subprocess
import sys
import time

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/release/orbis"
root = sys.argv[2] if len(sys.argv) > 2 else "."
saves = int(sys.argv[3]) if len(sys.argv) > 3 else 20
edit = sys.argv[5] if len(sys.argv) > 5 else "text"
# The file each kind of edit changes: the page (text, title), the first record of the collection's data
# file (data), the page layout (template), the first menu entry's label in site.yaml (menu).
page = {
    "data": os.path.join(root, "Content", "data", "partners.yaml"),
    "template": os.path.join(root, "Templates", "page.mustache"),
    "menu": os.path.join(root, "site.yaml"),
}.get(edit, os.path.join(root, "Content", sys.argv[4] if len(sys.argv) > 4 else "programs/study-tours.md"))
original = open(page, encoding="utf-8").read()


def edited(i):
    if edit == "title":
        return re.sub(r'(?m)^title: "?(.*?)"?$', lambda m: 'title: "%s (edit %d)"' % (m.group(1), i), original, count=1)
    if edit == "data":
        return re.sub(r"(?m)^  name: (.*)$", lambda m: "  name: %s (edit %d)" % (m.group(1), i), original, count=1)
    if edit == "template":
        return original.rstrip("\n") + "<!-- save %d -->\n" % i
    if edit == "menu":
        return re.sub(r"(?m)^    title: (.*)$", lambda m: "    title: %s %d" % (m.group(1), i), original, count=1)
    return original + "\n<!-- save %d -->\n" % i

server = subprocess.Popen([binary, "serve", "--root", root, "--port", "0"], stdout=subprocess.PIPE, text=True)
# The first build of a large site takes a while; the "Serving at" line comes after it.
try:
    port = None
    for line in server.stdout:
        match = re.search(r"Serving at http://[^:]+:(\d+)/", line)
        if match:
            port = int(match.group(1))
            break
    events = socket.create_connection(("127.0.0.1", port))
    # The first save fills the second private folder: 10,000 new files, slow on a busy ext4.
    events.settimeout(60)
    events.sendall(b"GET /__orbis/events HTTP/1.1\r\nHost: localhost:%d\r\n\r\n" % port)
    buffer = b""

    def wait_for(name):
        global buffer
        while b"event: " + name not in buffer:
            buffer += events.recv(65536)
        buffer = buffer.split(b"event: " + name, 1)[1]

    wait_for(b"hello")
    latencies = []
    for i in range(saves):
        start = time.perf_counter()
        with open(page, "w", encoding="utf-8") as f:
            f.write(edited(i))
        wait_for(b"reload")
        latencies.append((time.perf_counter() - start) * 1000)
    print("%s edits: %d, latencies (ms): %s" % (edit, saves, " ".join("%.0f" % x for x in latencies)))
    print("median save → reload event: %.1f ms" % statistics.median(latencies))
finally:
    with open(page, "w", encoding="utf-8") as f:
        f.write(original)
    server.terminate()
    server.wait()

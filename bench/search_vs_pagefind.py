#!/usr/bin/env python3
"""Orbis's built-in search against Pagefind (extended, with Chinese segmentation), on the same built output.

usage: bench/search_vs_pagefind.py ORBIS_BINARY PAGEFIND_BINARY [--large]
For this repository's site (queries from bench/search_queries.txt) and, with --large, the 10,000-page bench
site (queries from its vocabulary), it reports: the build time search adds to `orbis build` (median of 9,
search on against off, alternating, each into a new folder; wall and CPU time) and Pagefind's own run over the same output; the index's
bytes; in headless Chromium over a local HTTP server, the time to the first results of each query after a
warm-up query (median) and the bytes each query downloads (median); and, of each query's top 5, how many
pages both return.

Bytes are counted by the HTTP server itself, so that what a Web Worker fetches (Pagefind loads its index
from one, out of the page's sight) counts too: the bytes of each file sent, raw and as a host that gzips
text (JavaScript, JSON, HTML, CSS: GitHub Pages, Netlify and nginx with gzip on) sends them. Pagefind's
index files are gzip already and count as they are in both.
"""
import functools
import gzip
import http.server
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "site-checks"))
from axe_check import QuietHandler  # noqa: E402
from filter_check import browser  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
orbis, pagefind = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
large = "--large" in sys.argv
# In memory when the machine has /dev/shm: build times then measure the tools, not ext4's inode allocation
# after the folders the runs before deleted.
work = tempfile.mkdtemp(prefix="orbis-search-bench-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)


class CountingHandler(QuietHandler):
    """Serves files and counts what it sends: (raw bytes, bytes with gzip for text), since the last reset."""
    sent = [0, 0]
    lock = threading.Lock()
    compressed = {}

    def copyfile(self, source, outputfile):
        data = source.read()
        outputfile.write(data)
        path = self.translate_path(self.path)
        if path.endswith((".js", ".json", ".html", ".css", ".svg")):
            if path not in self.compressed:
                self.compressed[path] = len(gzip.compress(data, 6))
            packed = self.compressed[path]
        else:
            packed = len(data)
        with self.lock:
            self.sent[0] += len(data)
            self.sent[1] += packed

    @classmethod
    def take(cls):
        with cls.lock:
            counted = tuple(cls.sent)
            cls.sent[0] = cls.sent[1] = 0
        return counted


def serve(folder):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(CountingHandler, directory=folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def folder_bytes(path, skip=()):
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            if not any(name.startswith(s) for s in skip):
                total += os.path.getsize(os.path.join(folder, name))
    return total


def timed(command):
    start = time.monotonic()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - start


def timed_cpu(command):
    """Wall time, CPU time (user + system) and the stage times Orbis reports (`ORBIS_STAGE_DETAIL=1`) of
    one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    run = subprocess.run(command, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         env=dict(os.environ, ORBIS_STAGE_DETAIL="1"))
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), stages(run.stdout)


def stages(log):
    """The ms of the stages search has a part in, from a build's detail log: the index, the text taken from
    pages during render (thread time), and the write (which stages the index's files)."""
    found = {}
    for key, pattern in (("index", r"(?m)^Indexed .* in ([0-9.]+) ms$"),
                         ("text", r"(?m)taking pages' text for search, during render: ([0-9.]+) ms of thread time"),
                         ("write", r"(?m)^(?:Wrote|Updated) .* in ([0-9.]+) ms$")):
        match = re.search(pattern, log)
        found[key] = float(match.group(1)) if match else 0.0
    return found


BUILDS = 9


def build_times(site, label):
    """Median build time, wall and CPU, with search on and off (BUILDS of each, alternating: this machine's
    speed varies by ±10% from one build to the next, and more between minutes), each build into a new
    folder."""
    off = os.path.join(work, label + "-off")
    shutil.copytree(site, off)
    with open(os.path.join(off, "site.yaml")) as f:
        text = f.read()
    with open(os.path.join(off, "site.yaml"), "w") as f:
        f.write(re.sub(r"(?m)^search: true\n", "", text))
    # Without an index, a search page would link to a script that is not there (the build refuses that).
    for name in os.listdir(os.path.join(off, "Content")):
        if name.startswith("search") and name.endswith(".md"):
            path = os.path.join(off, "Content", name)
            with open(path) as f:
                page = f.read()
            with open(path, "w") as f:
                f.write(page.replace("layout: search", "layout: page"))
    on_times, off_times = [], []
    for run in range(BUILDS):
        on_times.append(timed_cpu([orbis, "build", "--root", site, "--output", os.path.join(work, "%s-on-%d" % (label, run))]))
        off_times.append(timed_cpu([orbis, "build", "--root", off, "--output", os.path.join(work, "%s-out-off-%d" % (label, run))]))
        if run > 0:
            # Only the first output is queried; the rest go (tmpfs is memory).
            for folder in ("%s-on-%d" % (label, run), "%s-out-off-%d" % (label, run)):
                shutil.rmtree(os.path.join(work, folder))
    median = lambda times, i: statistics.median(t[i] for t in times)
    stage = lambda times, key: statistics.median(t[2][key] for t in times)
    # Search's own work, from the stage times of the same builds (one build's wall time moves by more than
    # the whole of it on this machine; its stages do not): the index stage, the text taken during render
    # (thread time, over the cores that share it) and what the index's files add to the write stage.
    own = {"index": stage(on_times, "index"), "text": stage(on_times, "text") / (os.cpu_count() or 1),
           "write": max(0.0, stage(on_times, "write") - stage(off_times, "write"))}
    return (median(on_times, 0), median(off_times, 0), os.path.join(work, "%s-on-0" % label),
            median(on_times, 1), median(off_times, 1), own)


def attach(driver, tool, base):
    """Loads the tool's search into the open page: Orbis's runtime script, or Pagefind's module."""
    if tool == "orbis":
        driver.execute_async_script("""const done = arguments[arguments.length - 1];
            const s = document.createElement('script'); s.src = arguments[0]; s.onload = () => done(1); document.head.appendChild(s);""",
                                    base + "search/orbis-search.js")
    else:
        driver.execute_async_script("""const done = arguments[arguments.length - 1];
            import(arguments[0]).then(async pf => { window.pf = pf; await pf.init(); done(1); });""",
                                    base + "pagefind/pagefind.js")


ORBIS_QUERY = """
const [lang, query, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
const start = performance.now();
orbisSearch.search(lang, query, 5).then(results => {
  const ms = performance.now() - start;
  done({ms, urls: results.map(r => r.url)});
});
"""

PAGEFIND_QUERY = """
const [query, done] = [arguments[0], arguments[arguments.length - 1]];
const start = performance.now();
window.pf.search(query).then(s => Promise.all(s.results.slice(0, 5).map(r => r.data()))).then(data => {
  const ms = performance.now() - start;
  done({ms, urls: data.map(d => d.url)});
});
"""


def path_of(url, base):
    path = url[len(base):] if url.startswith(base) else url.lstrip("/")
    return re.sub(r"index\.html$", "", path.split("#")[0])


def measure(output, queries, label):
    server = serve(output)
    base = "http://127.0.0.1:%d/" % server.server_address[1]
    driver = browser()
    driver.set_script_timeout(30)
    rows = {"orbis": [], "pagefind": []}
    cold_bytes = {"orbis": [], "pagefind": []}
    try:
        for tool in ("orbis", "pagefind"):
            by_language = {}
            for lang, query in queries:
                by_language.setdefault(lang, []).append(query)
            for lang, items in by_language.items():
                home = base + ("" if lang == "en" else lang + "/") + "index.html"
                driver.get(home)
                attach(driver, tool, base)
                if tool == "orbis":
                    run = lambda q: driver.execute_async_script(ORBIS_QUERY, lang, q)
                else:
                    run = lambda q: driver.execute_async_script(PAGEFIND_QUERY, q)
                run(items[0])  # warm-up: the runtime and the language's entry files
                for query in items:
                    CountingHandler.take()
                    result = run(query)
                    result["bytes"], result["gzip"] = CountingHandler.take()
                    result["urls"] = [path_of(u, base) for u in result["urls"]]
                    rows[tool].append((lang, query, result))
                # Cold: each query alone in a fresh page, counting everything search loads for it (runtime,
                # entry, index shards, result data).
                driver.execute_cdp_cmd("Network.enable", {})
                driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
                for index, query in enumerate(items):
                    driver.get(home + "?cold=%d" % index)
                    time.sleep(0.05)  # let the page's own requests (styles, icons) finish before counting
                    CountingHandler.take()
                    attach(driver, tool, base)
                    run(query)
                    cold_bytes[tool].append(CountingHandler.take())
                driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": False})
    finally:
        driver.quit()
        server.shutdown()
    agree = [len(set(a[2]["urls"]) & set(b[2]["urls"])) for a, b in zip(rows["orbis"], rows["pagefind"])]
    for tool in ("orbis", "pagefind"):
        ms = statistics.median(r[2]["ms"] for r in rows[tool])
        kb = statistics.median(r[2]["bytes"] for r in rows[tool]) / 1024
        kb_gzip = statistics.median(r[2]["gzip"] for r in rows[tool]) / 1024
        cold = statistics.median(c[0] for c in cold_bytes[tool]) / 1024
        cold_gzip = statistics.median(c[1] for c in cold_bytes[tool]) / 1024
        print("  %-8s time to first results %6.1f ms (median of %d queries, after a first one); downloaded per query"
              " (medians, raw / gzip): alone in a fresh page %6.1f / %6.1f KB, after others %6.1f / %6.1f KB"
              % (tool, ms, len(rows[tool]), cold, cold_gzip, kb, kb_gzip))
    print("  top-5 agreement: %.1f of 5 on average (%d queries; %d with all 5 the same)"
          % (statistics.mean(agree), len(agree), sum(1 for a in agree if a == 5)))
    with open(os.path.join(work, label + "-results.json"), "w") as f:
        json.dump(rows, f, ensure_ascii=False, indent=1)


def compare(site, queries, label):
    on, off, output, on_cpu, off_cpu, own = build_times(site, label)
    pagefind_output = os.path.join(work, label + "-pagefind")
    shutil.copytree(output, pagefind_output)
    pagefind_time = timed([pagefind, "--site", pagefind_output])
    print("%s:" % label)
    print("  build (medians of %d): %.2f s with search, %.2f s without: search adds %.2f s (%.0f%% of the build without it,"
          " %.0f%% of the build with it); CPU time %.2f s against %.2f s: +%.2f s (%.0f%%); Pagefind's run over the output: %.2f s"
          % (BUILDS, on, off, on - off, 100 * (on - off) / off, 100 * (on - off) / on, on_cpu, off_cpu, on_cpu - off_cpu,
             100 * (on_cpu - off_cpu) / off_cpu, pagefind_time))
    total = sum(own.values()) / 1000
    print("  search's own stages (medians): index %.0f ms, text taken during render %.0f ms (thread time over %d cores),"
          " its files in the write stage %.0f ms: %.2f s, %.0f%% of the build without search"
          % (own["index"], own["text"], os.cpu_count() or 1, own["write"], total, 100 * total / off))
    print("  index: Orbis %.0f KB (search/), Pagefind %.0f KB (pagefind/, without its UI files)"
          % (folder_bytes(os.path.join(output, "search")) / 1024,
             folder_bytes(os.path.join(pagefind_output, "pagefind"), skip=("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui", "pagefind-highlight")) / 1024))
    measure(pagefind_output, queries, label)


def main():
    queries = [tuple(line.rstrip("\n").split("\t", 1)) for line in open(os.path.join(REPO, "bench", "search_queries.txt"), encoding="utf-8")
               if line.strip() and not line.startswith("#")]
    site = os.path.join(work, "repo-site")
    os.mkdir(site)
    for name in ("Content", "Templates"):
        shutil.copytree(os.path.join(REPO, name), os.path.join(site, name))
    shutil.copy(os.path.join(REPO, "site.yaml"), site)
    compare(site, queries, "this site (%d queries)" % len(queries))
    if large:
        big = os.path.join(work, "site-10000")
        subprocess.run([sys.executable, os.path.join(REPO, "bench", "generate_site.py"), "10000", "500", big], check=True)
        with open(os.path.join(big, "site.yaml"), "a") as f:
            f.write("search: true\n")
        # Words of the realistic profile's text (bench/realistic.py): common ones with long posting lists,
        # rarer ones, two-word queries, and made-up names from its long tail (found on a few pages).
        vocabulary = ["nursing", "pharmacy", "clinical research", "exchange students", "joint education", "laboratory",
                      "seminar", "hospital", "curriculum", "cooperation", "graduate", "master", "doctoral", "study tour",
                      "rotation", "probation", "network", "community", "patient care", "knowledge", "skills", "oncology",
                      "epidemiology", "health policy", "strasbourg", "ottawa", "scholarships", "simulation", "litirokel",
                      "tunul", "merota", "kimavar"]
        compare(big, [("en", q) for q in vocabulary], "the 10,000-page bench site (%d queries)" % len(vocabulary))
    shutil.rmtree(work, ignore_errors=True)


main()

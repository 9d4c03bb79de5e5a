#!/usr/bin/env python3
"""Orbis alone on a site of 100,000 realistic pages: a build into a new folder, then a build after one
page's text is edited (which reads the build record), then one with nothing changed.

usage: bench/large_site.py [ORBIS_BINARY] [PAGES] [--runs N]
Generates the site once (bench/generate_site.py, realistic profile, fixed seed) under .build/bench/, then
builds it RUNS times (default 1) into a folder that does not exist yet, each followed by an edit build and
a no-change build of that folder. Prints wall time, CPU time and peak memory of each (from the kernel's
accounting of the child, wait4) and Orbis's own stage lines, and checks the number of pages written. The
targets of the speed issue: 100,000 pages in 60 s or less, peak memory 2 GB or less.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

from vs_hugo import run  # the same measurement of one process: wall, CPU, peak memory, output

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default=os.path.join(REPO, ".build/release/orbis"))
    parser.add_argument("pages", nargs="?", type=int, default=100000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    work = os.path.join(REPO, ".build/bench")
    site = os.path.join(work, "realistic-%d" % args.pages)
    if not os.path.exists(site + ".generated"):
        print("generating %d realistic pages…" % args.pages, flush=True)
        subprocess.run([sys.executable, os.path.join(HERE, "generate_site.py"), str(args.pages), "500", site,
                        "--profile", "realistic"], check=True)
        open(site + ".generated", "w").close()
    fresh_root = os.path.join(work, "large-fresh-%d" % os.getpid())
    os.makedirs(fresh_root)
    page = os.path.join(site, "Content", "s03", "p00003.md")
    original = open(page, encoding="utf-8").read()
    rows = []
    try:
        for index in range(args.runs):
            output = os.path.join(fresh_root, "out-%d" % index)
            rows.append(("fresh",) + run([args.binary, "build", "--root", site, "--output", output]))
            expected = args.pages + 20 + 1 + 500 + 1
            found = sum(1 for _, _, files in os.walk(output) for f in files if f == "index.html")
            if found != expected:
                sys.exit("orbis wrote %d pages, expected %d" % (found, expected))
            with open(page, "w", encoding="utf-8") as f:
                f.write(original + "\nEdited for run %d of the benchmark.\n" % index)
            rows.append(("one page edited",) + run([args.binary, "build", "--root", site, "--output", output]))
            rows.append(("nothing changed",) + run([args.binary, "build", "--root", site, "--output", output]))
    finally:
        with open(page, "w", encoding="utf-8") as f:
            f.write(original)
    print()
    print("| %d pages | wall s | CPU s | peak RSS MB |" % args.pages)
    print("|---|---:|---:|---:|")
    for kind, wall, cpu, rss, _ in rows:
        print("| %s | %.2f | %.2f | %.0f |" % (kind, wall, cpu, rss))
    for kind, _, _, _, out in rows:
        timings = re.findall(r"^(Loaded|Rendered|Checked|Wrote|Updated|Built).*? in ([\d.]+ m?s)", out, re.M)
        print("orbis stages (%s): %s" % (kind, ", ".join("%s %s" % t for t in timings)))
    shutil.rmtree(fresh_root, ignore_errors=True)


main()

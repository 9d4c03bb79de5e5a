#!/usr/bin/env python3
"""How much the output check adds to a build of this repo's site (target: under 10%).

usage: bench/check_overhead.py [ORBIS_BINARY] [SITE_ROOT] [RUNS]
Builds the site RUNS times (default 20) into a temporary folder with the release binary and reads orbis's
own stage timings (ORBIS_STAGE_DETAIL=1): the check stage plus the scanning of pages, which happens while
they are rendered (summed over threads, so an upper bound), against the whole build, as medians.
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/release/orbis"
root = sys.argv[2] if len(sys.argv) > 2 else "."
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 20
output = os.path.join(tempfile.mkdtemp(prefix="orbis-bench-"), "Output")

def ms(pattern, text):
    match = re.search(pattern + r" in ([\d.]+) ms", text)
    return float(match.group(1))

def scan_ms(text):
    match = re.search(r"scanning pages for the check, during render: ([\d.]+) ms", text)
    return float(match.group(1))

checks, totals = [], []
environment = dict(os.environ, ORBIS_STAGE_DETAIL="1")
for _ in range(runs):
    text = subprocess.run([binary, "build", "--root", root, "--output", output], capture_output=True, text=True,
                          check=True, env=environment).stdout
    checks.append(ms(r"Checked \d+ links in \d+ pages: \d+ errors?, \d+ warnings?", text) + scan_ms(text))
    totals.append(ms(r"Built \d+ pages into \S+", text))
check, total = statistics.median(checks), statistics.median(totals)
share = check / (total - check) * 100
print("build of %s, %d runs: median build %.1f ms, of which check (scan + links) %.2f ms" % (root, runs, total, check))
print("check adds %.1f%% to the build without it (target < 10%%): %s" % (share, "ok" if share < 10 else "MISSED"))

#!/usr/bin/env python3
"""A collection of 100,000 records: load, validate and render its list, from YAML, JSON and CSV.

usage: bench/large_collection.py [ORBIS_BINARY] [RECORDS] [RUNS]
Writes a site whose collection `people` holds RECORDS records (default 100,000) with six fields of five
types (localized text in two languages, an enum, a country, a year-month, a list), grouped by country on
one list page in English and Chinese (pinyin order), and builds it RUNS times (default 3) from each source
format, each build into a new folder. Prints the median wall time, orbis's load and render stages, and
the peak memory (maximum resident set size, from /usr/bin/time).
"""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/release/orbis")
count = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
work = tempfile.mkdtemp(prefix="orbis-bench-collections-")

countries = ["FR", "CA", "CN", "DE", "GB", "US", "JP", "IT", "ES", "BR"]
roles = ["dean", "professor", "lecturer", "coordinator"]
surnames = ["Martin", "Bernard", "Dubois", "Li", "Wang", "Zhang", "Smith", "Müller", "García", "Rossi", "Tremblay", "Sato"]
given = ["Anne", "Émilie", "Jean", "Wei", "Fang", "Jun", "Mary", "Jürgen", "Lucía", "Marco", "Zoë", "Kenji"]
han = ["李", "王", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙"]


def record(i):
    name = "%s %s %d" % (given[i % 12], surnames[(i // 12) % 12], i)
    return {
        "id": "p%d" % i,
        "name": {"en": name, "zh": "%s%s%d" % (han[i % 12], han[(i // 12) % 12], i)},
        "role": roles[i % 4],
        "country": countries[(i * 7) % 10],
        "since": "%d-%02d" % (1980 + i % 45, 1 + i % 12),
        "topics": ["t%d" % (i % 50), "t%d" % (i % 7)],
    }


records = [record(i) for i in range(count)]


def write_sources(site, source):
    data = os.path.join(site, "Content", "data")
    os.makedirs(data)
    if source == "yaml":
        with open(os.path.join(data, "people.yaml"), "w") as f:
            for r in records:
                f.write("- id: %s\n  name: {en: %s, zh: %s}\n  role: %s\n  country: %s\n  since: %s\n  topics: [%s]\n"
                        % (r["id"], r["name"]["en"], r["name"]["zh"], r["role"], r["country"], r["since"], ", ".join(r["topics"])))
    elif source == "json":
        with open(os.path.join(data, "people.json"), "w") as f:
            json.dump(records, f, ensure_ascii=False, indent=1)
    else:
        with open(os.path.join(data, "people.csv"), "w") as f:
            f.write("id,name,name.zh,role,country,since,topics\n")
            for r in records:
                f.write("%s,%s,%s,%s,%s,%s,%s\n" % (r["id"], r["name"]["en"], r["name"]["zh"], r["role"], r["country"],
                                                 r["since"], "; ".join(r["topics"])))


def make_site(source):
    site = tempfile.mkdtemp(prefix="site-%s-" % source, dir=work)
    os.makedirs(os.path.join(site, "Templates", "strings"))
    with open(os.path.join(site, "site.yaml"), "w") as f:
        f.write("""title: Bench
languages: [{code: en, name: English}, {code: zh-Hans, key: zh, name: 中文}]
collections:
  people:
    fields:
      name: {type: localized, required: true}
      role: {type: enum, values: [dean, professor, lecturer, coordinator]}
      country: {type: country, required: true}
      since: year-month
      topics: [text]
    list: {route: /people/, sort: [name], group: country}
""")
    os.makedirs(os.path.join(site, "Content"), exist_ok=True)
    with open(os.path.join(site, "Content", "index.md"), "w") as f:
        f.write("---\ntitle: Home\n---\n")
    with open(os.path.join(site, "Content", "index.zh.md"), "w") as f:
        f.write("---\ntitle: 首页\n---\n")
    with open(os.path.join(site, "Templates", "page.mustache"), "w") as f:
        f.write('<!doctype html><html lang="{{lang}}"><title>{{page.title}}</title>{{{page.content}}}</html>')
    with open(os.path.join(site, "Templates", "people.mustache"), "w") as f:
        f.write('<!doctype html><html lang="{{lang}}"><title>{{page.title}}</title><h1>{{page.title}}</h1>'
                '{{#people}}<p>{{summary}}</p>{{#groups}}<h2 id="{{id}}">{{label}} ({{count}})</h2><ul>{{#items}}'
                '<li>{{name}} · {{role.label}} · {{since.display}}</li>{{/items}}</ul>{{/groups}}{{/people}}</html>')
    with open(os.path.join(site, "Templates", "strings", "zh.yaml"), "w") as f:
        f.write("people:\n  summary: '共 {count}'\n  count: {one: '{n} 人', other: '{n} 人'}\n"
                "  role: {dean: 院长, professor: 教授, lecturer: 讲师, coordinator: 协调员}\n"
                "country: {FR: 法国, CA: 加拿大, CN: 中国, DE: 德国, GB: 英国, US: 美国, JP: 日本, IT: 意大利, ES: 西班牙, BR: 巴西}\n"
                "date: {month_year: '{year}年{month_number}月'}\n")
    with open(os.path.join(site, "Templates", "strings", "en.yaml"), "w") as f:
        f.write("people:\n  summary: '{count}'\n  count: {one: '{n} person', other: '{n} people'}\n")
    write_sources(site, source)
    return site


def stage(pattern, text):
    match = re.search(pattern + r" in ([\d.]+) ms", text)
    return float(match.group(1)) if match else float("nan")


print("a collection of %d records, its list rendered in English and Chinese; %d runs each, medians" % (count, runs))
for source in ["csv", "yaml", "json"]:
    site = make_site(source)
    size = os.path.getsize(os.path.join(site, "Content", "data", "people." + source)) / 1e6
    walls, loads, renders, peaks = [], [], [], []
    for run in range(runs):
        output = os.path.join(work, "out-%s-%d" % (source, run))
        result = subprocess.run(["/usr/bin/time", "-f", "%e %M", binary, "build", "--root", site, "--output", output],
                                capture_output=True, text=True)
        if result.returncode != 0:
            print(result.stdout, result.stderr)
            sys.exit(1)
        wall, peak = result.stderr.strip().splitlines()[-1].split()
        walls.append(float(wall))
        peaks.append(int(peak) / 1024)
        loads.append(stage(r"Loaded .*?to copy", result.stdout))
        renders.append(stage(r"Rendered \d+ pages", result.stdout))
    print("  %-4s (%5.1f MB): build %5.2f s (load and validate %5.0f ms, render %5.0f ms), peak memory %4.0f MB"
          % (source, size, statistics.median(walls), statistics.median(loads), statistics.median(renders), statistics.median(peaks)))

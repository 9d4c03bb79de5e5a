"""The realistic profile of bench/generate_site.py: pages shaped like those of real sites.

Each page: front matter with quoted strings (some with an apostrophe or an escaped quote), an RFC 3339
datetime and an `updated:` one, a tag list, a nested `author:` map; a body of about 930 words of
English with a natural (Zipf) word distribution, curly quotes and dashes as pasted from a word processor,
`##`/`###` headings, bullet and numbered lists, a fenced code block with a language, a blockquote, an image
that exists, a raw HTML table on one page in three, five links to other pages and two to other sites. Every
page shows a 22-link navigation (home, the 20 sections, the partners). The same site is written for Hugo
(same URLs, same navigation, raw HTML allowed, highlighting off).
"""
import itertools
import os
import random
import struct
import zlib

# Frequent English words first: drawn with Zipf weights, so "the" is common and "accreditation" rare.
COMMON = ("the of and to in a is that for it as with was on be by at this are from or have an they which not "
          "but their has one all were can more will there been also its other these new about who into than "
          "them some only time would may over after first such two most through between many those under "
          "where while each during both well because three since before any same then much should made year "
          "years students school medical university research programme programmes clinical training international "
          "partner partners exchange education faculty teaching hospital health care patients course courses "
          "study studies students' joint development science sciences public network community practice knowledge "
          "skills team teams laboratory seminar visit visiting curriculum cooperation graduate undergraduate master "
          "doctoral nursing pharmacy medicine rotation probation placement placements tour tours semester "
          "application applications deadline support supervision supervisor mentor mentors department departments "
          "institute centre center agreement agreements collaboration collaborations established signed renewed "
          "degree degrees diploma credit credits language languages french english chinese lecture lectures "
          "workshop workshops conference symposium scholarship scholarships funding grant grants travel housing "
          "accommodation insurance visa arrival orientation welcome office staff colleagues alumni network career "
          "careers residency residents interns internship internships surgery surgical paediatrics cardiology "
          "oncology neurology psychiatry radiology pathology anatomy physiology pharmacology epidemiology "
          "statistics genetics immunology microbiology biochemistry ethics policy policies quality safety "
          "evidence outcomes assessment evaluation examination examinations competence competencies simulation "
          "bedside ward wards outpatient clinic clinics primary secondary tertiary rural urban global regional "
          "national local annual monthly weekly daily spring summer autumn winter academic administrative "
          "professional personal practical theoretical experience experiences opportunity opportunities "
          "perspective perspectives approach approaches method methods model models project projects "
          "publication publications journal journals article articles review reviews report reports data "
          "analysis results findings trial trials cohort sample samples protocol protocols committee board "
          "council ministry government partnership partnerships delegation delegations ceremony anniversary "
          "history tradition decades shanghai paris lyon strasbourg ottawa montreal toronto bordeaux lille "
          "marseille rouen nantes montpellier toulouse grenoble nancy reims dijon brest tours angers").split()
FIRST_NAMES = "Wei Li Min Jun Yan Hui Lin Fang Claire Julien Camille Antoine Marie Louis Sarah David Emma Lucas".split()
LAST_NAMES = "Zhang Wang Chen Liu Yang Huang Zhao Martin Bernard Dubois Thomas Robert Petit Durand Leroy Moreau".split()
TAGS = ("exchange nursing pharmacy research clinical-medicine life-sciences study-tour france canada "
        "scholarship admissions events alumni teaching simulation public-health").split()
LANGUAGES = [("python", ["import csv", "rows = list(csv.reader(open('students.csv')))", "for row in rows:",
                         "    print(row[0], row[2])"]),
             ("yaml", ["programme: exchange", "semester: autumn", "places: 12", "contact: office@example.edu"]),
             ("bash", ["curl -O https://example.org/forms/application.pdf", "ls -l application.pdf", "sha256sum application.pdf"]),
             ("json", ['{"programme": "exchange",', ' "places": 12,', ' "languages": ["en", "fr"]}'])]
IMAGES = 50
NAV_SECTIONS = 20


def zipf_weights(n):
    return [1.0 / (rank + 1) ** 1.05 for rank in range(n)]


# The long tail: real text keeps meeting words it has not used before (names, terms). 6,000 made-up words
# after the common ones, so an index has the many rare terms a real one has.
SYLLABLES = "ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo".split()
TAIL = []
_tail_rng = random.Random(7)
while len(TAIL) < 6000:
    word = "".join(_tail_rng.choice(SYLLABLES) for _ in range(_tail_rng.randint(2, 4))) + _tail_rng.choice(["", "n", "s", "l", "r", "tion", "ine", "ology"])
    if word not in TAIL:
        TAIL.append(word)
COMMON = COMMON + TAIL
CUMULATIVE = list(itertools.accumulate(zipf_weights(len(COMMON))))


def words(rng, n):
    return rng.choices(COMMON, cum_weights=CUMULATIVE, k=n)


def sentence(rng, low=8, high=24):
    chosen = words(rng, rng.randint(low, high))
    text = " ".join(chosen)
    roll = rng.random()
    if roll < 0.08:
        text = text.replace(" ", " \u201c", 1) + "\u201d"     # curly quotes, as pasted from Word
    elif roll < 0.14:
        text += " \u2014 " + " ".join(words(rng, 4))           # an em dash
    elif roll < 0.22:
        at = rng.randrange(1, len(chosen))
        text = " ".join(chosen[:at]) + ", " + " ".join(chosen[at:])
    return text[0].upper() + text[1:] + rng.choice(".....?!")


def inline(rng, text):
    """Emphasis and code in some sentences, as real prose has."""
    parts = text.split(" ")
    if len(parts) > 6 and rng.random() < 0.3:
        i = rng.randrange(1, len(parts) - 1)
        parts[i] = "**%s**" % parts[i] if rng.random() < 0.6 else "*%s*" % parts[i]
    if len(parts) > 6 and rng.random() < 0.1:
        i = rng.randrange(1, len(parts) - 1)
        parts[i] = "`%s`" % parts[i]
    return " ".join(parts)


def paragraph(rng, sentences):
    return " ".join(inline(rng, sentence(rng)) for _ in range(sentences))


def title(rng):
    head = " ".join(words(rng, rng.randint(2, 4))).title()
    tail = " ".join(words(rng, rng.randint(2, 5)))
    roll = rng.random()
    if roll < 0.1:
        return "%s: what \"%s\" means" % (head, tail)     # needs an escaped quote in YAML
    if roll < 0.3:
        return "%s: %s" % (head, tail)
    if roll < 0.4:
        return "%s's %s" % (head, tail)
    return "%s %s" % (head, tail)


def yaml_double(text):
    return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"')


def date(rng, year_low=2016):
    # Before this year: Hugo leaves out pages dated in the future.
    return "%04d-%02d-%02dT%02d:%02d:00+08:00" % (rng.randint(year_low, 2025), rng.randint(1, 12), rng.randint(1, 28),
                                                 rng.randint(7, 20), rng.choice([0, 15, 30, 45]))


def front_matter(rng, page_title):
    author = (rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
    created = date(rng)
    lines = ["title: " + yaml_double(page_title),
             "description: " + yaml_double(sentence(rng, 10, 18)),
             "date: " + created,
             "updated: " + date(rng, int(created[:4])),
             "tags: [%s]" % ", ".join(sorted(set(rng.sample(TAGS, rng.randint(2, 5))))),
             "author:",
             "  name: " + yaml_double("%s %s" % author),
             "  email: %s.%s@example.edu" % (author[0].lower(), author[1].lower())]
    if rng.random() < 0.3:
        lines.append("weight: %d" % rng.randint(1, 20))
    return lines


def table(rng):
    rows = ["<table>", "<thead><tr><th>Programme</th><th>Places</th><th>Semester</th></tr></thead>", "<tbody>"]
    for _ in range(rng.randint(3, 6)):
        rows.append("<tr><td>%s</td><td>%d</td><td>%s</td></tr>" % (" ".join(words(rng, 3)).title(), rng.randint(2, 30),
                                                                 rng.choice(["spring", "autumn", "summer"])))
    rows += ["</tbody>", "</table>"]
    return "\n".join(rows)


def body(rng, index, pages, link, image):
    """About 930 words."""
    parts = [paragraph(rng, 4)]
    targets = [rng.randrange(pages) for _ in range(5)]
    for h in range(rng.randint(4, 5)):
        parts.append("## " + " ".join(words(rng, rng.randint(2, 5))).capitalize())
        parts.append(paragraph(rng, rng.randint(4, 5)))
        if h == 0:
            parts.append("\n".join("- %s" % inline(rng, sentence(rng, 5, 14)) for _ in range(rng.randint(4, 7))))
        if h == 1:
            parts.append("### " + " ".join(words(rng, 3)).capitalize())
            parts.append("\n".join("%d. %s" % (n + 1, sentence(rng, 6, 12)) for n in range(rng.randint(3, 5))))
            parts.append("![%s](%s \"%s\")" % (" ".join(words(rng, 5)), image(index % IMAGES), " ".join(words(rng, 3))))
        if h == 2:
            language, code = LANGUAGES[index % len(LANGUAGES)]
            parts.append("```%s\n%s\n```" % (language, "\n".join(code)))
            if index % 3 == 0:
                parts.append(table(rng))
        if h == 3:
            parts.append("> " + sentence(rng, 12, 24))
        parts.append(paragraph(rng, rng.randint(3, 5)))
    links = ", ".join(link(index, t) for t in targets)
    parts.append("Related pages: %s. Further reading at [the WHO](https://www.who.int/health-topics) and "
                 "[PubMed](https://pubmed.ncbi.nlm.nih.gov/)." % links)
    return "\n\n".join(parts) + "\n"


def png(seed):
    """A small real PNG (16×16, one colour per seed)."""
    r, g, b = (seed * 53) % 256, (seed * 97) % 256, (seed * 151) % 256
    raw = b"".join(b"\x00" + bytes([r, g, b]) * 16 for _ in range(16))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


ORBIS_SITE = """title: Bench
markdown: {unsafe_html: true}
params:
  tags: [text]
  updated: date
  author: {name: text, email: email}
menu:
%s
%s"""

# The partners collection both profiles declare.
PARTNERS_COLLECTION = """collections:
  partners:
    fields:
      name: {type: text, required: true}
      country: {type: country, required: true}
      city: text
      kind: {type: enum, values: [university]}
      areas: {type: [enum], values: [nursing, pharmacy, research]}
    pages: {route: "/partners/{id}/", layout: partner}
    list: {route: /partners/, layout: partners, sort: [name], group: country}
"""

ORBIS_BASE = """<!doctype html>
<html lang="{{lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{page.title}} · {{site.title}}</title>{{#page.description}}<meta name="description" content="{{page.description}}">{{/page.description}}
<link rel="stylesheet" href="{{root}}assets/site.css"></head>
<body><header><a href="{{home_url}}">{{site.title}}</a>
<nav aria-label="Main"><ul>{{#menu}}<li><a href="{{url}}"{{#current}} aria-current="page"{{/current}}>{{title}}</a></li>{{/menu}}</ul></nav></header>
<main>{{$main}}{{/main}}</main>
<footer><p>{{site.title}}</p></footer></body></html>
"""
ORBIS_PAGE = ("{{<base}}{{$main}}<article><h1>{{page.title}}</h1>"
              "<p class=\"meta\">{{#page.date}}<time datetime=\"{{page.date}}\">{{page.date_display}}</time>{{/page.date}}"
              "{{#page.params.author}} · {{name}}{{/page.params.author}}</p>"
              "{{{page.content}}}"
              "<ul class=\"tags\">{{#page.params.tags}}<li>{{.}}</li>{{/page.params.tags}}</ul>"
              "</article>{{/main}}{{/base}}\n")

HUGO_BASE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ site.Title }}</title>{{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}
<link rel="stylesheet" href="{{ "assets/site.css" | relURL }}"></head>
<body><header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav aria-label="Main"><ul>{{ $current := . }}{{ range site.Menus.main }}<li><a href="{{ .URL | relURL }}"{{ if $current.IsMenuCurrent "main" . }} aria-current="page"{{ end }}>{{ .Name }}</a></li>{{ end }}</ul></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer><p>{{ site.Title }}</p></footer></body></html>
"""
HUGO_PAGE = ('{{ define "main" }}<article><h1>{{ .Title }}</h1>'
             '<p class="meta"><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2 January 2006" }}</time>'
             '{{ with .Params.author }} · {{ .name }}{{ end }}</p>{{ .Content }}'
             '{{ with .Params.tags }}<ul class="tags">{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}</article>{{ end }}\n')


def menu_entries(page_path_of_section):
    entries = [("Home", "index.md", "/")]
    for s in range(NAV_SECTIONS):
        entries.append(("Section %d" % s, "s%02d/index.md" % s, "/s%02d/" % s))
    entries.append(("Partners", "partners/index.md", "/partners/"))
    return entries


def orbis_menu():
    return "\n".join("  - page: %s\n    title: %s" % (source, name) for name, source, _ in menu_entries(None))


def hugo_menu():
    return "".join('[[menu.main]]\nname = "%s"\nurl = "%s"\nweight = %d\n' % (name, url, i + 1)
                   for i, (name, _, url) in enumerate(menu_entries(None)))

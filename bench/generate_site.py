#!/usr/bin/env python3
"""A deterministic synthetic site, written both as an Orbis site and as an equivalent Hugo site.

usage: bench/generate_site.py PAGES PARTNERS ORBIS_DIR [HUGO_DIR] [--profile realistic|simple]
PAGES pages of about 930 words in 20 sections, and PARTNERS partners with a partners page grouped by
country and one page per partner. Same seed, same bytes, every run. The Hugo site has the same pages at
the same URLs, syntax highlighting off.

Profiles: `realistic` (the default; bench/realistic.py says what its pages hold: rich front matter, natural
English, images, raw HTML tables, a 22-link navigation) and `simple` (the first benchmark's pages: a title
only, a 50-word vocabulary, no navigation).
"""
import os
import random
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import realistic as R  # noqa: E402

SECTIONS = 20
WORDS = ("medical school partner exchange student research clinical nursing pharmacy training programme "
         "faculty university joint education teaching laboratory course visit seminar teacher hospital "
         "science health policy curriculum platform cooperation graduate undergraduate master doctor "
         "study tour rotation probation network community patient care practice knowledge skill team").split()
COUNTRIES = ["FR", "CA", "DE", "GB", "US", "JP", "IT", "ES", "NL", "SE", "CH", "AU", "BE", "DK", "FI"]


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def paragraph(rng, n):
    text = words(rng, n)
    return text[0].upper() + text[1:] + "."


def body(rng, index, pages, link):
    """About 930 words: 4 sections of prose, a list, a code block, and links to 5 other pages."""
    parts = []
    for h in range(4):
        parts.append("## %s %d\n" % (words(rng, 3).capitalize(), h + 1))
        for _ in range(3):
            parts.append(paragraph(rng, 60) + "\n")
    parts.append("\n".join("- **%s** %s" % (words(rng, 2), words(rng, 12)) for _ in range(6)) + "\n")
    parts.append("```\n" + "\n".join("let %s = %d" % (rng.choice(WORDS), i) for i in range(8)) + "\n```\n")
    targets = [rng.randrange(pages) for _ in range(5)]
    parts.append("See also " + ", ".join(link(index, t) for t in targets) + ".\n")
    return "\n".join(parts)


def page_path(i):
    return "s%02d/p%05d" % (i % SECTIONS, i)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--profile")]
    profile = "realistic"
    for a in sys.argv[1:]:
        if a.startswith("--profile="):
            profile = a.split("=", 1)[1]
    if "--profile" in sys.argv:
        profile = sys.argv[sys.argv.index("--profile") + 1]
        args.remove(profile)
    if profile not in ("realistic", "simple"):
        sys.exit("unknown profile %r: use realistic or simple" % profile)
    pages, partners, orbis = int(args[0]), int(args[1]), args[2]
    hugo = args[3] if len(args) > 3 else None
    rng = random.Random(20261129)
    for folder in filter(None, (orbis, hugo)):
        shutil.rmtree(folder, ignore_errors=True)

    def write(path, text):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)

    def write_bytes(path, data):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)

    realistic = profile == "realistic"
    # Orbis: site.yaml, templates, pages, partners.
    if realistic:
        write(os.path.join(orbis, "site.yaml"), R.ORBIS_SITE % (R.orbis_menu(), R.PARTNERS_COLLECTION))
    else:
        write(os.path.join(orbis, "site.yaml"), "title: Bench\n" + R.PARTNERS_COLLECTION)
    base = """<!doctype html>
<html lang="{{lang}}"><head><meta charset="utf-8"><title>{{page.title}} · {{site.title}}</title>
<link rel="stylesheet" href="{{root}}assets/site.css"></head>
<body><header><a href="{{home_url}}">{{site.title}}</a></header>
<main>{{$main}}{{/main}}</main></body></html>
"""
    write(os.path.join(orbis, "Templates/partials/base.mustache"), R.ORBIS_BASE if realistic else base)
    write(os.path.join(orbis, "Templates/page.mustache"), R.ORBIS_PAGE if realistic else
          "{{<base}}{{$main}}<h1>{{page.title}}</h1>{{{page.content}}}{{/main}}{{/base}}\n")
    write(os.path.join(orbis, "Templates/section.mustache"),
          "{{<base}}{{$main}}<h1>{{page.title}}</h1><ul>{{#pages}}<li><a href=\"{{url}}\">{{title}}</a></li>{{/pages}}</ul>{{/main}}{{/base}}\n")
    write(os.path.join(orbis, "Templates/partners.mustache"),
          "{{<base}}{{$main}}<h1>{{page.title}}</h1>{{#partners}}<p>{{count}} partners</p>{{#groups}}<h2 id=\"{{id}}\">{{label}}</h2><ul>{{#items}}<li><a href=\"{{url}}\">{{name}}</a> {{city}}</li>{{/items}}</ul>{{/groups}}{{/partners}}{{/main}}{{/base}}\n")
    write(os.path.join(orbis, "Templates/partner.mustache"),
          "{{<base}}{{$main}}{{#partner}}<h1>{{name}}</h1><p>{{city}}, {{country.name}}</p>{{/partner}}{{/main}}{{/base}}\n")
    write(os.path.join(orbis, "Templates/assets/site.css"), "body{font-family:sans-serif}\n")

    # Hugo: the same pages at the same URLs.
    if hugo:
        write(os.path.join(hugo, "hugo.toml"), 'baseURL = "/"\ntitle = "Bench"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]\n'
              '[markup.highlight]\ncodeFences = false\n[markup.goldmark.renderer]\nunsafe = %s\n' % ("true" if realistic else "false")
              + (R.hugo_menu() if realistic else ""))
        layout = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<link rel="stylesheet" href="{{ "assets/site.css" | relURL }}"></head>
<body><header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""
        write(os.path.join(hugo, "layouts/_default/baseof.html"), R.HUGO_BASE if realistic else layout)
        write(os.path.join(hugo, "layouts/_default/single.html"), R.HUGO_PAGE if realistic else
              '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n')
        write(os.path.join(hugo, "layouts/_default/list.html"),
              '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n')
        write(os.path.join(hugo, "layouts/partners/list.html"),
              '{{ define "main" }}<h1>{{ .Title }}</h1>{{ $p := where site.RegularPages "Section" "partners" }}<p>{{ len $p }} partners</p>'
              '{{ range $p.GroupByParam "country" }}<h2 id="country-{{ lower .Key }}">{{ .Key }}</h2><ul>{{ range .Pages.ByTitle }}'
              '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.city }}</li>{{ end }}</ul>{{ end }}{{ end }}\n')
        write(os.path.join(hugo, "layouts/partners/single.html"),
              '{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Params.city }}, {{ .Params.country }}</p>{{ end }}\n')
        write(os.path.join(hugo, "layouts/index.html"), '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n')
        write(os.path.join(hugo, "static/assets/site.css"), "body{font-family:sans-serif}\n")

    def orbis_link(source, target):
        # From Content/sXX/pNNNNN.md to another page's Markdown file.
        return "[page %d](../%s.md)" % (target, page_path(target))

    def hugo_link(source, target):
        return "[page %d](/%s/)" % (target, page_path(target))

    write(os.path.join(orbis, "Content/index.md"), "---\ntitle: Home\n---\nA synthetic site for benchmarks.\n")
    if hugo:
        write(os.path.join(hugo, "content/_index.md"), "---\ntitle: Home\n---\nA synthetic site for benchmarks.\n")
    for s in range(SECTIONS):
        write(os.path.join(orbis, "Content/s%02d/index.md" % s), "---\ntitle: Section %d\n---\n" % s)
        if hugo:
            write(os.path.join(hugo, "content/s%02d/_index.md" % s), "---\ntitle: Section %d\n---\n" % s)
    if realistic:
        for n in range(R.IMAGES):
            data = R.png(n)
            write_bytes(os.path.join(orbis, "Content/images/figure-%02d.png" % n), data)
            if hugo:
                write_bytes(os.path.join(hugo, "static/images/figure-%02d.png" % n), data)
    for i in range(pages):
        state = rng.getstate()
        if realistic:
            for tool, folder, link, image in (("orbis", orbis, orbis_link, lambda n: "../images/figure-%02d.png" % n),
                                               ("hugo", hugo, hugo_link, lambda n: "/images/figure-%02d.png" % n)):
                if not folder:
                    continue
                rng.setstate(state)
                title = "%s (%d)" % (R.title(rng), i)
                lines = R.front_matter(rng, title)
                text = R.body(rng, i, pages, link, image)
                write(os.path.join(folder, ("Content/%s.md" if tool == "orbis" else "content/%s.md") % page_path(i)),
                      "---\n%s\n---\n%s" % ("\n".join(lines), text))
            continue
        title = "Page %d: %s" % (i, words(rng, 3))
        text = body(rng, i, pages, orbis_link)
        write(os.path.join(orbis, "Content/%s.md" % page_path(i)), "---\ntitle: \"%s\"\n---\n%s" % (title, text))
        if hugo:
            rng.setstate(state)
            title = "Page %d: %s" % (i, words(rng, 3))
            text = body(rng, i, pages, hugo_link)
            write(os.path.join(hugo, "content/%s.md" % page_path(i)), "---\ntitle: \"%s\"\n---\n%s" % (title, text))

    records = []
    for i in range(partners):
        country = COUNTRIES[i % len(COUNTRIES)]
        name = "%s University %d" % (words(rng, 1).capitalize(), i)
        city = words(rng, 1).capitalize() + " City"
        records.append("- id: partner-%04d\n  name: %s\n  country: %s\n  city: %s\n  kind: university\n  areas: [%s]\n"
                       % (i, name, country, city, ["nursing", "pharmacy", "research"][i % 3]))
        if hugo:
            write(os.path.join(hugo, "content/partners/partner-%04d.md" % i),
                  "---\ntitle: \"%s\"\ncountry: %s\ncity: %s\n---\n" % (name, country, city))
    write(os.path.join(orbis, "Content/data/partners.yaml"), "\n".join(records))
    write(os.path.join(orbis, "Content/partners/index.md"), "---\ntitle: Partners\n---\n")
    if hugo:
        write(os.path.join(hugo, "content/partners/_index.md"), "---\ntitle: Partners\n---\n")


main()

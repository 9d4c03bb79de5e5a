/// The site `orbis new` writes: the same quality bar as the repository's own theme (valid HTML and CSS,
/// accessible, responsive, light and dark), a home page, a content page, a small data collection with its
/// pages, and a `.gitignore`. It builds clean and passes `orbis check` as written (a test does both, and
/// `make test` runs the W3C checker and axe on it).
enum Starter {
    static let files: [(path: String, text: String)] = [
        (".gitignore", #"""
# What Orbis builds: never commit it.
/Output/
/Output.manifest.json
/Output.build-record
"""#),
        ("Content/about.md", #"""
---
title: About
description: What this site is for.
---
A page is a Markdown file with front matter between `---` lines. Links between pages point at their
Markdown files, like [the home page](index.md): Orbis checks that each one leads somewhere.

## Next steps

1. Change `title:` in `site.yaml`.
2. Change the theme in `Templates/` (its words are in `Templates/strings/en.yaml`).
3. Run `orbis build` and publish the `Output/` folder on any web server.
"""#),
        ("Content/data/events.yaml", #"""
- id: open-day
  name: Open day
  date: 2026-06-12
  place: Main hall

- id: summer-workshop
  name: Summer workshop
  date: 2026-07-03
  place: Room 101
"""#),
        ("Content/events/index.md", #"""
---
title: Events
description: Every event, the latest first.
---
Each event is a record in `Content/data/events.yaml`, checked against the fields `site.yaml` declares.
"""#),
        ("Content/index.md", #"""
---
title: Welcome
description: The home page of a new Orbis site.
---
This site was made by `orbis new`. Edit `Content/index.md` to change this page, add Markdown files
under `Content/` for more pages, and run `orbis serve` to see each change in your browser as you save.

- [About this site](about.md)
- [Events](events/index.md), from the data in `Content/data/events.yaml`
"""#),
        ("Templates/404.mustache", #"""
{{<base}}{{$main}}
<h1>Page not found</h1>
<p>There is no page at this address. <a href="{{home_url}}">Go to the home page</a>.</p>
{{/main}}{{/base}}
"""#),
        ("Templates/assets/site.css", #"""
/* A small theme: readable, responsive, light and dark, no external requests. */
:root {
  --bg: #ffffff; --fg: #1d2430; --muted: #56606e; --accent: #0b57a4; --line: #dde3ea; --card: #f5f7fa;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  line-height: 1.6; color: var(--fg); background: var(--bg);
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #11161d; --fg: #e6ebf1; --muted: #a3adba; --accent: #8cc2f2; --line: #2a333f; --card: #19212b; }
}
* { box-sizing: border-box; }
body { margin: 0; }
.wrap { max-width: 48rem; margin: 0 auto; padding: 0 1.25rem; }
a { color: var(--accent); }
a:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
.skip-link { position: absolute; left: -9999px; top: 0; background: var(--accent); color: var(--bg); padding: .5rem 1rem; }
.skip-link:focus { left: 1rem; top: 1rem; }
.site-header { border-bottom: 1px solid var(--line); background: var(--card); }
.site-header .wrap { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .5rem 1.5rem; padding-top: .9rem; padding-bottom: .9rem; }
.brand { font-weight: 700; font-size: 1.2rem; color: var(--fg); text-decoration: none; }
.site-header ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
.site-header nav a { color: var(--fg); text-decoration: none; }
.site-header nav a[aria-current="page"] { color: var(--accent); font-weight: 600; }
main { padding: 1.5rem 1.25rem 3rem; min-height: 60vh; }
h1 { font-size: clamp(1.7rem, 5vw, 2.3rem); line-height: 1.2; }
.lead { font-size: 1.15rem; color: var(--muted); }
.toc { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .25rem 1.25rem; }
.cards { list-style: none; padding: 0; display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); }
.cards li { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: .75rem 1.25rem; }
.cards h2 { font-size: 1.15rem; margin: .25rem 0; }
.site-footer { border-top: 1px solid var(--line); color: var(--muted); font-size: .9rem; padding: 1rem 0; }
@media print { .site-header nav, .skip-link { display: none; } }
"""#),
        ("Templates/event.mustache", #"""
{{<base}}{{$main}}
<article>
{{#event}}
  <h1>{{name}}</h1>
  <p class="lead"><time datetime="{{date.value}}">{{date.display}}</time>{{#place}} · {{place}}{{/place}}</p>
{{/event}}
  <div class="prose">
{{{page.content}}}
  </div>
</article>
{{/main}}{{/base}}
"""#),
        ("Templates/events.mustache", #"""
{{<base}}{{$main}}
<h1>{{page.title}}</h1>
{{#page.description}}<p class="lead">{{page.description}}</p>{{/page.description}}
<div class="prose">
{{{page.content}}}
</div>
{{#events}}
<p>{{summary}}</p>
<ul class="cards">
{{#items}}  <li><h2><a href="{{url}}">{{name}}</a></h2><p><time datetime="{{date.value}}">{{date.display}}</time>{{#place}} · {{place}}{{/place}}</p></li>
{{/items}}</ul>
{{/events}}
{{/main}}{{/base}}
"""#),
        ("Templates/home.mustache", #"""
{{<base}}{{$main}}
<h1>{{page.title}}</h1>
{{#page.description}}<p class="lead">{{page.description}}</p>{{/page.description}}
<div class="prose">
{{{page.content}}}
</div>
{{/main}}{{/base}}
"""#),
        ("Templates/page.mustache", #"""
{{<base}}{{$main}}
<article>
  <h1>{{page.title}}</h1>
  {{#page.description}}<p class="lead">{{page.description}}</p>{{/page.description}}
  {{#page.has_toc}}
  <nav class="toc" aria-label="{{t.toc}}"><h2>{{t.toc}}</h2><ul>{{#page.toc}}<li><a href="{{url}}">{{text}}</a></li>{{/page.toc}}</ul></nav>
  {{/page.has_toc}}
  <div class="prose">
{{{page.content}}}
  </div>
</article>
{{/main}}{{/base}}
"""#),
        ("Templates/partials/base.mustache", #"""
<!doctype html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{#page.is_home}}{{site.title}}{{/page.is_home}}{{^page.is_home}}{{page.title}} · {{site.title}}{{/page.is_home}}</title>
{{#page.description}}<meta name="description" content="{{page.description}}">{{/page.description}}
<meta name="color-scheme" content="light dark">
{{#canonical_url}}<link rel="canonical" href="{{canonical_url}}">{{/canonical_url}}
<link rel="stylesheet" href="{{root}}assets/site.css">
</head>
<body>
<a class="skip-link" href="#content">{{t.skip}}</a>
<header class="site-header">
  <div class="wrap">
    <a class="brand" href="{{home_url}}">{{site.title}}</a>
    <nav aria-label="{{t.nav.main}}">
      <ul>{{#menu}}<li><a href="{{url}}"{{#current}} aria-current="page"{{/current}}>{{title}}</a></li>{{/menu}}</ul>
    </nav>
  </div>
</header>
<main id="content" class="wrap">
{{$main}}{{/main}}
</main>
<footer class="site-footer">
  <div class="wrap"><p>{{site.title}} · {{t.footer}}</p></div>
</footer>
</body>
</html>
"""#),
        ("Templates/section.mustache", #"""
{{<base}}{{$main}}
<h1>{{page.title}}</h1>
<div class="prose">
{{{page.content}}}
</div>
<ul class="cards">
{{#pages}}  <li><h2><a href="{{url}}">{{title}}</a></h2>{{#description}}<p>{{description}}</p>{{/description}}</li>
{{/pages}}</ul>
{{/main}}{{/base}}
"""#),
        ("Templates/strings/en.yaml", #"""
# The theme's words ({{t.key}} in templates).
skip: Skip to content
nav:
  main: Main
toc: On this page
events:
  summary: "{count}"
  count:
    one: "{n} event"
    other: "{n} events"
footer: Built with Orbis.
"""#),
        ("site.yaml", #"""
# The site's settings: see the Orbis README ("A site's layout").
title: My Site
description: A site built with Orbis.
menu:
  - index.md
  - about.md
  - page: events/index.md
    title: Events
# A data collection: Content/data/events.yaml, a page per event and a list at /events/.
collections:
  events:
    fields:
      name: {type: text, required: true}
      date: {type: date, required: true}
      place: text
    pages: {route: "/events/{id}/", layout: event}
    list: {route: /events/, layout: events, sort: [-date, name]}
"""#),
    ]
}

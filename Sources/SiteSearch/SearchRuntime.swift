/// The browser side of search (`search/orbis-search.js`, ~8 KB): loads the index files a query needs by
/// `<script>` (works at a domain root, under a subpath and from `file://`; no `fetch`, no request outside the
/// site), tokenizes the query by the rules of `Tokenizer` (the same normalization, stemming and Han pairs),
/// matches the last word as a prefix while typing, ranks by the summed weights of the documents that have
/// every term (or, when none has all, those with most), each term's weights scaled by its rarity (IDF), and
/// returns each result's title, address, section and an excerpt with the matched words in `<mark>`. A theme
/// calls `orbisSearch.search(language, query)`.
public enum SearchRuntime {
    public static let script = #"""
/* Orbis search: index files loaded by <script>, so it works from file:// too. */
(function () {
  "use strict";
  var me = document.currentScript;
  var root = me ? me.src.replace(/search\/orbis-search\.js([?#].*)?$/, "") : "";
  var state = {};
  var loading = {};
  var HAN = /^(?:[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[\ud840-\ud87f][\udc00-\udfff])$/;
  var WORD = /^[\p{Alphabetic}\p{N}]$/u;
  var MAXWORD = \#(Tokenizer.maximumWordLength);

  function lang(key) { return state[key] || (state[key] = { terms: {}, docs: {} }); }
  function load(path) {
    if (!loading[path]) {
      loading[path] = new Promise(function (resolve) {
        var tag = document.createElement("script");
        tag.src = root + path;
        tag.onload = function () { resolve(true); };
        tag.onerror = function () { resolve(false); };
        document.head.appendChild(tag);
      });
    }
    return loading[path];
  }
  function hex(text) {
    return Array.from(new TextEncoder().encode(text)).map(function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }
  function normalize(text) {
    return text.normalize("NFKC").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function pieces(text) {
    var out = [], word = "", han = "";
    function flush() {
      if (word) { out.push({ word: word }); word = ""; }
      if (han) { out.push({ han: han }); han = ""; }
    }
    Array.from(normalize(text)).forEach(function (c) {
      if (HAN.test(c)) { if (word) flush(); han += c; }
      else if (WORD.test(c)) { if (han) flush(); word += c; }
      else flush();
    });
    flush();
    return out;
  }
  function ends(w, s) { return w.length >= s.length && w.slice(-s.length) === s; }
  function stem(w) {
    if (w.length <= 3) return w;
    if (ends(w, "ies") && w.length > 4) w = w.slice(0, -3) + "y";
    else if (ends(w, "sses")) w = w.slice(0, -2);
    else if (ends(w, "s") && !ends(w, "ss") && !ends(w, "us") && !ends(w, "is")) w = w.slice(0, -1);
    if (ends(w, "ing") && w.length > 5) w = w.slice(0, -3);
    else if (ends(w, "ed") && w.length > 4) w = w.slice(0, -2);
    if (ends(w, "e") && w.length > 4) w = w.slice(0, -1);
    return w;
  }
  function terms(text) {
    var out = [];
    pieces(text).forEach(function (p) {
      if (p.word) { if (Array.from(p.word).length <= MAXWORD) out.push(stem(p.word)); return; }
      var cs = Array.from(p.han);
      cs.forEach(function (c) { out.push(c); });
      for (var i = 0; i + 1 < cs.length; i++) out.push(cs[i] + cs[i + 1]);
    });
    return out;
  }
  /* The shard of a term: the longest key in meta.js that begins it (shards too large are split by one more
     character; a Han shard by its whole first character). */
  function shard(index, term) {
    var cs = Array.from(term), keys = index.keys || {};
    if (HAN.test(cs[0])) {
      var base = "~" + (cs[0].codePointAt(0) % 64), whole = base + "/" + cs[0].codePointAt(0);
      return keys[whole] ? whole : base;
    }
    for (var n = Math.min(cs.length, 6); n > 1; n--) {
      var key = cs.slice(0, n).join("");
      if (keys[key]) return key;
    }
    return cs.slice(0, 2).join("");
  }
  /* The shards that can hold terms beginning with a typed prefix: its own, and those split below it
     (at most 12, nearest first: a short prefix matches whole words beyond them). */
  function prefixShards(index, prefix) {
    var own = shard(index, prefix), deeper = (index.meta.shards || []).filter(function (k) {
      return k.length > prefix.length && k.indexOf(prefix) === 0;
    });
    deeper.sort(function (a, b) { return a.length - b.length || (a < b ? -1 : 1); });
    return [own].concat(deeper.slice(0, 12));
  }
  function decode(text) {
    var out = [], doc = 0;
    if (!text) return out;
    text.split(",").forEach(function (p, i) {
      var star = p.indexOf("*");
      var delta = parseInt(star < 0 ? p : p.slice(0, star), 36);
      doc = i === 0 ? delta : doc + delta;
      out.push([doc, star < 0 ? 1 : parseInt(p.slice(star + 1), 36)]);
    });
    return out;
  }
  /* What a query asks for: each word (the last one as a prefix while typing), each Han run as its pairs. */
  function wanted(query) {
    var ps = pieces(query), items = [], typing = !/\s$/.test(query);
    ps.forEach(function (p, i) {
      if (p.word) {
        if (Array.from(p.word).length > MAXWORD) return;
        var last = typing && i === ps.length - 1;
        if (last && p.word.length < 2 && ps.length > 1) return;
        items.push({ term: stem(p.word), prefix: last ? p.word : null, show: p.word });
        return;
      }
      var cs = Array.from(p.han);
      if (cs.length === 1) items.push({ term: cs[0], show: cs[0] });
      for (var j = 0; j + 1 < cs.length; j++) items.push({ term: cs[j] + cs[j + 1], show: p.han });
    });
    return items;
  }
  function postings(index, item) {
    var found = {};
    var table = index.terms[shard(index, item.term)] || {};
    function add(text) { decode(text).forEach(function (pair) { found[pair[0]] = Math.max(found[pair[0]] || 0, pair[1]); }); }
    if (table[item.term]) add(table[item.term]);
    if (item.prefix) {
      prefixShards(index, item.prefix).forEach(function (k) {
        var prefixTable = index.terms[k] || {};
        Object.keys(prefixTable).forEach(function (t) { if (t !== item.term && t.indexOf(item.prefix) === 0) add(prefixTable[t]); });
      });
    }
    return found;
  }
  /* The text with each query word marked, around the first match. */
  function excerpt(text, words) {
    var folded = "", map = [];
    Array.from(text).forEach(function (c, i) {
      // ASCII folds to its lowercase (the full normalization, three passes, only for the rest).
      var f = c < "\u0080" ? c.toLowerCase() : normalize(c);
      for (var k = 0; k < f.length; k++) { folded += f[k]; map.push(i); }
    });
    var chars = Array.from(text), marks = [];
    words.forEach(function (w) {
      var n = normalize(w), at = folded.indexOf(n);
      while (n && at >= 0) {
        marks.push([map[at], map[at + n.length - 1] + 1]);
        at = folded.indexOf(n, at + n.length);
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var start = marks.length ? Math.max(0, marks[0][0] - 60) : 0;
    // Begin at a word (a few characters further back at most; Chinese has no spaces to find).
    while (start > 0 && !/\s/.test(chars[start - 1]) && marks.length && marks[0][0] - start < 90) start--;
    var end = Math.min(chars.length, start + 200);
    var html = start > 0 ? "… " : "", open = false;
    function esc(c) { return c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : c === '"' ? "&quot;" : c; }
    for (var i = start; i < end; i++) {
      var inMark = marks.some(function (m) { return i >= m[0] && i < m[1]; });
      if (inMark && !open) { html += "<mark>"; open = true; }
      if (!inMark && open) { html += "</mark>"; open = false; }
      html += esc(chars[i]);
    }
    if (open) html += "</mark>";
    return html + (end < chars.length ? " …" : "");
  }
  function search(key, query, limit) {
    limit = limit || 10;
    var items = wanted(query);
    if (!items.length) return Promise.resolve([]);
    var index = lang(key);
    return load("search/" + key + "/meta.js").then(function () {
      if (!index.meta) return [];
      var keys = {};
      items.forEach(function (item) {
        keys[shard(index, item.term)] = true;
        if (item.prefix) prefixShards(index, item.prefix).forEach(function (k) { keys[k] = true; });
      });
      var needed = Object.keys(keys).filter(function (k) { return index.keys[k]; });
      return Promise.all(needed.map(function (k) { return load("search/" + key + "/t-" + hex(k) + ".js"); })).then(function () {
        var scores = {}, hits = {};
        items.forEach(function (item) {
          var found = postings(index, item), ds = Object.keys(found);
          // A rarer term counts for more (inverse document frequency, as BM25 has it): in a query of several
          // words, a page is not ranked first for the commonest of them alone. One word's order is its weights'.
          var idf = Math.log(1 + (index.meta.docs - ds.length + 0.5) / (ds.length + 0.5));
          ds.forEach(function (d) { scores[d] = (scores[d] || 0) + found[d] * idf; hits[d] = (hits[d] || 0) + 1; });
        });
        var best = 0;
        Object.keys(hits).forEach(function (d) { best = Math.max(best, hits[d]); });
        var ranked = Object.keys(scores).filter(function (d) { return hits[d] === best; })
          .sort(function (a, b) { return scores[b] - scores[a] || a - b; }).slice(0, limit).map(Number);
        var shards = {};
        ranked.forEach(function (d) { shards[Math.floor(d / index.meta.per)] = true; });
        return Promise.all(Object.keys(shards).map(function (n) { return load("search/" + key + "/d-" + n + ".js"); })).then(function () {
          var words = items.map(function (item) { return item.show; });
          return ranked.map(function (d) {
            var row = (index.docs[Math.floor(d / index.meta.per)] || [])[d % index.meta.per];
            if (!row) return null;
            return { title: row[0], url: root + row[1], section: row[2], excerpt: excerpt(row[3], words),
                     language: key, score: scores[d], complete: best === items.length };
          }).filter(Boolean);
        });
      });
    });
  }
  window.orbisSearch = {
    meta: function (key, meta) {
      var index = lang(key);
      index.meta = meta;
      index.keys = {};
      meta.shards.forEach(function (k) { index.keys[k] = true; });
    },
    terms: function (key, shardKey, table) { lang(key).terms[shardKey] = table; },
    docs: function (key, n, rows) { lang(key).docs[n] = rows; },
    search: search,
    tokens: terms,
    root: root
  };
})();
"""#
}

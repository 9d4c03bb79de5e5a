// The search page: results as you type, from the index the build wrote (search/orbis-search.js loads only
// the parts a query needs). Without JavaScript the page shows links to the partner and programme lists.
(function () {
  var page = document.querySelector(".search-page");
  if (!page || !window.orbisSearch) return;
  var form = page.querySelector(".search-form"), input = page.querySelector("#search-input");
  var status = page.querySelector(".search-status"), list = page.querySelector(".search-results");
  var words = page.querySelector("#search-words").dataset;
  var language = page.dataset.language || "en", others = (page.dataset.others || "").split(" ").filter(Boolean);
  page.querySelector(".search-fallback").hidden = true;
  form.hidden = false;
  var asked = 0;

  function item(result, foreign) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = result.url;
    a.textContent = result.title;
    if (foreign) a.hreflang = result.language;
    li.appendChild(a);
    if (result.section) {
      var section = document.createElement("span");
      section.className = "search-section";
      section.textContent = result.section;
      li.appendChild(section);
    }
    var p = document.createElement("p");
    p.innerHTML = result.excerpt; // built by orbis-search.js from escaped text and <mark> only
    li.appendChild(p);
    return li;
  }

  function run() {
    var query = input.value, ticket = ++asked;
    try { history.replaceState(null, "", query ? "?q=" + encodeURIComponent(query) : location.pathname); } catch (e) {}
    if (!query.trim()) { list.innerHTML = ""; status.textContent = ""; return; }
    // This language's pages first; others only when it has few.
    orbisSearch.search(language, query, 10).then(function (own) {
      var more = own.length >= 5 ? Promise.resolve([]) : Promise.all(others.map(function (key) {
        return orbisSearch.search(key, query, 5 - own.length);
      })).then(function (lists) { return [].concat.apply([], lists); });
      return more.then(function (foreign) {
        if (ticket !== asked) return;
        list.innerHTML = "";
        own.forEach(function (r) { list.appendChild(item(r, false)); });
        foreign.forEach(function (r) {
          var li = item(r, true);
          li.classList.add("search-other-language");
          li.setAttribute("data-language-label", words.otherLanguage);
          list.appendChild(li);
        });
        var count = own.length + foreign.length;
        status.textContent = count === 0 ? words.none
          : (count === 1 ? words.countOne : words.countOther).replace("{n}", String(count));
      });
    });
  }
  input.addEventListener("input", run);
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; run(); }
  input.focus();
})();

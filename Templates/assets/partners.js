// Progressive enhancement for the partners page: the area links work without JavaScript (each area has
// its own page); with it, the full list filters in place, and the address still changes to the area's page.
(function () {
  var root = document.querySelector("[data-partners-all]");
  if (!root || !window.history || !document.querySelectorAll) return;
  var links = root.querySelectorAll(".filters a[data-area]");
  var summary = root.querySelector(".summary");
  var original = summary ? summary.textContent : "";

  function show(area) {
    root.querySelectorAll(".country").forEach(function (section) {
      var visible = 0;
      section.querySelectorAll(".partner").forEach(function (card) {
        var match = !area || card.getAttribute("data-areas").split(" ").indexOf(area) >= 0;
        card.hidden = !match;
        if (match) visible++;
      });
      section.hidden = visible === 0;
    });
    // As on the area's own page, the map (of every partner) shows with the full list only.
    root.querySelectorAll(".map").forEach(function (map) { map.hidden = !!area; });
    links.forEach(function (link) {
      if (link.getAttribute("data-area") === (area || "")) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    });
    if (summary) {
      // The page carries each area's summary, already in its language.
      var chosen = root.querySelector('.filters a[data-area="' + (area || "").replace(/"/g, '\\"') + '"]');
      summary.textContent = chosen ? chosen.getAttribute("data-summary") : original;
    }
  }

  links.forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
      var area = link.getAttribute("data-area");
      try {
        history.pushState({ area: area }, "", link.href);
      } catch (e) {
        return; // opened from disk, where the address cannot change: follow the link to the area's page
      }
      event.preventDefault();
      show(area);
    });
  });
  window.addEventListener("popstate", function (event) {
    if (event.state && "area" in event.state) show(event.state.area);
    else show("");
  });
})();

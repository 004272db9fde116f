// Vantage console: a little progressive enhancement; every page works without it.
// A running survey's page refreshes its progress in place (no full reload, no flicker: a region is replaced only
// when its content changed), and shows the completed survey's page when it is done.
(function () {
  "use strict";
  var region = document.querySelector("[data-progress]");
  if (!region || !window.fetch) {
    return;
  }
  var url = region.getAttribute("data-progress");
  var page = region.getAttribute("data-page");
  var timer = null;

  function swapMain(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.querySelector("main");
    var main = document.querySelector("main");
    if (fresh && main) {
      main.replaceWith(fresh);
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("[data-progress-state]");
        if (!fresh) {
          return;
        }
        var current = region.querySelector("[data-progress-state]");
        if (!current || current.outerHTML !== fresh.outerHTML) {
          region.replaceChildren(fresh);
        }
        if (fresh.getAttribute("data-progress-state") === "completed") {
          clearInterval(timer);
          return fetch(page, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(swapMain);
        }
      })
      .catch(function () { /* keep the last progress shown; the next poll tries again */ });
  }

  timer = setInterval(poll, 2000);
})();

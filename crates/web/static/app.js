// chibo: the CSRF header on htmx requests, and closing opened nodes of the tree.
(function () {
  "use strict";

  document.addEventListener("htmx:configRequest", function (e) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) {
      e.detail.headers["X-CSRF-Token"] = meta.getAttribute("content");
    }
  });

  function isToggle(el) {
    return el && el.classList && el.classList.contains("toggle");
  }

  // A second press on an open node closes it instead of loading it again.
  document.addEventListener("htmx:beforeRequest", function (e) {
    var el = e.detail.elt;
    if (!isToggle(el) || el.getAttribute("aria-expanded") !== "true") {
      return;
    }
    e.preventDefault();
    var box = el.closest("li").querySelector(":scope > .children");
    if (box) {
      box.replaceChildren();
    }
    el.setAttribute("aria-expanded", "false");
  });

  // "Print" buttons of printable pages (no inline script under the CSP).
  document.addEventListener("click", function (e) {
    if (e.target && e.target.closest && e.target.closest("[data-print]")) {
      window.print();
    }
  });

  document.addEventListener("htmx:afterRequest", function (e) {
    var el = e.detail.elt;
    if (isToggle(el) && e.detail.successful) {
      el.setAttribute("aria-expanded", "true");
    }
  });
  // A form marked data-confirm asks before it is sent (an import, an irreversible step); a
  // button marked data-busy says what is happening while a long request runs.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var ask = form.getAttribute && form.getAttribute("data-confirm");
    if (ask && !window.confirm(ask)) {
      e.preventDefault();
      return;
    }
    var busy = form.querySelector && form.querySelector("[data-busy]");
    if (busy) {
      busy.textContent = busy.getAttribute("data-busy");
      busy.setAttribute("aria-busy", "true");
    }
  });
})();

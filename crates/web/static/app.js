// chibo: the CSRF header on htmx requests, closing opened nodes of the tree, confirmation of
// irreversible forms, and bringing a refused form's first error into view.
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

  // Dates: on a touch screen the platform's date picker (shown dd/mm/yyyy on a Vietnamese
  // phone; it sends yyyy-mm-dd, which the server accepts). Elsewhere, and for a value that is
  // not a date (shown again with its error), the typed field stays: 07/01/2027, 7/1/2027,
  // 07-01-2027 or 07012027.
  function pickDates() {
    if (!window.matchMedia || !window.matchMedia("(pointer: coarse)").matches) {
      return;
    }
    document.querySelectorAll("input[data-date]").forEach(function (el) {
      var v = el.value.trim();
      var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
      if (v && !m) {
        return;
      }
      var iso = m ? m[3] + "-" + ("0" + m[2]).slice(-2) + "-" + ("0" + m[1]).slice(-2) : "";
      el.type = "date";
      el.value = iso;
      if (v && el.value !== iso) {
        el.type = "text";
        el.value = v;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", pickDates);

  // A form with a "kind" select shows only the fields of the chosen kind (data-kinds);
  // without JavaScript every field shows.
  function showKindFields(select) {
    var form = select.form;
    if (!form) {
      return;
    }
    form.querySelectorAll("[data-kinds]").forEach(function (f) {
      var on = select.value && f.getAttribute("data-kinds").indexOf(" " + select.value + " ") >= 0;
      f.hidden = !on && !f.classList.contains("invalid");
    });
  }
  document.addEventListener("change", function (e) {
    if (e.target && e.target.name === "kind" && e.target.form && e.target.form.querySelector("[data-kinds]")) {
      showKindFields(e.target);
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form select[name=kind]").forEach(function (s) {
      if (s.form && s.form.querySelector("[data-kinds]")) {
        showKindFields(s);
      }
    });
  });

  // After a refused submit, bring the first error into view (it may be far down on a phone).
  document.addEventListener("DOMContentLoaded", function () {
    var err = document.querySelector(".alert.error, .field.invalid, fieldset.invalid");
    if (err && err.scrollIntoView) {
      err.scrollIntoView({ block: "center" });
      var input = err.querySelector("input, select, textarea");
      if (input && input.focus) {
        input.focus({ preventScroll: true });
      }
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

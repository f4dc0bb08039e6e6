// chibo: the CSRF header on htmx requests, closing opened nodes of the tree, confirmation of
// irreversible forms, bringing a refused form's first error into view, and the progress of an
// import.
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
    var label = busy && busy.textContent;
    if (busy) {
      busy.textContent = busy.getAttribute("data-busy");
      busy.setAttribute("aria-busy", "true");
    }
    if (form.hasAttribute && form.hasAttribute("data-progress") && canWatch()) {
      e.preventDefault();
      sendWatched(form, busy, label);
    }
  });

  // A form marked data-progress (an import) is sent in the background so that its progress
  // shows: the upload's bytes, then the rows the server has checked or written, asked every
  // second under a random token (/import/progress/TOKEN). The answer then replaces the page,
  // as the form's own submit would have. Without these browser features the form posts as usual.
  function canWatch() {
    return window.XMLHttpRequest && window.FormData && window.URLSearchParams && window.fetch &&
      window.crypto && window.crypto.getRandomValues;
  }

  function randomToken() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function sendWatched(form, busy, label) {
    var box = form.querySelector("[data-progress-box]");
    var bar = box && box.querySelector("progress");
    var text = box && box.querySelector("[data-progress-text]");
    var token = randomToken();
    var url = form.getAttribute("action") + (form.getAttribute("action").indexOf("?") >= 0 ? "&" : "?") + "progress=" + token;
    var uploaded = false, timer = null;
    function show(said, done, all) {
      if (!box) {
        return;
      }
      var first = box.hidden;
      box.hidden = false;
      text.textContent = said;
      if (all) {
        bar.max = all;
        bar.value = Math.min(done, all);
      } else {
        bar.removeAttribute("value");
      }
      if (first && box.scrollIntoView) {
        box.scrollIntoView({ block: "nearest" });
      }
    }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    var multipart = form.getAttribute("enctype") === "multipart/form-data";
    var body = multipart ? new FormData(form) : new URLSearchParams(new FormData(form));
    xhr.upload.addEventListener("progress", function (ev) {
      if (!uploaded && ev.lengthComputable && form.getAttribute("data-uploading")) {
        show(form.getAttribute("data-uploading") + ": " + Math.round(100 * ev.loaded / ev.total) + "%", ev.loaded, ev.total);
      }
    });
    xhr.upload.addEventListener("load", function () { uploaded = true; });
    function ask() {
      fetch("/import/progress/" + token, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (p) {
          if (p && timer !== null && (uploaded || p.stage !== "opening")) {
            show(p.text, p.rows, p.expected);
          }
        })
        .catch(function () {});
    }
    xhr.addEventListener("load", function () {
      clearInterval(timer);
      timer = null;
      // The answer is a whole page (the result, or a refusal): it replaces this one.
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", function () {
      clearInterval(timer);
      timer = null;
      show(form.getAttribute("data-lost") || "", 0, 0);
      if (busy) {
        busy.textContent = label;
        busy.removeAttribute("aria-busy");
      }
    });
    timer = setInterval(ask, 1000);
    xhr.send(body);
  }
})();

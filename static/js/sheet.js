// Score sheet: keyboard-first entry, htmx save per criterion, nothing typed is ever lost.
// Every value is kept in localStorage until the server confirms it; failed saves are retried
// (on a timer, when the browser comes back online, and on the next visit of the page).
(function () {
  "use strict";
  var sheet = document.getElementById("sheet");
  if (!sheet) { return; }
  var prefix = "emulation:sheet:" + sheet.getAttribute("data-sheet-key") + ":";
  var texts = document.getElementById("sheet-messages").dataset;
  var rows = Array.prototype.slice.call(sheet.querySelectorAll("form.crit-row"));
  var editable = rows.length > 0 && rows[0].hasAttribute("hx-post");
  var inflight = 0;
  var retryTimer = null;

  function keyOf(row) { return prefix + row.getAttribute("data-criterion"); }
  function valueInput(row) { return row.querySelector(".crit-value"); }
  function commentInput(row) { return row.querySelector(".crit-comment"); }
  function current(row) {
    return { value: valueInput(row).value, comment: commentInput(row).value };
  }
  function remember(row) {
    try { localStorage.setItem(keyOf(row), JSON.stringify(current(row))); } catch (e) { /* full */ }
  }
  function forget(row) {
    try { localStorage.removeItem(keyOf(row)); } catch (e) { /* unavailable */ }
  }
  function pending() {
    return rows.filter(function (row) { return localStorage.getItem(keyOf(row)) !== null; });
  }
  function say(row, text, css) {
    var box = row.querySelector(".crit-status");
    box.textContent = "";
    var span = document.createElement("span");
    span.className = css;
    span.textContent = text;
    box.appendChild(span);
  }
  function setVersion(version) {
    document.querySelectorAll(".sheet-version").forEach(function (el) { el.value = version; });
  }
  function save(row) { valueInput(row).dispatchEvent(new Event("change", { bubbles: true })); }
  function scheduleRetry() {
    if (retryTimer) { return; }
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      pending().filter(function (row) { return row.classList.contains("unsaved"); }).forEach(save);
    }, 5000);
  }
  function moveOn(row) {
    var next = rows[rows.indexOf(row) + 1];
    var target = next ? valueInput(next) : document.getElementById("submit-sheet");
    if (target) { target.focus(); if (target.select) { target.select(); } }
  }
  function copySelf(row) {
    var input = valueInput(row);
    var own = row.getAttribute("data-self-value");
    if (own === "" || input.disabled) { return; }
    input.value = own;
    save(row);
  }

  if (!editable) { return; }

  rows.forEach(function (row) {
    row.addEventListener("submit", function (event) { event.preventDefault(); });
    var stored = localStorage.getItem(keyOf(row));
    if (stored === null) { return; }
    var entry = JSON.parse(stored);
    var saved = { value: row.getAttribute("data-saved-value"), comment: row.getAttribute("data-saved-comment") };
    if (entry.value === saved.value && entry.comment === saved.comment) { forget(row); return; }
    valueInput(row).value = entry.value;
    commentInput(row).value = entry.comment;
    say(row, texts.restored, "text-warning");
    save(row);
  });

  sheet.addEventListener("keydown", function (event) {
    var row = event.target.closest("form.crit-row");
    if (!row) { return; }
    if (event.key === "Enter") {
      // Only in the inputs: Enter on a button (keep mine / use the saved value) presses it.
      if (event.target.tagName === "BUTTON") { return; }
      event.preventDefault();
      moveOn(row);
    } else if (event.key === "=" && event.target.classList.contains("crit-value")) {
      event.preventDefault();
      copySelf(row);
    }
  });

  sheet.addEventListener("click", function (event) {
    var row = event.target.closest("form.crit-row");
    if (!row) { return; }
    var box = event.target.closest(".save-conflict");
    if (event.target.classList.contains("copy-self")) {
      copySelf(row);
      valueInput(row).focus();
    } else if (box && event.target.classList.contains("keep-mine")) {
      setVersion(box.getAttribute("data-version"));
      save(row);
    } else if (box && event.target.classList.contains("take-theirs")) {
      setVersion(box.getAttribute("data-version"));
      valueInput(row).value = box.getAttribute("data-theirs-value");
      commentInput(row).value = box.getAttribute("data-theirs-comment");
      row.setAttribute("data-saved-value", valueInput(row).value);
      row.setAttribute("data-saved-comment", commentInput(row).value);
      forget(row);
      say(row, "", "");
    }
  });

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var row = event.detail.elt;
    if (!row.classList || !row.classList.contains("crit-row")) { return; }
    inflight += 1;
    remember(row);
    say(row, texts.saving, "text-body-secondary");
  });
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var row = event.detail.elt;
    if (!row.classList || !row.classList.contains("crit-row")) { return; }
    inflight = Math.max(0, inflight - 1);
    var xhr = event.detail.xhr;
    var status = xhr ? xhr.status : 0;
    if (status === 200) {
      var version = xhr.getResponseHeader("X-Sheet-Version");
      if (version) { setVersion(version); }
      row.classList.remove("unsaved");
      row.setAttribute("data-saved-value", valueInput(row).value);
      row.setAttribute("data-saved-comment", commentInput(row).value);
      var now = current(row);
      var stored = localStorage.getItem(keyOf(row));
      // Typed again while the request was on its way: keep that newer value pending.
      if (stored === null || stored === JSON.stringify(now)) { forget(row); }
    } else if (status !== 409 && status !== 422) {
      row.classList.add("unsaved");
      say(row, texts.unsaved, "text-danger");
      scheduleRetry();
    }
  });
  window.addEventListener("online", function () { pending().forEach(save); });

  var submit = document.getElementById("submit-form");
  if (submit) {
    submit.addEventListener("submit", function (event) {
      if (inflight > 0 || pending().length > 0) {
        event.preventDefault();
        var warning = document.getElementById("submit-warning");
        warning.textContent = texts.pending;
        warning.hidden = false;
        pending().forEach(function (row) { row.classList.add("border-danger"); });
      }
    });
  }
})();

// Self-assessment form (templates/assessments/form.html): every criterion saves on change
// through htmx; what the user types is kept in this browser (localStorage) until the server
// has it, retried when a save fails, and put back after a reload. CSP forbids inline
// scripts, so this file carries all of it.
(function () {
  "use strict";
  var root = document.getElementById("sa");
  if (!root || !window.htmx) {
    return;
  }
  var PREFIX = "sa:" + root.dataset.assessment + ":";
  var DELAYS = [2000, 5000, 15000, 30000, 60000];
  var attempts = {};
  var timers = {};

  function storage() {
    try {
      return window.localStorage;
    } catch (err) {
      return null;
    }
  }
  function read(key) {
    var store = storage();
    try {
      return store ? JSON.parse(store.getItem(key)) : null;
    } catch (err) {
      return null;
    }
  }
  function write(key, value) {
    var store = storage();
    try {
      if (store) {
        store.setItem(key, JSON.stringify(value));
      }
    } catch (err) {
      /* storage full or disabled: the server copy is all we have */
    }
  }
  function forget(key) {
    var store = storage();
    if (store) {
      store.removeItem(key);
    }
  }
  function forgetAll() {
    var store = storage();
    if (!store) {
      return;
    }
    for (var i = store.length - 1; i >= 0; i--) {
      var key = store.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        store.removeItem(key);
      }
    }
  }

  if (root.dataset.finished === "1") {
    forgetAll(); // submitted: nothing is pending any more
    return;
  }
  if (root.dataset.editable !== "1") {
    return;
  }

  // CSP forbids inline styles: never carry a "style" attribute over while settling a swap.
  htmx.config.attributesToSettle = ["class", "width", "height"];
  // Validation errors (422), conflicts (409) and too-large files (413) carry a fragment to show.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "(409|413|422)", swap: true, error: false },
    { code: "...", swap: false, error: true },
  ];

  function rowOf(el) {
    return el && el.closest ? el.closest("form.sa-row") : null;
  }
  function valueOf(form) {
    var checked = form.querySelector('input[name="value"]:checked');
    var field = form.querySelector('input[name="value"]:not([type="radio"])');
    return checked ? checked.value : field ? field.value : "";
  }
  function noteOf(form) {
    return form.querySelector('textarea[name="note"]').value;
  }
  function versionField(form) {
    return form.querySelector('input[name="version"]');
  }
  function setValue(form, value) {
    var radios = form.querySelectorAll('input[type="radio"][name="value"]');
    if (radios.length) {
      radios.forEach(function (radio) {
        radio.checked = radio.value === value;
      });
    } else {
      form.querySelector('input[name="value"]').value = value;
    }
  }
  function setState(form, state) {
    var status = form.querySelector(".sa-status");
    if (!status) {
      return;
    }
    status.dataset.state = state;
    var label = status.querySelector(".sa-state");
    var key = "t" + state.charAt(0).toUpperCase() + state.slice(1);
    if (label && root.dataset[key]) {
      label.textContent = root.dataset[key];
    }
  }
  function remember(form) {
    write(form.dataset.key, {
      value: valueOf(form),
      note: noteOf(form),
      version: versionField(form).value,
      at: Date.now(),
    });
  }
  function unchangedSince(form, kept) {
    return kept && kept.value === valueOf(form) && kept.note === noteOf(form);
  }
  function retryLater(form) {
    var key = form.dataset.key;
    var n = attempts[key] || 0;
    clearTimeout(timers[key]);
    timers[key] = setTimeout(function () {
      attempts[key] = n + 1;
      htmx.trigger(form, "sa-retry");
    }, DELAYS[Math.min(n, DELAYS.length - 1)]);
  }

  // Typing is kept on this device at once, before any request is made.
  root.addEventListener("input", function (event) {
    var form = rowOf(event.target);
    if (form) {
      remember(form);
      setState(form, "editing");
    }
  });

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var form = rowOf(event.detail.elt);
    if (form && event.detail.elt === form) {
      remember(form);
      setState(form, "saving");
    }
  });

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var form = rowOf(event.detail.elt);
    var xhr = event.detail.xhr;
    if (form && xhr && xhr.responseURL && xhr.responseURL.indexOf("/auth/login") !== -1) {
      event.detail.shouldSwap = false; // signed out: keep the value here, sign in again
      setState(form, "signedout");
    }
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = rowOf(event.detail.elt);
    if (!form || event.detail.elt !== form) {
      return;
    }
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    var signedOut = form.querySelector('.sa-status[data-state="signedout"]');
    if (status >= 200 && status < 300 && !signedOut) {
      attempts[form.dataset.key] = 0;
      if (unchangedSince(form, read(form.dataset.key))) {
        forget(form.dataset.key);
      } else {
        setState(form, "editing");
      }
    } else if (status !== 409 && status !== 422 && !signedOut) {
      setState(form, "failed"); // network down or server trouble: kept here, try again
      retryLater(form);
    }
  });

  document.body.addEventListener("htmx:afterSettle", function (event) {
    var form = rowOf(event.detail.elt);
    if (!form) {
      return;
    }
    var status = form.querySelector(".sa-status");
    if (status && status.dataset.state === "retry") {
      retryLater(form);
    }
    var input = form.querySelector('input[name="value"]:not([type="radio"])');
    var error = form.querySelector(".sa-error");
    if (input && error) {
      input.classList.toggle("is-invalid", error.textContent.trim() !== "");
    }
  });

  window.addEventListener("online", function () {
    root.querySelectorAll('.sa-status[data-state="failed"]').forEach(function (status) {
      htmx.trigger(rowOf(status), "sa-retry");
    });
  });

  // The two choices of a conflict: keep what I typed, or take what the other device saved.
  root.addEventListener("click", function (event) {
    var keep = event.target.closest(".sa-keep-mine");
    var use = event.target.closest(".sa-use-saved");
    if (!keep && !use) {
      return;
    }
    var box = event.target.closest(".sa-conflict");
    var form = rowOf(box);
    versionField(form).value = box.dataset.version;
    if (use) {
      setValue(form, box.dataset.value);
      form.querySelector('textarea[name="note"]').value = box.dataset.note;
    }
    remember(form);
    htmx.trigger(form, "sa-retry");
  });

  // After a reload: put back what this device still holds and send it again.
  function restore() {
    root.querySelectorAll("form.sa-row").forEach(function (form) {
      var kept = read(form.dataset.key);
      if (!kept) {
        return;
      }
      if (unchangedSince(form, kept)) {
        forget(form.dataset.key);
        return;
      }
      setValue(form, kept.value);
      form.querySelector('textarea[name="note"]').value = kept.note;
      versionField(form).value = kept.version;
      setState(form, "restored");
      htmx.trigger(form, "sa-retry");
    });
  }

  // The group in view, shown in the sticky bar.
  function followGroups() {
    var current = document.getElementById("sa-current");
    if (!current || !("IntersectionObserver" in window)) {
      return;
    }
    var observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            current.textContent = entry.target.dataset.title;
          }
        });
      },
      { rootMargin: "-30% 0px -60% 0px" }
    );
    root.querySelectorAll(".sa-group").forEach(function (group) {
      observer.observe(group);
    });
  }

  function start() {
    setTimeout(function () {
      restore();
      followGroups();
    }, 0);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

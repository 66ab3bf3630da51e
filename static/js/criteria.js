// Criteria editor: show only the fields the chosen kind uses; confirm deletions.
(function () {
  "use strict";
  var select = document.querySelector("[data-kind-select]");
  function sync() {
    var kind = select.value;
    document.querySelectorAll("[data-kinds]").forEach(function (el) {
      var kinds = el.getAttribute("data-kinds").split(" ");
      el.hidden = kinds.indexOf(kind) === -1;
    });
  }
  if (select) {
    select.addEventListener("change", sync);
    sync();
  }
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
})();

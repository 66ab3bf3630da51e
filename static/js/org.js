// Unit tree: the first click loads a node's children (htmx), later clicks fold and unfold them.
document.addEventListener("click", function (event) {
  var button = event.target.closest(".unit-toggle");
  if (!button) return;
  var list = document.getElementById(button.getAttribute("aria-controls"));
  if (!list) return;
  if (button.dataset.loaded === "1") {
    var open = !list.classList.contains("d-none");
    list.classList.toggle("d-none", open);
    button.textContent = open ? "▸" : "▾";
    button.setAttribute("aria-expanded", open ? "false" : "true");
  }
});
document.addEventListener("htmx:afterSwap", function (event) {
  var list = event.detail.target;
  if (!list.classList || !list.classList.contains("unit-children")) return;
  var button = document.querySelector('.unit-toggle[aria-controls="' + list.id + '"]');
  if (button) {
    button.dataset.loaded = "1";
    button.textContent = "▾";
    button.setAttribute("aria-expanded", "true");
  }
});

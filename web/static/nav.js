// The header menus: one open at a time, closed by Escape or a click elsewhere; the Menu button
// shows and hides the menus on a narrow screen.
(function () {
  var nav = document.getElementById("mainnav");
  if (!nav) return;
  var menus = nav.querySelectorAll("details.menu");
  var toggle = document.querySelector(".nav-toggle");
  function closeAll(except) {
    menus.forEach(function (m) { if (m !== except) m.removeAttribute("open"); });
  }
  menus.forEach(function (m) {
    m.addEventListener("toggle", function () { if (m.open && !toggle.offsetParent) closeAll(m); });
  });
  document.addEventListener("click", function (e) {
    if (!nav.contains(e.target) && (!toggle || !toggle.offsetParent)) closeAll(null);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    var open = nav.querySelector("details.menu[open]");
    closeAll(null);
    if (open) open.querySelector("summary").focus();
  });
  if (toggle) {
    toggle.addEventListener("click", function () {
      var shown = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", shown ? "true" : "false");
    });
  }
})();

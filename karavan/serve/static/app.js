// karavan: tooltips on chart points (hover and keyboard focus). Pages work without it: a point's text is its
// SVG <title> (the browser's own tooltip), which this script takes over once, so the page carries it once.
(function () {
  "use strict";
  var tip = null;

  function show(el) {
    if (!tip) { return; }
    tip.textContent = el.karavanTip || "";
    tip.hidden = false;
    var box = el.getBoundingClientRect();
    var left = Math.min(window.scrollX + box.left + box.width / 2 + 12,
                        window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8);
    tip.style.left = Math.max(8, left) + "px";
    tip.style.top = (window.scrollY + box.bottom + 8) + "px";
  }

  function hide() { if (tip) { tip.hidden = true; } }

  document.addEventListener("DOMContentLoaded", function () {
    tip = document.getElementById("tip");
    var points = document.querySelectorAll("[data-tip]");
    for (var i = 0; i < points.length; i++) {
      var el = points[i];
      var title = el.querySelector("title");
      el.karavanTip = title ? title.textContent : "";
      if (title) { title.parentNode.removeChild(title); } // the script's tooltip replaces the native one
      el.addEventListener("mouseenter", function (e) { show(e.currentTarget); });
      el.addEventListener("focus", function (e) { show(e.currentTarget); });
      el.addEventListener("mouseleave", hide);
      el.addEventListener("blur", hide);
    }
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hide(); } });
  });
})();

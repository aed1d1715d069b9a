/* Draw a case's BPMN diagram with bpmn-js (navigated viewer: pan and zoom) and mark its elements.
 * <div class="case-diagram" data-xml-url="…/diagram.xml" data-marks='{"completed": [ids], "active": [ids], "overdue": [ids]}'>
 * The element ids come from the server; this script only adds the CSS classes case-done,
 * case-active and case-overdue to the matching SVG groups. */
(function () {
  "use strict";

  var CLASSES = { completed: "case-done", active: "case-active", overdue: "case-overdue" };

  function markAll(viewer, marks) {
    var canvas = viewer.get("canvas");
    var registry = viewer.get("elementRegistry");
    Object.keys(CLASSES).forEach(function (kind) {
      (marks[kind] || []).forEach(function (id) {
        if (registry.get(id)) {
          canvas.addMarker(id, CLASSES[kind]);
        }
      });
    });
  }

  function fail(el, err) {
    el.classList.add("case-diagram-error");
    el.textContent = el.getAttribute("data-error") || "Error";
    if (window.console) { window.console.error(err); }
  }

  function draw(el) {
    if (typeof window.BpmnJS !== "function") {
      fail(el, new Error("bpmn-js is not loaded"));
      return;
    }
    var marks = {};
    try { marks = JSON.parse(el.getAttribute("data-marks") || "{}"); } catch (e) { marks = {}; }
    var viewer = new window.BpmnJS({ container: el });
    fetch(el.getAttribute("data-xml-url"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function () {
        viewer.get("canvas").zoom("fit-viewport", "auto");
        markAll(viewer, marks);
        el.setAttribute("data-ready", "true");
      })
      .catch(function (err) { fail(el, err); });
  }

  function start() {
    var nodes = document.querySelectorAll(".case-diagram[data-xml-url]");
    for (var i = 0; i < nodes.length; i += 1) { draw(nodes[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

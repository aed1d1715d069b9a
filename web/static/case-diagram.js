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

  /* On a narrow screen a whole process is too small to read: show the waiting work instead
   * (pan and zoom still reach the rest). */
  function focusOnWork(viewer, marks, el) {
    var canvas = viewer.get("canvas");
    var registry = viewer.get("elementRegistry");
    var ids = (marks.overdue || []).concat(marks.active || []);
    var root = canvas.getRootElement();
    var target = null;
    for (var i = 0; i < ids.length && !target; i += 1) {
      var element = registry.get(ids[i]);
      // an element inside a collapsed subprocess lives on another plane: skip it
      if (element && (!canvas.findRoot || canvas.findRoot(element) === root)) { target = element; }
    }
    if (!target || el.clientWidth > 700 || canvas.zoom() >= 0.6) { return; }
    var outer = canvas.viewbox().outer;
    var scale = 0.8;
    var width = outer.width / scale;
    var height = outer.height / scale;
    canvas.viewbox({
      x: target.x + target.width / 2 - width / 2,
      y: target.y + target.height / 2 - height / 2,
      width: width,
      height: height
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
        var canvas = viewer.get("canvas");
        canvas.zoom("fit-viewport", "auto");
        markAll(viewer, marks);
        focusOnWork(viewer, marks, el);
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

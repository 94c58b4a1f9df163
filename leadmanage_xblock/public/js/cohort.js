/* The cohort summary under the module, on course staff's pages only (runtime/cohort_view.py adds this script).
 *
 * Each panel (section.lm-cohort[data-url], xblock/cohort.html.j2) asks the cohort_summary handler once, through
 * LeadManageHttp.postJson (xblock_http.js), and shows the html it answers: the server renders every word, in the
 * user's language, so this script holds no text. A refusal shows the server's message; no answer at all shows the
 * panel's own failure line. Not an init function: the block's fragment has one already (leadmanage.js).
 */
(function (host) {
  "use strict";

  function load(panel) {
    var body = panel.querySelector(".lm-cohort-body");
    panel.setAttribute("data-loaded", "true");
    host.LeadManageHttp.postJson(panel.getAttribute("data-url"), {}).then(function (reply) {
      body.innerHTML = reply.html; // rendered and escaped by the server's template
      body.setAttribute("aria-busy", "false");
    }, function (error) {
      body.setAttribute("aria-busy", "false");
      if (error.message) {
        body.textContent = error.message;
      } else {
        body.hidden = true;
        panel.querySelector(".lm-cohort-failed").hidden = false;
      }
    });
  }

  function loadAll(root) {
    root.querySelectorAll("section.lm-cohort[data-url]:not([data-loaded])").forEach(load);
  }

  var api = { loadAll: loadAll };
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else if (host.document.readyState === "loading") {
    host.document.addEventListener("DOMContentLoaded", function () { loadAll(host.document); });
  } else {
    loadAll(host.document);
  }
})(this);

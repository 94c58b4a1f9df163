/* The cohort summary under the module, on course staff's pages only (runtime/cohort_view.py adds this script).
 *
 * Each panel (section.lm-cohort[data-url], xblock/cohort.html.j2) asks the cohort_summary handler once, through
 * LeadManageHttp.postJson (xblock_http.js), and shows the html it answers: the server renders every word, in the
 * user's language, so this script holds no text. While the answer says a newer count is being made (on the
 * platform's Celery workers), it asks again every few seconds. A refusal shows the server's message; no answer at
 * all shows the panel's own failure line. The debrief's link waits for its file as the workbook links do
 * (LeadManageHttp.waitForWorkbooks, asking data-status-url): the platform's workers may still be rendering it.
 * Not an init function: the block's fragment has one already (leadmanage.js).
 */
(function (host) {
  "use strict";

  // While the platform's workers make a newer count, ask again this often, for at most this long.
  var AGAIN_MS = 3000;
  var GIVE_UP_MS = 15 * 60 * 1000;

  function load(panel, startedAt) {
    var body = panel.querySelector(".lm-cohort-body");
    function again() {
      if (Date.now() - startedAt < GIVE_UP_MS) { host.setTimeout(function () { load(panel, startedAt); }, AGAIN_MS); }
    }
    panel.setAttribute("data-loaded", "true");
    host.LeadManageHttp.postJson(panel.getAttribute("data-url"), {}).then(function (reply) {
      // A debrief being prepared keeps its link and live region on screen until it downloads; a later look updates.
      if (preparing(body)) { again(); return; }
      body.innerHTML = reply.html; // rendered and escaped by the server's template
      host.LeadManageHttp.waitForWorkbooks(body, panel.getAttribute("data-status-url"));
      body.setAttribute("aria-busy", reply.updating ? "true" : "false");
      if (reply.updating) { again(); }
    }, function (error) {
      if (preparing(body)) { again(); return; }
      body.setAttribute("aria-busy", "false");
      if (error.message) {
        body.textContent = error.message;
      } else {
        body.hidden = true;
        panel.querySelector(".lm-cohort-failed").hidden = false;
      }
    });
  }

  function preparing(body) {
    return Boolean(body.querySelector("a.lm-download[aria-busy='true']"));
  }

  function loadAll(root) {
    root.querySelectorAll("section.lm-cohort[data-url]:not([data-loaded])").forEach(function (panel) {
      load(panel, Date.now());
    });
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

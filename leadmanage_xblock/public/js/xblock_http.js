/* How the block's scripts (leadmanage.js, studio.js) talk to its handlers: one POST of JSON, JSON back.
 *
 * LeadManageHttp.postJson(url, body) → Promise<reply>
 *   Sends Django's CSRF token from its cookie. A refusal, or a request that never arrives, rejects with an Error:
 *     message      the server's own readable message, or "" when it gave none (then the caller words the failure
 *                  in the page's language: LeadManageStrings.reasonOf; the browser's own text would be English)
 *     status       the HTTP status, 0 when the server could not be reached
 *     retry        whether the same request may succeed later (no answer, 408, 429, 5xx); false when the server
 *                  refused the input itself
 *     conflicts    what another tab or device saved since (409: [{kind, id, value, revision}])
 *     nextAttempt  the attempt a refused quiz submission should make next
 *     problems     the Studio editor's problems ([{field, line, message}])
 */
(function (host) {
  "use strict";

  /* Django's CSRF token in `cookie` (document.cookie), or "". */
  function csrfToken(cookie) {
    var match = cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  /* The Error for an answer with `status` (0: none came) and the JSON `reply` the server sent with it, if any. */
  function refusal(status, reply) {
    var body = reply && typeof reply === "object" ? reply : {};
    var error = new Error(typeof body.error === "string" ? body.error : "");
    error.status = status;
    error.retry = status === 0 || status === 408 || status === 429 || status >= 500;
    error.conflicts = body.conflicts;
    error.nextAttempt = body.next_attempt;
    error.problems = body.problems;
    return error;
  }

  /* `options.keepalive`: the request may outlive the page (a small body sent as the page goes: browsers cap such
   * bodies at 64 KB, so it is never set for the learner's texts). */
  function postJson(url, body, options) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: Boolean(options && options.keepalive),
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": csrfToken(typeof document === "object" ? document.cookie : ""),
        "X-Requested-With": "XMLHttpRequest",
      },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (reply) {
        if (response.ok) { return reply; }
        throw refusal(response.status, reply);
      });
    }, function () {
      throw refusal(0, null); // offline, blocked or cut off
    });
  }

  /* Workbook links (a.lm-download[data-edition]) in `container` wait for their file before they are followed: where
   * the platform's workers render workbooks, the server may still be preparing it. Each link's live region
   * (.lm-download-status) shows the server's own words (how long it has been), asked every 2 s at statusUrl; the
   * ready answer may name the URL of the very file it found. */
  function waitForWorkbooks(container, statusUrl) {
    container.querySelectorAll("a.lm-download[data-edition]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        if (link.getAttribute("aria-busy") !== "true") { followWhenReady(link, statusUrl); }
      });
    });
  }

  function followWhenReady(link, statusUrl) {
    var status = link.parentNode.querySelector(".lm-download-status");
    link.setAttribute("aria-busy", "true");
    function ask() {
      postJson(statusUrl, { edition: link.getAttribute("data-edition") }).then(function (reply) {
        status.textContent = reply.message;
        if (!reply.ready) { setTimeout(ask, 2000); return; }
        link.removeAttribute("aria-busy");
        host.location.assign(reply.url || link.href); // reply.url: the very file found ready (a debrief's counts)
      }, function (error) {
        link.removeAttribute("aria-busy");
        if (error.message) { status.textContent = error.message; } else { host.location.assign(link.href); }
      });
    }
    ask();
  }

  var api = { postJson: postJson, csrfToken: csrfToken, refusal: refusal, waitForWorkbooks: waitForWorkbooks };
  if (typeof module === "object" && module.exports) { module.exports = api; } else { host.LeadManageHttp = api; }
})(this);

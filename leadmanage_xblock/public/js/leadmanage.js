/* The XBlock's init function: a backend that talks to this block's handlers, then the shared UI.
 * data = the init data of student_view (see templates/static/js/lesson.js for its keys). */
function LeadManageXBlock(runtime, element, data) {
  "use strict";
  var block = element.jquery ? element[0] : element;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  /* POST JSON to a handler; a refusal becomes an Error carrying the server's readable message. */
  function post(handler, body) {
    return fetch(runtime.handlerUrl(block, handler), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (reply) {
        if (response.ok) { return reply; }
        var error = new Error(reply.error || ""); // no readable message: lesson.js words it in the learner's language
        error.status = response.status;
        error.retry = response.status >= 500 || response.status === 408 || response.status === 429;
        error.conflicts = reply.conflicts; // another tab's saved versions (409), for the learner to choose from
        error.nextAttempt = reply.next_attempt;
        throw error;
      });
    }, function () {
      var error = new Error(""); // offline or blocked: the browser's own message would be in English
      error.retry = true;
      throw error;
    });
  }

  var backend = {
    submitQuiz: function (payload) { return post("submit_quiz", payload); },
    save: function (kind, values, revisions) {
      return post("save_text", { kind: kind, values: values, revisions: revisions });
    },
    saveAnswers: function (payload) { return post("save_answers", payload); },
    remaining: function () { return null; }, // The server's per-field limits apply; there is no shared budget.
  };
  var root = block.querySelector(".lm-module[data-prefix]");
  var learner = block.querySelector("script.lm-learner-data"); // state, results, quiz status
  if (root) { window.LeadManage.start(root, backend, Object.assign({}, data, learner ? JSON.parse(learner.textContent) : {})); }
}

/* The XBlock's init function (a global the runtime calls): a backend that talks to this block's handlers through
 * LeadManageHttp (xblock_http.js), then the shared UI (LeadManage.start, templates/static/js/lesson.js).
 * data = the init data of student_view (see lesson.js for its keys). */
(function (host) {
  "use strict";

  function LeadManageXBlock(runtime, element, data) {
    var block = element.jquery ? element[0] : element;
    function post(handler, body, options) {
      return host.LeadManageHttp.postJson(runtime.handlerUrl(block, handler), body, options);
    }
    host.LeadManageHttp.waitForWorkbooks(block, runtime.handlerUrl(block, "workbook_status"));

    var backend = {
      submitQuiz: function (payload) { return post("submit_quiz", payload); },
      save: function (kind, values, revisions) {
        return post("save_text", { kind: kind, values: values, revisions: revisions });
      },
      saveAnswers: function (payload) { return post("save_answers", payload); },
      saveSection: function (name) { return post("save_section", { section: name }, { keepalive: true }); },
      // No fit() or counterNote(): the server's per-field limits apply, and there is no shared storage budget.
    };
    var root = block.querySelector(".lm-module[data-prefix]");
    var learner = block.querySelector("script.lm-learner-data"); // state, results, quiz status
    if (root) { host.LeadManage.start(root, backend, Object.assign({}, data, learner ? JSON.parse(learner.textContent) : {})); }
  }

  if (typeof module === "object" && module.exports) { module.exports = { LeadManageXBlock: LeadManageXBlock }; }
  else { host.LeadManageXBlock = LeadManageXBlock; }
})(this);

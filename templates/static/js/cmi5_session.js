/* A cmi5 AU session as lesson.js's backend (docs/architecture.md): the learner's work, scored in the page and kept as
 * one State API document (and in this browser), and the statements it earns. "answered" per quiz answer, "responded"
 * per reflection or plan field saved (its length only; its text too when the author exported with --send-text),
 * "completed" and "passed"/"failed" when earned in Normal mode (never in Browse or Review), "terminated" last and once.
 * Review mode shows the stored work read-only and writes nothing: no state, no answers, no judgement.
 * cmi5_launch.js connects it to the LMS's LRS (`lrs`, `launch`, `builder`); until then what needs the LRS waits.
 * Its messages are t("…") strings (js/ui_strings.js). */
(function (root) {
  "use strict";

  const State = root.LeadManageScormState || require("./scorm_state.js");
  const Scoring = root.LeadManageScoring || require("./scoring.js");
  const WORK = "urn:leadmanage:state:work"; // our own state document: the learner's work and what was reported

  function storage() {
    try { return root.localStorage; } catch { return null; }
  }

  function Session(doc, config, moduleRoot, t) {
    this.doc = doc;
    this.config = config;
    this.moduleRoot = moduleRoot;
    this.t = t;
    this.state = State.emptyState();
    this.sent = {completed: false, passed: false}; // per registration: kept in the state document
    this.thisSession = {failed: false, reported: {}};
    this.waiting = [];
    this.connected = false;
    this.finished = false;
    this.lrs = null;
    this.launch = null;
    this.localKey = "leadmanage:cmi5:" + config.lessonId;
  }

  Session.prototype.notice = function (text) {
    const notice = this.doc.querySelector(".lm-module .lm-notice");
    notice.setAttribute("role", "status");
    notice.textContent = text;
    notice.hidden = !text;
  };

  /* `savedAt` tells the LRS's copy from this browser's: the newer one is brought back (see `newer`). */
  Session.prototype.document = function () {
    return {format: 1, work: this.state, sent: this.sent, savedAt: Date.now()};
  };

  /* The newer of two state documents: a last write that never reached the LRS (a page closed mid-request) is still
   * in this browser, and must win over the LRS's older copy. */
  Session.prototype.newer = function (stored, local) {
    if (!stored || !local || local.format !== 1) return stored || local;
    return (local.savedAt || 0) > (stored.savedAt || 0) ? local : stored;
  };

  Session.prototype.stateParams = function (stateId) {
    return {stateId: stateId, activityId: this.launch.activityId, agent: JSON.stringify(this.launch.actor),
      registration: this.launch.registration};
  };

  /* Keep the work in this browser until the LRS has it; the promise settles with the LRS's answer. Review writes
   * nothing. Once the LRS holds the latest work this browser's copy goes: a shared computer keeps no one's texts. */
  Session.prototype.store = function () {
    if (this.reviewing()) return Promise.resolve();
    const session = this, kept = this.document();
    try { storage().setItem(this.localKey, JSON.stringify(kept)); } catch { /* the LRS copy remains */ }
    if (!this.lrs || !this.launch) return Promise.resolve();
    return this.lrs.putState(this.stateParams(WORK), kept).then(function (written) {
      const local = session.localCopy();
      if (written === kept && local && local.savedAt === kept.savedAt) {
        try { storage().removeItem(session.localKey); } catch { /* nothing to remove */ }
      }
    });
  };

  Session.prototype.localCopy = function () {
    try { return JSON.parse(storage().getItem(this.localKey)); } catch { return null; }
  };

  /* The pass mark as a fraction, or null (completion only). The LMS's masteryScore wins over the package's; without
   * one, a moveOn that needs no pass (Completed, NotApplicable) means the LMS grades this AU on completion only. */
  Session.prototype.mastery = function () {
    const launch = this.launch;
    if (launch && typeof launch.masteryScore === "number") return launch.masteryScore;
    if (launch && launch.moveOn && launch.moveOn.indexOf("Passed") < 0) return null;
    return this.config.mastery === null ? null : this.config.mastery / 100;
  };

  Session.prototype.normal = function () {
    return !this.launch || this.launch.launchMode === "Normal";
  };

  Session.prototype.reviewing = function () {
    return !!this.launch && this.launch.launchMode === "Review";
  };

  /* Review mode: the stored work is shown as it is, and nothing in the page can change it. */
  Session.prototype.readOnly = function () {
    this.moduleRoot.querySelectorAll(".lm-quiz input, .lm-submit-quiz, .lm-save").forEach(function (control) {
      control.disabled = true;
    });
    this.moduleRoot.querySelectorAll(".lm-field textarea").forEach(function (field) { field.readOnly = true; });
  };

  Session.prototype.whenConnected = function (work) {
    const session = this;
    const connected = this.connected ? Promise.resolve() : new Promise(function (go) { session.waiting.push(go); });
    return connected.then(work);
  };

  Session.prototype.backend = function () {
    const session = this;
    return {
      submitQuiz: function (input) { return session.whenConnected(function () { return session.submit(input); }); },
      save: function (kind, values) {
        return session.whenConnected(function () { return session.save(kind, values); });
      },
    };
  };

  function ended(t) {
    return final(t("this session has ended; open the module again to continue"));
  }

  function final(message) {
    const error = new Error(message);
    error.retry = false;
    return error;
  }

  function reviewOnly(t) {
    return final(t("you are reviewing your work, so nothing is changed"));
  }

  Session.prototype.results = function () {
    const mastery = this.mastery();
    const results = Scoring.results(this.config.key, this.state.answers, this.state.ratings,
      mastery === null ? 0 : mastery * 100);
    if (mastery !== null) results.score.passed = this.scaled(results) >= mastery;
    return results;
  };

  Session.prototype.scaled = function (results) {
    return results.score.total ? Math.round(results.score.correct / results.score.total * 10000) / 10000 : 0;
  };

  Session.prototype.submit = function (input) {
    if (this.finished) return Promise.reject(ended(this.t));
    if (this.reviewing()) return Promise.reject(reviewOnly(this.t));
    this.state.answers = input.answers;
    this.state.ratings = input.ratings;
    this.state.submitted = true;
    const results = this.results();
    this.report(this.answered(input).concat(this.judged(results)));
    this.store().catch(function () { /* the outbox retries and the notice says so */ });
    return results;
  };

  Session.prototype.report = function (statements) {
    if (this.lrs && this.launch && statements.length) this.lrs.send(statements);
  };

  /* One "answered" per item answered, in the quiz's order (the config's maps are sorted by id). */
  Session.prototype.answered = function (input) {
    if (!this.launch) return [];
    const activities = this.config.activities, builder = this.builder, key = this.config.key;
    const choices = key.scenarios.map(function (item) { return [item.id, input.answers[item.id]]; });
    const points = key.ratings.map(function (item) { return [item.id, input.ratings[item.id]]; });
    return choices.concat(points).filter(function (pair) { return pair[1] !== undefined && pair[1] !== null; })
      .map(function (pair) { return builder.answered(activities[pair[0]], pair[1]); });
  };

  /* completed once per registration; passed once, failed at most once a session and never after passed. */
  Session.prototype.judged = function (results) {
    if (!this.launch || !this.normal()) return [];
    const statements = [];
    if (!this.sent.completed) {
      statements.push(this.builder.completed());
      this.sent.completed = true;
    }
    const mastery = this.mastery();
    if (mastery === null || this.sent.passed) return statements;
    const passed = results.score.passed;
    if (!passed && this.thisSession.failed) return statements;
    statements.push(this.builder.judged(results.score.correct, results.score.total, mastery));
    if (passed) this.sent.passed = true;
    else this.thisSession.failed = true;
    return statements;
  };

  Session.prototype.save = function (kind, values) {
    if (this.finished) return Promise.reject(ended(this.t));
    if (this.reviewing()) return Promise.reject(reviewOnly(this.t));
    this.state = State.withTexts(this.state, kind, values);
    this.report(this.responded(kind, values));
    return this.store().then(function () { return {saved_at: new Date().toISOString(), values: values}; });
  };

  /* One "responded" per field of `kind` whose text changed since it was last reported this session: its length,
   * and its text only when the author exported the package with --send-text. */
  Session.prototype.responded = function (kind, values) {
    if (!this.launch) return [];
    const session = this, reported = this.thisSession.reported;
    return Object.keys(values).filter(function (id) {
      const key = kind + ":" + id;
      return session.config.activities[key] && values[id] && reported[key] !== values[id];
    }).map(function (id) {
      const key = kind + ":" + id;
      reported[key] = values[id];
      return session.builder.responded(session.config.activities[key], values[id], !!session.config.sendText);
    });
  };

  /* The texts as they stand in the page, saved or not. */
  Session.prototype.withPageTexts = function () {
    const texts = {reflection: {}, action_plan: {}};
    this.moduleRoot.querySelectorAll(".lm-field[data-kind] textarea").forEach(function (field) {
      const box = field.closest(".lm-field");
      texts[box.getAttribute("data-kind")][box.getAttribute("data-field")] = field.value;
    });
    return State.withTexts(State.withTexts(this.state, "reflection", texts.reflection), "action_plan",
      texts.action_plan);
  };

  /* Bring back `saved` (a state document), merged with the work done in the page meanwhile, and do what waited. */
  Session.prototype.resume = function (saved) {
    const work = saved && saved.format === 1 ? State.decode(State.encode(saved.work)) : null;
    if (saved && saved.format === 1 && saved.sent) this.sent = {completed: !!saved.sent.completed, passed: !!saved.sent.passed};
    this.state = State.merge(work || State.emptyState(), this.withPageTexts(), function () { return true; });
    this.module.restore(this.state);
    if (this.state.submitted) this.module.showResults(this.results());
    if (this.reviewing()) this.readOnly();
    const location = this.state.location;
    if (location && this.moduleRoot.querySelector(".lm-panel[data-section='" + CSS.escape(location) + "']")) {
      this.module.show(location);
    }
    this.connected = true;
    this.waiting.splice(0).forEach(function (go) { go(); });
  };

  /* After Finish the learner cannot keep working, and may be about to close the window: say what that means. */
  Session.prototype.lrsStatus = function (ok) {
    if (ok) this.notice(this.t("Connection restored: all your work is saved."));
    else if (this.finished) this.notice(this.t("Your LMS is not answering. Your work is kept in this browser: leave this window open to send it now, or open the module again later in this browser."));
    else this.notice(this.t("Your work could not be sent to your LMS just now. It is kept in this browser and sent again automatically; you can keep working."));
  };

  /* End the session once: store the work, send "terminated" last, then go where the LMS asked (Finish only). */
  Session.prototype.finish = function (explicit) {
    if (this.finished || !this.connected) return;
    this.state = this.withPageTexts();
    this.store().catch(function () {});
    this.module.restore(this.state); // all is stored or queued: nothing is left to warn about when leaving
    this.finished = true;
    if (!this.lrs || !this.launch) return;
    this.lrs.send([this.builder.terminated()]);
    if (!explicit) { this.lrs.flushOnHide(); return; }
    if (this.lrs.failures) this.lrsStatus(false); // said now, not at the next retry up to 30 s away
    this.afterDelivery();
  };

  Session.prototype.afterDelivery = function () {
    const session = this;
    if (!this.lrs.idle()) { setTimeout(function () { session.afterDelivery(); }, 250); return; }
    // Only a web address: a javascript: URL in LaunchData would run in this page.
    if (/^https?:/i.test(this.launch.returnURL || "")) root.location.assign(this.launch.returnURL);
    else this.notice(this.t("Your work is saved. You can close this window."));
  };

  const api = {Session: Session, storage: storage, WORK: WORK};
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.LeadManageCmi5Session = api;
})(this);

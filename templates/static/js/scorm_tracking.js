/* What the LMS is told: status, score, interactions, suspend_data, session time and exit, in the
 * vocabulary of SCORM 1.2 or 2004. `conn` is a LeadManageScormApi.Connection (or the standalone
 * store); `config` comes from the page (see exporters/scorm.py: page_config). */
(function (root) {
  "use strict";

  const Api = root.LeadManageScormApi || (typeof require === "function" ? require("./scorm_api.js") : null);
  const NAMES = {
    "1.2": {status: "cmi.core.lesson_status", raw: "cmi.core.score.raw", min: "cmi.core.score.min",
      max: "cmi.core.score.max", exit: "cmi.core.exit", session: "cmi.core.session_time",
      mastery: "cmi.student_data.mastery_score", response: "student_response", wrong: "wrong",
      mode: "cmi.core.lesson_mode"},
    "2004": {status: "cmi.completion_status", raw: "cmi.score.raw", min: "cmi.score.min", max: "cmi.score.max",
      exit: "cmi.exit", session: "cmi.session_time", mastery: "cmi.scaled_passing_score",
      response: "learner_response", wrong: "incorrect", mode: "cmi.mode"},
  };
  const FINAL_12 = ["completed", "passed", "failed"];
  const MAX_PROBE = 1000;

  function Tracker(conn, config) {
    this.conn = conn;
    this.config = config;
    this.names = NAMES[config.version];
    this.is2004 = config.version === "2004";
    this.startedAt = Date.now();
    this.indexes = {};
    this.count = 0;
    this.reviewing = false;
  }

  /* Open the session and learn what the LMS already holds. Returns the stored suspend_data text; null when the
   * session did not open, false when the LMS could not say what it holds (never to be taken for a first visit). */
  Tracker.prototype.open = function () {
    if (!this.conn.open()) return null;
    // "review" and "browse" must not change the record; "" (some LMSs never set it) means normal.
    this.mode = this.conn.get(this.names.mode);
    this.reviewing = ["review", "browse"].indexOf(this.mode) >= 0;
    this.count = this.interactionCount();
    const stored = this.conn.read("cmi.suspend_data");
    return stored === null ? false : stored;
  };

  /* The LMS's interaction count; when it gives none (Open edX returns ""), count the readable ids. */
  Tracker.prototype.interactionCount = function () {
    const text = this.conn.get("cmi.interactions._count");
    const count = /^\d+$/.test(text) ? parseInt(text, 10) : null;
    if (!this.is2004) return count === null ? 0 : count;
    let index = 0;
    for (; index < (count === null ? MAX_PROBE : count); index += 1) {
      const id = this.conn.get("cmi.interactions." + index + ".id");
      if (!id) break;
      this.indexes[id] = index;
    }
    return count === null ? index : count;
  };

  /* The pass mark in percent: the LMS's, when it sets one, wins over the package's. */
  Tracker.prototype.mastery = function () {
    if (this.config.mastery === null) return null;
    const text = this.conn.get(this.names.mastery);
    const value = text === "" ? NaN : Number(text);
    // 0.8 * 100 is 80.00000000000001 in floating point: round, or 80 % would not pass 80 %.
    const percent = this.is2004 ? Math.round(value * 1e8) / 1e6 : value;
    // A mark outside 0-100 % (-50, or 7 read as 700 %) is the LMS's mistake: the package's own mark stands.
    return percent >= 0 && percent <= 100 ? percent : this.config.mastery;
  };

  /* At launch: status "incomplete" unless the learner already finished the quiz (then re-state it). */
  Tracker.prototype.start = function (saved) {
    if (this.reviewing) return;
    if (saved && saved.results) {
      this.reportResult(saved.results);
      return;
    }
    const current = this.conn.get(this.names.status);
    const done = this.is2004 ? current === "completed" : FINAL_12.indexOf(current) >= 0;
    if (!done) this.conn.set(this.names.status, "incomplete");
    this.conn.commit();
  };

  /* Completion, and in graded mode score and pass/fail; `results.score.passed` used this.mastery(). */
  Tracker.prototype.reportResult = function (results) {
    if (this.reviewing) return false;
    const percent = results.score.percent;
    const graded = this.config.mastery !== null;
    if (graded) {
      this.conn.set(this.names.raw, percent);
      this.conn.set(this.names.min, 0);
      this.conn.set(this.names.max, 100);
      if (this.is2004) this.conn.set("cmi.score.scaled", percent / 100);
    }
    const passed = graded && results.score.passed === true;
    if (this.is2004) {
      this.conn.set("cmi.completion_status", "completed");
      if (graded) this.conn.set("cmi.success_status", passed ? "passed" : "failed");
    } else {
      // 1.2 has one status; "failed" alone leaves some players (Open edX) at "incomplete", so state
      // completion first: the last value, "failed", is what the LMS keeps.
      if (!graded || !passed) this.conn.set("cmi.core.lesson_status", "completed");
      if (graded) this.conn.set("cmi.core.lesson_status", passed ? "passed" : "failed");
    }
    this.conn.commit();
    return passed;
  };

  Tracker.prototype.indexFor = function (id) {
    if (this.indexes[id] === undefined) {
      this.indexes[id] = this.count;
      this.count += 1;
    }
    return this.indexes[id];
  };

  /* One interaction; `id` first (2004 refuses the rest before it), then type, then the data. */
  Tracker.prototype.interaction = function (id, type, response, result, pattern) {
    const prefix = "cmi.interactions." + this.indexFor(id) + ".";
    const now = new Date();
    this.conn.set(prefix + "id", id);
    this.conn.set(prefix + "type", type);
    if (this.is2004) this.conn.set(prefix + "timestamp", Api.timestamp2004(now));
    else this.conn.set(prefix + "time", Api.time12(now));
    if (pattern !== undefined) this.conn.set(prefix + "correct_responses.0.pattern", pattern);
    this.conn.set(prefix + this.names.response, response);
    this.conn.set(prefix + "result", result);
  };

  /* Scenario items as `choice` with their result, self-ratings as `likert` with `neutral`. */
  Tracker.prototype.reportQuiz = function (answers, ratings) {
    if (this.reviewing) return;
    const ids = this.config.interactions;
    this.config.key.scenarios.forEach(function (item) {
      const chosen = answers[item.id];
      const result = chosen === item.correct ? "correct" : this.names.wrong;
      this.interaction(ids[item.id], "choice", this.choiceResponse(item, chosen), result,
        this.choiceResponse(item, item.correct));
    }, this);
    this.config.key.ratings.forEach(function (item) {
      if (ratings[item.id] !== undefined) this.interaction(ids[item.id], "likert", String(ratings[item.id]), "neutral");
    }, this);
  };

  /* 1.2 choice responses are single characters: the option's position as a letter. */
  Tracker.prototype.choiceResponse = function (item, optionId) {
    if (this.is2004) return optionId;
    return String.fromCharCode(97 + item.options.indexOf(optionId));
  };

  /* Reflection answers as `long-fill-in` (2004) or `fill-in` (1.2). LMSs refuse newlines here, so
   * they get a one-line copy cut to the element's size; the exact text lives in suspend_data. */
  Tracker.prototype.reportReflection = function (texts) {
    if (this.reviewing) return;
    const limit = this.is2004 ? 4000 : 255;
    Object.keys(texts).forEach(function (promptId) {
      const id = this.config.interactions["reflection:" + promptId];
      const line = Array.from(String(texts[promptId]).replace(/\s+/g, " ").trim()).slice(0, limit).join("");
      if (id && line) this.interaction(id, this.is2004 ? "long-fill-in" : "fill-in", line, "neutral");
    }, this);
  };

  /* The bookmark LMSs show and keep: the section the learner is on. */
  Tracker.prototype.setLocation = function (section) {
    if (this.reviewing) return;
    this.conn.set(this.is2004 ? "cmi.location" : "cmi.core.lesson_location", section);
  };

  Tracker.prototype.storeState = function (encoded) {
    return this.conn.set("cmi.suspend_data", encoded) && this.conn.commit();
  };

  /* Session time and exit, then Terminate/LMSFinish once. Leaving keeps the attempt open
   * ("suspend") unless the learner pressed Finish on a completed module. */
  Tracker.prototype.finish = function (explicit, complete) {
    const elapsed = Date.now() - this.startedAt;
    this.conn.set(this.names.session, this.is2004 ? Api.sessionTime2004(elapsed) : Api.sessionTime12(elapsed));
    const ending = explicit && complete;
    this.conn.set(this.names.exit, ending ? (this.is2004 ? "normal" : "") : "suspend");
    return this.conn.finish();
  };

  const api = {Tracker: Tracker};
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.LeadManageScormTracking = api;
})(this);

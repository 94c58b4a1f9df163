/* The SCORM launch page: find the LMS, restore the learner's work, start lesson.js with a backend
 * that scores in the page and reports to the LMS, and end the session exactly once.
 * Without an LMS the module still works ("standalone mode"): progress stays in localStorage.
 * Its messages are t("…") strings, translated by the module's strings map (js/ui_strings.js). */
(function (root) {
  "use strict";

  const Api = root.LeadManageScormApi || require("./scorm_api.js");
  const State = root.LeadManageScormState || require("./scorm_state.js");
  const Scoring = root.LeadManageScoring || require("./scoring.js");
  const Tracking = root.LeadManageScormTracking || require("./scorm_tracking.js");
  const Strings = root.LeadManageStrings || require("./ui_strings.js");
  const DISCOVERY_MS = 5000;
  const DISCOVERY_STEP_MS = 250;

  /* Stands in for the LMS when there is none: keeps suspend_data in this browser. */
  function LocalStore(key) {
    this.key = key;
    this.log = [];
    this.data = {};
  }
  LocalStore.prototype.open = function () { return true; };
  LocalStore.prototype.get = function (element) {
    if (element !== "cmi.suspend_data") return this.data[element] || "";
    try { return root.localStorage.getItem(this.key) || ""; } catch { return ""; }
  };
  LocalStore.prototype.set = function (element, value) {
    this.data[element] = String(value);
    if (element !== "cmi.suspend_data") return true;
    try { root.localStorage.setItem(this.key, String(value)); return true; } catch { return false; }
  };
  LocalStore.prototype.commit = function () { return true; };
  LocalStore.prototype.finish = function () { return true; };

  function readConfig(doc) {
    return JSON.parse(doc.getElementById("lm-scorm-config").textContent);
  }

  /* The module's notice line starts as "Connecting to your LMS…"; it then says what happened, or goes. */
  function showNotice(doc, text) {
    const notice = doc.querySelector(".lm-module .lm-notice");
    notice.setAttribute("role", "status");
    notice.textContent = text;
    notice.hidden = !text;
  }

  /* The learner's answers and texts, kept in step with the page and stored as suspend_data; `t` words messages. */
  function Session(tracker, config, state, moduleRoot, t) {
    this.tracker = tracker;
    this.config = config;
    this.state = state;
    this.moduleRoot = moduleRoot;
    this.t = t;
    this.finished = false;
  }

  /* Store the state, unless the LMS holds progress this page could not read and the learner has not yet chosen
   * to start afresh: that copy is never overwritten behind their back. */
  Session.prototype.store = function () {
    if (this.frozen) return false;
    return this.tracker.storeState(State.encode(this.state));
  };

  Session.prototype.remaining = function (state) {
    return State.remaining(state, this.config.budget, this.config.key);
  };

  /* The state with every text as it stands in the page (saved or not) and `values` for `kind`:
   * the budget counts what is typed everywhere, so no field can take room another one needs. */
  Session.prototype.withPageTexts = function (kind, values) {
    const texts = {reflection: {}, action_plan: {}};
    this.moduleRoot.querySelectorAll(".lm-field[data-kind] textarea").forEach(function (field) {
      const box = field.closest(".lm-field");
      texts[box.getAttribute("data-kind")][box.getAttribute("data-field")] = field.value;
    });
    if (kind) Object.assign(texts[kind], values);
    return State.withTexts(State.withTexts(this.state, "reflection", texts.reflection), "action_plan", texts.action_plan);
  };

  Session.prototype.results = function () {
    const mastery = this.tracker.mastery();
    return Scoring.results(this.config.key, this.state.answers, this.state.ratings, mastery === null ? 0 : mastery);
  };

  /* The lesson.js backend (docs/architecture.md). */
  Session.prototype.backend = function () {
    const session = this;
    const t = this.t;
    return {
      submitQuiz: function (input) {
        if (session.finished) return Promise.reject(ended(t));
        if (session.frozen) return Promise.reject(unreadable(t));
        session.state.answers = input.answers;
        session.state.ratings = input.ratings;
        session.state.submitted = true;
        const results = session.results();
        session.tracker.reportQuiz(input.answers, input.ratings);
        session.tracker.reportResult(results);
        session.store();
        return Promise.resolve(results);
      },
      save: function (kind, values) {
        if (session.finished) return Promise.reject(ended(t));
        if (session.frozen) return Promise.reject(unreadable(t));
        if (session.remaining(session.withPageTexts(kind, values)) < 0) {
          return Promise.reject(refusal(t("No saving space left: shorten another answer first.")));
        }
        const next = State.withTexts(session.state, kind, values);
        session.state = next;
        if (!session.store()) return Promise.reject(new Error(t("the LMS did not accept the data")));
        if (kind === "reflection") session.tracker.reportReflection(values);
        return Promise.resolve({saved_at: new Date().toISOString()});
      },
      remaining: function (kind, values) {
        return session.remaining(session.withPageTexts(kind, values));
      },
    };
  };

  /* A refusal that retrying cannot change. */
  function refusal(message) {
    const error = new Error(message);
    error.retry = false;
    return error;
  }

  /* After Finish the LMS takes nothing more; say so instead of retrying for ever. */
  function ended(t) {
    return refusal(t("this session has ended; open the module again to continue"));
  }

  function unreadable(t) {
    return refusal(t("your earlier progress could not be read; choose above whether to start afresh"));
  }

  /* Radio changes are stored at once, so a learner who leaves before submitting keeps every answer. */
  Session.prototype.watchAnswers = function () {
    const session = this;
    this.moduleRoot.addEventListener("change", function (event) {
      const input = event.target;
      const fieldset = input.closest ? input.closest("fieldset[data-item]") : null;
      if (!fieldset || input.type !== "radio" || session.finished) return;
      const id = fieldset.getAttribute("data-item");
      if (fieldset.classList.contains("lm-rating")) session.state.ratings[id] = parseInt(input.value, 10);
      else session.state.answers[id] = input.value;
      session.store();
    });
  };

  /* Take in the texts as they stand in the page, including what autosave has not sent yet. */
  Session.prototype.captureTexts = function () {
    const next = this.withPageTexts();
    if (this.remaining(next) >= 0) this.state = next;
  };

  /* Remember the section the learner opens, to bring them back to it next time. */
  Session.prototype.watchLocation = function () {
    const session = this;
    this.moduleRoot.addEventListener("click", function (event) {
      const link = event.target.closest ? event.target.closest("a[data-go]") : null;
      if (!link || session.finished || session.frozen) return;
      session.state.location = link.getAttribute("data-go");
      session.tracker.setLocation(session.state.location);
      session.store();
    });
  };

  /* Store everything, then end the session; runs once, from pagehide or the Finish button. */
  Session.prototype.finish = function (explicit) {
    if (this.finished) return;
    this.finished = true;
    this.captureTexts();
    if (!this.frozen) {
      this.tracker.conn.set("cmi.suspend_data", State.encode(this.state));
      this.tracker.reportReflection(this.state.reflection);
    }
    this.tracker.finish(explicit, this.state.submitted);
  };

  /* The LMS holds progress this page cannot read: say so, store nothing, until the learner chooses to start afresh. */
  function keepUnreadable(doc, session) {
    const notice = doc.querySelector(".lm-scorm-unreadable");
    session.frozen = true;
    notice.hidden = false;
    notice.querySelector("button").addEventListener("click", function () {
      session.frozen = false;
      session.captureTexts();
      session.store();
      notice.hidden = true;
    });
  }

  function watchPage(doc, session) {
    root.addEventListener("pagehide", function () { session.finish(false); });
    doc.addEventListener("visibilitychange", function () {
      if (doc.visibilityState === "hidden" && !session.finished) {
        session.captureTexts();
        session.store();
      }
    });
    const button = doc.querySelector(".lm-scorm-finish");
    button.addEventListener("click", function () {
      session.finish(true);
      button.disabled = true;
      showNotice(doc, session.t("Your work is saved. You can close this window."));
    });
  }

  function connect(doc, config, api, t) {
    if (api) {
      const conn = new Api.Connection(api, config.version);
      root.LeadManageScormLog = conn.log; // for support: every refused call, with its error code
      const tracker = new Tracking.Tracker(conn, config);
      const stored = tracker.open();
      if (stored !== null) {
        showNotice(doc, "");
        return {tracker: tracker, stored: stored, mode: "lms"};
      }
      showNotice(doc, t("The LMS did not start this session: your progress is kept in this browser only."));
    } else {
      showNotice(doc, t("Standalone mode: no LMS was found, so your progress is kept in this browser only."));
    }
    // Reached only without a working LMS: progress goes to this browser instead.
    const local = new Tracking.Tracker(new LocalStore("leadmanage:" + config.lessonId + ":" + config.version), config);
    return {tracker: local, stored: local.open(), mode: "standalone"};
  }

  function boot(doc) {
    const config = readConfig(doc);
    const moduleRoot = doc.querySelector(".lm-module");
    const t = Strings.translator(moduleRoot);
    moduleRoot.appendChild(doc.querySelector(".lm-scorm-actions"));
    moduleRoot.insertBefore(doc.querySelector(".lm-scorm-unreadable"), moduleRoot.querySelector(".lm-nav"));
    Api.discoverApi(root, config.version, DISCOVERY_MS, DISCOVERY_STEP_MS).then(function (api) {
      const link = connect(doc, config, api, t);
      const decoded = State.decode(link.stored);
      const saved = decoded || State.emptyState();
      const session = new Session(link.tracker, config, saved, moduleRoot, t);
      if (decoded === undefined) keepUnreadable(doc, session);
      const results = saved.submitted ? session.results() : null;
      link.tracker.start(results ? {results: results} : null);
      session.watchAnswers();
      session.watchLocation();
      watchPage(doc, session);
      const module = root.LeadManage.start(moduleRoot, session.backend(), {state: saved, results: results});
      if (saved.location === "plan") saved.location = "action_plan"; // the bookmark's name before 0.2
      if (saved.location && moduleRoot.querySelector(".lm-panel[data-section='" + CSS.escape(saved.location) + "']")) {
        module.show(saved.location);
      }
      doc.documentElement.setAttribute("data-scorm", link.mode);
    }).catch(function (error) {
      console.error(error); // our own bug: LMS failures are caught where they happen
    });
  }

  if (root.document && root.document.getElementById("lm-scorm-config")) boot(root.document);

  const api = {boot: boot};
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.LeadManageScormLaunch = api;
})(this);

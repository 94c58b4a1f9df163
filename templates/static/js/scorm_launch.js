/* The SCORM launch page: start lesson.js at once with a backend that scores in the page and reports to the LMS,
 * find the LMS in the background, then bring back the learner's saved work merged with what they did meanwhile,
 * write what waited, and end the session exactly once.
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
  LocalStore.prototype.read = LocalStore.prototype.get;
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

  /* The learner's answers and texts, kept in step with the page and stored as suspend_data; `t` words messages.
   * The page works before the LMS is found: until then `tracker` is null, choices and the section wait in `state`,
   * texts in the page, and what needs the LMS (saving, submitting, Finish) in `waiting`; `connect` writes them. */
  function Session(doc, config, moduleRoot, t) {
    this.doc = doc;
    this.config = config;
    this.state = State.emptyState();
    this.moduleRoot = moduleRoot;
    this.t = t;
    this.tracker = null;
    this.waiting = [];
    this.finished = false;
  }

  /* Store the state, unless the LMS holds progress this page could not read and the learner has not yet chosen
   * to start afresh: that copy is never overwritten behind their back. */
  Session.prototype.store = function () {
    if (!this.writes()) return false;
    return this.tracker.storeState(State.encode(this.state));
  };

  /* Whether the learner's work may be written: the LMS is found, its copy was read, and it is not a review. */
  Session.prototype.writes = function () {
    return !!this.tracker && !this.frozen && !this.tracker.reviewing;
  };

  /* Characters left once `state` is stored with the rest of the quiz answered (State.remaining) and every empty
   * text field holding one character. Each field's key is paid for up front, as the exporter's text_room counts
   * it, so the room a counter shows fits in any one field, an empty one included. */
  Session.prototype.remaining = function (state) {
    const paid = {reflection: {}, action_plan: {}};
    let empty = 0;
    this.textFields().forEach(function (field) {
      const box = field.closest(".lm-field"), kind = box.getAttribute("data-kind"), id = box.getAttribute("data-field");
      if (state[kind][id]) return;
      paid[kind][id] = "x";
      empty += 1;
    });
    const full = State.withTexts(State.withTexts(state, "reflection", paid.reflection), "action_plan", paid.action_plan);
    return State.remaining(full, this.config.budget, this.config.key) + empty;
  };

  /* The state with every text as it stands in the page (saved or not) and `values` for `kind`:
   * the budget counts what is typed everywhere, so no field can take room another one needs. */
  Session.prototype.withPageTexts = function (kind, values) {
    const texts = {reflection: {}, action_plan: {}};
    this.textFields().forEach(function (field) {
      const box = field.closest(".lm-field");
      texts[box.getAttribute("data-kind")][box.getAttribute("data-field")] = field.value;
    });
    if (kind) Object.assign(texts[kind], values);
    return State.withTexts(State.withTexts(this.state, "reflection", texts.reflection), "action_plan", texts.action_plan);
  };

  Session.prototype.textFields = function () {
    return Array.from(this.moduleRoot.querySelectorAll(".lm-field[data-kind] textarea"));
  };

  /* Whether `state`, with `text` in field `id` of `kind`, fits both the field's own limit and the budget. */
  Session.prototype.fits = function (state, kind, id, text) {
    const field = this.moduleRoot.querySelector(".lm-field[data-kind='" + kind + "'][data-field='" + CSS.escape(id) +
      "'] textarea");
    return (!field || field.maxLength < 0 || text.length <= field.maxLength) && this.remaining(state) >= 0;
  };

  Session.prototype.results = function () {
    const mastery = this.tracker.mastery();
    return Scoring.results(this.config.key, this.state.answers, this.state.ratings, mastery === null ? 0 : mastery);
  };

  /* A promise settled by `work()` once the LMS (or, without one, this browser's store) is connected. */
  Session.prototype.whenConnected = function (work) {
    const session = this;
    const connected = this.tracker ? Promise.resolve() : new Promise(function (go) { session.waiting.push(go); });
    return connected.then(work);
  };

  /* The lesson.js backend (docs/architecture.md). */
  Session.prototype.backend = function () {
    const session = this;
    return {
      submitQuiz: function (input) {
        return session.whenConnected(function () { return session.submit(input); });
      },
      save: function (kind, values) {
        const early = !session.tracker; // the page's texts were merged with the LMS's copy when it was found
        return session.whenConnected(function () { return session.save(kind, values, early); });
      },
      fit: function (kind, id, accepted, edited, caret) {
        return session.roomLeft() < 0 ? session.fit(kind, id, accepted, edited, caret) : null;
      },
      counterNote: function (field) {
        return session.counterNote(field);
      },
    };
  };

  /* Characters left in the budget with every text as it stands in the page. */
  Session.prototype.roomLeft = function () {
    return this.remaining(this.withPageTexts());
  };

  /* What a field's counter adds when the budget every answer shares leaves it less room than its own limit. */
  Session.prototype.counterNote = function (field) {
    const left = this.roomLeft();
    if (field.maxLength < 0 || left >= field.maxLength - field.value.length) return "";
    return this.t("only %(left)s more fit: the saving space is shared by all your answers", {left: Math.max(0, left)});
  };

  /* Why the LMS cannot take a write now, or null. */
  Session.prototype.refusal = function () {
    if (this.finished) return ended(this.t);
    return this.frozen ? unreadable(this.t) : null;
  };

  Session.prototype.submit = function (input) {
    if (this.refusal()) return Promise.reject(this.refusal());
    this.state.answers = input.answers;
    this.state.ratings = input.ratings;
    this.state.submitted = true;
    const results = this.results();
    this.tracker.reportQuiz(input.answers, input.ratings);
    this.tracker.reportResult(results);
    this.store();
    return results;
  };

  /* Store `values` of `kind`; the reply says what is kept. `early`: sent before the LMS was found, so they may be
   * older than what the merge with the LMS's copy put in the page and the state: that is stored instead. */
  Session.prototype.save = function (kind, values, early) {
    if (this.refusal()) return Promise.reject(this.refusal());
    if (this.tracker.reviewing) return Promise.reject(refusal(this.t("you are reviewing your work, so nothing is changed")));
    if (!early) this.state = State.withTexts(this.state, kind, values);
    if (!this.store()) return Promise.reject(new Error(this.t("the LMS did not accept the data")));
    const kept = {};
    Object.keys(values).forEach(function (id) { kept[id] = this.state[kind][id] || ""; }, this);
    if (kind === "reflection") this.tracker.reportReflection(kept);
    return {saved_at: new Date().toISOString(), values: kept};
  };

  /* Typing or a paste that overflows the budget: keep as much of the new text as fits, and say what and why. */
  Session.prototype.fit = function (kind, id, accepted, edited, caret) {
    const session = this;
    const fit = State.keepWhatFits(accepted, edited, caret, function (text) {
      return session.remaining(session.withPageTexts(kind, {[id]: text})) >= 0;
    });
    const counts = {kept: fit.kept, added: fit.added, version: this.config.version,
      budget: this.config.budget.toLocaleString(this.doc.documentElement.lang || undefined)};
    fit.message = fit.kept ?
      this.t("Kept %(kept)s of the %(added)s characters you added: SCORM %(version)s stores at most %(budget)s characters for all your answers together, quiz included.", counts) :
      this.t("None of the %(added)s characters you added fit: SCORM %(version)s stores at most %(budget)s characters for all your answers together, quiz included.", counts);
    // Only where another answer holds text can shortening it make room.
    const others = this.textFields().some(function (field) {
      return field.closest(".lm-field").getAttribute("data-field") !== id && field.value.trim();
    });
    if (others) fit.message += " " + this.t("Shorten another answer to make room.");
    return fit;
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

  /* What a review or browse session is (SCORM's "review" and "browse" modes): the LMS's record stays as it is. */
  function lookingThrough(t) {
    return t("You are looking through this module: your answers are not graded and your result is unchanged.");
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
      session.storeChoice();
    });
  };

  /* Store a choice the learner just made; while the LMS refuses them, say so (each store sends every choice). */
  Session.prototype.storeChoice = function () {
    if (!this.writes()) return; // written when the LMS is found, kept until the learner chooses, or a review
    const refused = this.t("The LMS did not accept your latest choice; it is sent again with your next change.");
    const notice = this.doc.querySelector(".lm-module .lm-notice");
    if (!this.store()) showNotice(this.doc, refused);
    else if (notice.textContent === refused) showNotice(this.doc, "");
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
      if (!session.writes()) return; // written when the LMS is found
      session.tracker.setLocation(session.state.location);
      session.store();
    });
  };

  /* Store everything, then end the session; runs once, from pagehide or the Finish button. Returns whether the
   * LMS took the work and ended the session. */
  Session.prototype.finish = function (explicit) {
    if (this.finished) return false;
    // Leaving before discovery ended: look for the LMS once more, else keep the work in this browser.
    if (!this.tracker) this.connect(Api.findApi(root, this.config.version));
    this.finished = true;
    this.captureTexts();
    const stored = this.writes() && this.tracker.conn.set("cmi.suspend_data", State.encode(this.state));
    if (stored) {
      this.tracker.reportReflection(this.state.reflection);
      this.module.restore(this.state); // all is stored: nothing is left to warn about when the learner leaves
    }
    return this.tracker.finish(explicit, this.state.submitted) && stored;
  };

  /* What Finish tells the learner: saved, or why not and what to do (their text is still on the page). */
  Session.prototype.finishedNotice = function (saved) {
    if (saved) return this.t("Your work is saved. You can close this window.");
    if (this.tracker.reviewing) return lookingThrough(this.t);
    if (this.frozen) {
      return this.t("Nothing from this session was saved: your earlier progress could not be read. Copy any text you want to keep before closing this window.");
    }
    return this.t("The LMS did not confirm that your work is saved. Copy any text you want to keep before closing this window, and tell your course team.");
  };

  /* Take the LMS found (`api`, or null: this browser's store instead), once: bring back the work it holds, merged
   * with what the learner did meanwhile, write what is new, then do what waited for it. */
  Session.prototype.connect = function (api) {
    if (this.tracker) return;
    const link = openStore(this.doc, this.config, api, this.t);
    this.tracker = link.tracker;
    const saved = link.stored === false ? undefined : State.decode(link.stored); // false: the LMS could not say
    if (saved === undefined) {
      keepUnreadable(this.doc, this);
      this.tracker.start(null);
    } else {
      this.resume(saved || State.emptyState());
    }
    if (this.tracker.reviewing) showNotice(this.doc, lookingThrough(this.t));
    this.doc.documentElement.setAttribute("data-scorm", link.mode);
    this.waiting.splice(0).forEach(function (go) { go(); });
  };

  /* `saved` (the store's copy) merged with the page's work, put into the page and reported; stored if it changed. */
  Session.prototype.resume = function (saved) {
    const session = this, page = this.withPageTexts();
    if (saved.location === "plan") saved.location = "action_plan"; // the bookmark's name before 0.2
    this.state = State.merge(saved, page, function (state, kind, id, text) { return session.fits(state, kind, id, text); });
    const results = this.state.submitted ? this.results() : null;
    this.tracker.start(results ? {results: results} : null);
    this.module.restore(this.state);
    if (results) this.module.showResults(results);
    const location = this.state.location;
    if (page.location) this.tracker.setLocation(page.location);
    else if (location && this.moduleRoot.querySelector(".lm-panel[data-section='" + CSS.escape(location) + "']")) {
      this.module.show(location);
    }
    if (State.encode(this.state) !== State.encode(saved)) this.store();
    if (joinedTexts(saved, page)) {
      const notice = this.doc.querySelector(".lm-module .lm-notice");
      const joined = this.t("Your saved work is back; where you had typed meanwhile, your new text follows the saved text.");
      showNotice(this.doc, notice.hidden ? joined : notice.textContent + " " + joined);
    }
  };

  /* Whether the learner typed, before the LMS was found, into a field that already held saved text. */
  function joinedTexts(saved, page) {
    return ["reflection", "action_plan"].some(function (kind) {
      return Object.keys(page[kind]).some(function (id) {
        return page[kind][id] && saved[kind][id] && page[kind][id] !== saved[kind][id];
      });
    });
  }

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
      button.disabled = true;
      session.whenConnected(function () {
        showNotice(doc, session.finishedNotice(session.finish(true)));
      });
    });
  }

  /* The LMS's session when `api` opens one, else this browser's store: {tracker, stored (suspend_data), mode}. */
  function openStore(doc, config, api, t) {
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

  /* The learner can work at once: the LMS is looked for in the background (an LMS may create its API after the page
   * loads), and their work waits in the page until it is found or, without one, goes to this browser. */
  function boot(doc) {
    const config = readConfig(doc);
    const moduleRoot = doc.querySelector(".lm-module");
    const session = new Session(doc, config, moduleRoot, Strings.translator(moduleRoot));
    moduleRoot.appendChild(doc.querySelector(".lm-scorm-actions"));
    moduleRoot.insertBefore(doc.querySelector(".lm-scorm-unreadable"), moduleRoot.querySelector(".lm-header").nextSibling);
    session.watchAnswers();
    session.watchLocation();
    watchPage(doc, session);
    session.module = root.LeadManage.start(moduleRoot, session.backend(), {passMark: config.mastery});
    Api.discoverApi(root, config.version, DISCOVERY_MS, DISCOVERY_STEP_MS).then(function (api) {
      session.connect(api);
    }).catch(function (error) {
      console.error(error); // our own bug: LMS failures are caught where they happen
    });
  }

  if (root.document && root.document.getElementById("lm-scorm-config")) boot(root.document);

  const api = {boot: boot};
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.LeadManageScormLaunch = api;
})(this);

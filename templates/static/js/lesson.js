/* LeadManage learner UI, shared by the XBlock and the SCORM page (docs/architecture.md).
 *
 * window.LeadManage.start(root, backend, data) → {show, showResults, restore}
 *            restore(state): put a state (as data.state) into the form, its texts taken as saved (the SCORM page
 *            finds its LMS after starting, and tells the page when all is stored)
 *   root     the .lm-module element rendered by templates/module.html.j2.
 *   backend  submitQuiz({answers, ratings, attempt}) → Promise<Results>   attempt: the number of the attempt made
 *            save(kind, {id: text}, revisions) → Promise<{saved_at, revisions?, values?}>   kind is "reflection" or
 *                                                 "action_plan"; only the fields changed since the last save are
 *                                                 sent; values: what is stored, when it is not what was sent
 *            fit(kind, id, accepted, edited, caret) → null | {value, caret, message}   optional, for a storage
 *                                                 budget every field shares (SCORM suspend_data): null while the
 *                                                 texts fit, else what of the text typed or pasted is kept, and why
 *            counterNote(textarea) → text         optional: added to a field's character counter ("" for nothing),
 *                                                 e.g. the room that shared budget leaves it
 *            saveAnswers({answers, ratings, revisions}) → Promise optional: keep the unsubmitted choices changed
 *                                                 since the last save, so a reload brings them back
 *            saveSection(name) → Promise          optional: remember the open section, to reopen it next time;
 *                                                 called once the learner settles on a section, one call at a
 *                                                 time, and as the page goes
 *            revisions: {"kind:id": count} the page last saw for each field sent; a backend shared by several
 *            pages (the XBlock) refuses a write based on an older count with error.conflicts = [{kind, id,
 *            value, revision}] (what is stored now), and the page lets the learner choose what to keep.
 *            A rejected promise carries an Error whose message a person can read; set error.retry = false
 *            when retrying cannot help (the server refused the input), otherwise saves are retried;
 *            error.nextAttempt tells a refused submission which attempt comes next.
 *   data     (every key optional)
 *            autosaveDelay  ms of typing pause before an autosave (default 1500)
 *            retryDelays    ms between save retries, the last one repeats (default [2000, 5000, 10000, 30000])
 *            state          {answers, ratings, reflection, action_plan, revisions} to put into the form
 *            results        Results to show at start (pages rendered without them)
 *            quiz           {closedMessage, attemptsLeft, nextAttempt}: why the quiz cannot be submitted ("" when it
 *                           can), submissions left (null = unlimited), the attempt a submission makes
 *            section        the section to open at start (the one the learner was on)
 *            passMark       the percent of scenario items needed to pass (null: completion only)
 * UI strings: ui.t("English text", values), translated by the map in the module (js/ui_strings.js).
 * Every learner and author string is written with textContent, never as markup.
 * In Node, require() gives {start, cleanText} (tests/test_lesson_js.py).
 */
(function (host) {
  "use strict";
  if (host.LeadManage) { return; } // The page may include this file once per block.
  var Strings = host.LeadManageStrings || require("./ui_strings.js");
  var Steps = host.LeadManageSteps || require("./lesson_steps.js");
  /* How long the learner stays on a section before it is stored as the one to reopen. */
  var SECTION_SETTLE_MS = 1000;
  var KINDS = ["reflection", "action_plan"];

  /* Characters no output can store (learner_text.py has the same rule): C0 controls but tab and line feed, DEL and
   * C1 controls (together Unicode's Cc), lone surrogates (half an emoji cut by a length limit) and non-characters. */
  var UNSTORABLE = /[^\P{Cc}\t\n]|\p{Cs}|\p{Noncharacter_Code_Point}/gu;

  function cleanText(text) {
    return text.replace(/\r\n?|[\u2028\u2029]/g, "\n").replace(UNSTORABLE, "");
  }

  function start(root, backend, data) {
    data = data || {};
    var ui = {
      root: root, backend: backend, data: data,
      t: Strings.translator(root),
      find: function (selector) { return root.querySelector(selector); },
      all: function (selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); },
      announce: function (text) { root.querySelector(".lm-announce").textContent = text; },
      revisions: Object.assign({}, (data.state || {}).revisions),
      nextAttempt: (data.quiz || {}).nextAttempt || 1,
    };
    buildItems(ui);
    if (data.state) { applyState(ui, data.state); }
    setUpNavigation(ui);
    setUpQuiz(ui);
    setUpDraft(ui);
    ui.all(".lm-field textarea").forEach(addCounter);
    ui.writers = KINDS.map(function (kind) { return setUpWriting(ui, kind); });
    host.addEventListener("beforeunload", function (event) {
      if (ui.writers.some(function (writer) { return writer.dirty(); })) {
        event.preventDefault();
        event.returnValue = ""; // Browsers show their own "leave page?" text.
      }
    });
    if (data.quiz) { applyQuizStatus(ui, data.quiz); }
    if (data.results) { showResults(ui, data.results); }
    ui.pacer.first();
    if (ui.root.getAttribute("data-closed") === "true") { ui.pacer.show(0, false); } // the notice and answers first
    updateSummary(ui);
    root.classList.add("lm-ready");
    return { show: function (name) { show(ui, name, false); }, showResults: function (r) { showResults(ui, r); },
      restore: function (state) {
        applyState(ui, state);
        ui.writers.forEach(function (writer) { writer.reset(); });
        // A learner already in the quiz stays on the item they are on; elsewhere the quiz reopens where they left it.
        if (ui.section === "quiz") { ui.pacer.refresh(); } else { ui.pacer.first(); }
        updateSummary(ui);
      } };
  }

  /* --- Sections: one visible at a time, every one reachable from the menu. --- */

  function setUpNavigation(ui) {
    ui.nav = Steps.navigator(ui);
    ui.pacer = Steps.pacer(ui);
    ui.root.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-go]");
      if (!link || !ui.root.contains(link)) { return; }
      event.preventDefault();
      show(ui, link.getAttribute("data-go"), true);
    });
    var names = ui.nav.names, start = ui.data.section;
    ui.section = names.indexOf(start) > 0 ? start : names[0];
    ui.visited = names.slice(0, names.indexOf(ui.section)); // a learner who comes back has read what came before
    ui.keepSection = sectionKeeper(ui.backend, ui.section);
    show(ui, ui.section, false);
  }

  /* The section the learner is on, told to the backend once their clicking settles: one request however fast they
   * click through the menu, never two at once (so the last section opened is the one kept), and one more as the page
   * goes if a change is still waiting. `stored` is the section the backend holds already. */
  function sectionKeeper(backend, stored) {
    var wanted = stored, timer = null, busy = false;
    function send() {
      clearTimeout(timer);
      timer = null;
      if (busy || wanted === stored) { return; }
      busy = true;
      stored = wanted; // a failed save is tried again with the next change, not at once
      backend.saveSection(stored).catch(function () {}).then(function () {
        busy = false;
        if (!timer) { send(); } // the learner moved on while it was on its way, and has settled since
      });
    }
    if (!backend.saveSection) { return function () {}; }
    host.addEventListener("pagehide", send);
    return function (name) {
      wanted = name;
      clearTimeout(timer);
      timer = setTimeout(send, SECTION_SETTLE_MS);
    };
  }

  function show(ui, name, moveFocus) {
    if (name !== ui.section) { ui.keepSection(name); }
    ui.section = name;
    if (ui.visited.indexOf(name) < 0) { ui.visited.push(name); }
    updateSummary(ui); // marks the sections read so far
    ui.nav.current(name);
    ui.all(".lm-panel").forEach(function (panel) { panel.hidden = panel.getAttribute("data-section") !== name; });
    if (moveFocus) {
      var heading = ui.find(".lm-panel[data-section='" + name + "'] h3");
      heading.tabIndex = -1;
      heading.focus();
    }
  }

  /* --- The quiz: collect, check completeness, submit, show the results. --- */

  /* Every self-rating has the same radios: the page sends them once (template.lm-scale-points) and each item gets a
   * copy. Then every item gets its id (prefix, kind and item id) and its radios are named after it: name = the
   * fieldset's id, id = name + "-" + value. */
  function buildItems(ui) {
    var points = ui.find("template.lm-scale-points");
    ui.all(".lm-rating .lm-scale").forEach(function (scale) { scale.appendChild(points.content.cloneNode(true)); });
    ui.all("fieldset.lm-item").forEach(function (fieldset) {
      fieldset.id = ui.root.getAttribute("data-prefix") + (fieldset.classList.contains("lm-rating") ? "rating-" : "scenario-") +
        fieldset.getAttribute("data-item");
      fieldset.querySelectorAll("input").forEach(function (input) {
        input.name = fieldset.id;
        input.id = fieldset.id + "-" + input.value;
      });
    });
  }

  /* The quiz's choices as the backend takes them, and the items not answered yet. */
  function collectAnswers(ui) {
    var answers = {}, ratings = {}, missing = [];
    ui.all("fieldset.lm-item").forEach(function (fieldset) {
      var input = fieldset.querySelector("input:checked"), id = fieldset.getAttribute("data-item");
      if (!input) { missing.push(fieldset); }
      else if (fieldset.classList.contains("lm-rating")) { ratings[id] = parseInt(input.value, 10); }
      else { answers[id] = input.value; }
    });
    return { answers: answers, ratings: ratings, missing: missing };
  }

  function setUpQuiz(ui) {
    var button = ui.find(".lm-submit-quiz"), message = ui.find(".lm-quiz-message");
    function tell(text) { message.textContent = text; message.focus(); }
    button.addEventListener("click", function () {
      var collected = collectAnswers(ui);
      if (collected.missing.length) {
        tell(ui.t("Answer every item before submitting: the list above links to each one not answered yet."));
        return;
      }
      var label = button.textContent, sent = { answers: collected.answers, ratings: collected.ratings };
      if (ui.draft) { ui.draft.cancel(); }
      button.disabled = true;
      button.textContent = ui.t("Submitting…");
      message.textContent = "";
      ui.backend.submitQuiz(Object.assign({ attempt: ui.nextAttempt }, sent)).then(function (results) {
        ui.nextAttempt = results.next_attempt || ui.nextAttempt + 1;
        Object.assign(ui.revisions, results.revisions);
        if (ui.draft) { ui.draft.submitted(sent); }
        showResults(ui, results);
        ui.announce(ui.t("Quiz submitted.") + " " + ui.find(".lm-score-text").textContent);
        ui.find(".lm-score-title").focus();
      }, function (error) {
        if (error && error.nextAttempt) { ui.nextAttempt = error.nextAttempt; }
        button.disabled = false;
        button.textContent = label;
        tell(ui.t("Your answers were not submitted: %(reason)s", { reason: Strings.reasonOf(error, ui.t) }));
      });
    });
  }

  /* The revisions a write of `values` (of `kind`) is based on: what this page last saw of each field. */
  function seen(ui, kind, values) {
    var result = {};
    Object.keys(values).forEach(function (id) { result[kind + ":" + id] = ui.revisions[kind + ":" + id] || 0; });
    return result;
  }

  /* The quiz draft: choices changed since the last save are kept (never graded) so a reload brings them back. */
  function setUpDraft(ui) {
    if (!ui.backend.saveAnswers) { return; }
    var saved = collectAnswers(ui), timer = null, open = {};
    function changes() {
      var now = collectAnswers(ui), result = { answers: {}, ratings: {} }, count = 0;
      ["answers", "ratings"].forEach(function (kind) {
        Object.keys(now[kind]).forEach(function (id) {
          if (now[kind][id] !== saved[kind][id] && !open[kind + ":" + id]) { result[kind][id] = now[kind][id]; count += 1; }
        });
      });
      return count ? result : null;
    }
    function save() {
      var sent = changes();
      if (!sent) { return; }
      sent.revisions = Object.assign(seen(ui, "answers", sent.answers), seen(ui, "ratings", sent.ratings));
      ui.backend.saveAnswers(sent).then(function (reply) {
        ["answers", "ratings"].forEach(function (kind) { Object.assign(saved[kind], sent[kind]); });
        Object.assign(ui.revisions, reply && reply.revisions);
      }, function (error) {
        // A draft lost to the network costs one re-click: the next change sends it again.
        ((error && error.conflicts) || []).forEach(showChoiceConflict);
      });
    }
    function showChoiceConflict(conflict) {
      var key = conflict.kind + ":" + conflict.id, fieldset = itemFieldset(ui, conflict);
      var input = fieldset && fieldset.querySelector("input[value='" + CSS.escape(String(conflict.value)) + "']");
      if (!input) { return; }
      open[key] = true;
      showConflict(ui, "choice", fieldset, input.closest("label").textContent.trim(), function (choice) {
        delete open[key];
        ui.revisions[key] = conflict.revision;
        if (choice === "theirs") { input.checked = true; saved[conflict.kind][conflict.id] = conflict.value; }
        save();
      });
    }
    ui.find(".lm-quiz").addEventListener("change", function () {
      clearTimeout(timer);
      timer = setTimeout(save, ui.data.autosaveDelay || 1500);
    });
    ui.draft = {
      cancel: function () { clearTimeout(timer); },
      submitted: function (sent) { saved = sent; open = {}; ui.all(".lm-quiz .lm-conflict").forEach(function (box) { box.remove(); }); },
    };
  }

  function itemFieldset(ui, conflict) {
    var kind = conflict.kind === "ratings" ? "rating" : "scenario";
    return ui.find("fieldset.lm-" + kind + "[data-item='" + CSS.escape(conflict.id) + "']");
  }

  /* A choice between this page's version and the one saved elsewhere, shown under `container` (a field or a
   * quiz item) from the module's <template>; `choose` gets "mine", "theirs" or "both". */
  function showConflict(ui, type, container, theirs, choose) {
    var old = container.querySelector(".lm-conflict");
    if (old) { old.remove(); }
    var box = ui.find("template.lm-" + type + "-conflict").content.firstElementChild.cloneNode(true);
    box.querySelector(".lm-conflict-theirs").textContent = theirs;
    box.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-choose]");
      if (!button) { return; }
      box.remove();
      choose(button.getAttribute("data-choose"));
    });
    container.appendChild(box);
    ui.announce(box.querySelector(".lm-conflict-title").textContent);
  }

  function showResults(ui, results) {
    var score = results.score;
    ui.score = score;
    ui.root.setAttribute("data-submitted", "true");
    ui.find(".lm-score").hidden = false;
    ui.find(".lm-results-empty").hidden = true;
    ui.find(".lm-score-text").textContent =
      ui.t("%(correct)s of %(total)s scenario items correct (%(percent)s%%).", score) + " " +
      (score.passed ? ui.t("Passed.") : ui.t("Not passed yet."));
    Object.keys(results.items).forEach(function (id) { markItem(ui, id, results.items[id]); });
    results.dimensions.forEach(function (row) { showDimension(ui, row); });
    var again = ui.find(".lm-submit-quiz");
    again.textContent = ui.t("Submit again");
    again.classList.remove("lm-primary"); // "See your profile" is the way on now; a retake is a second choice
    showAttempts(ui, results.attempts_left);
    updateSummary(ui);
  }

  function markItem(ui, id, item) {
    var fieldset = ui.find("fieldset.lm-scenario[data-item='" + id + "']");
    if (!fieldset) { return; }
    fieldset.setAttribute("data-answered", item.chosen === item.correct_option ? "correct" : "incorrect");
    fieldset.querySelectorAll(".lm-option").forEach(function (li) {
      var option = li.querySelector("input").value, best = option === item.correct_option;
      var chosen = option === item.chosen, mark = "";
      if (best) { mark = ui.t("Best answer") + (chosen ? " " + ui.t("(your choice)") : ""); }
      else if (chosen) { mark = ui.t("Your choice: not the best answer"); }
      li.toggleAttribute("data-correct", best);
      li.toggleAttribute("data-chosen", chosen);
      part(li, "lm-mark").textContent = mark;
      part(li, "lm-explanation").textContent = (item.explanations || {})[option] || "";
    });
  }

  /* An option's mark or explanation line, added the first time the option is marked (an unmarked page has none). */
  function part(li, name) {
    var node = li.querySelector("." + name);
    if (!node) {
      node = li.appendChild(document.createElement("span"));
      node.className = name;
    }
    return node;
  }

  function showDimension(ui, row) {
    var selector = "[data-dimension='" + row.id + "'] ";
    var guidance = ui.find(".lm-guidance-item" + selector);
    var bandText = {
      leading: ui.t("Leans to leading (%(label)s)", { label: guidance.getAttribute("data-leading") }),
      managing: ui.t("Leans to managing (%(label)s)", { label: guidance.getAttribute("data-managing") }),
      balanced: ui.t("Balanced"),
    };
    ui.find(".lm-score-table " + selector + ".lm-dim-score").textContent = ui.t("%(correct)s of %(total)s", row);
    var band = ui.find(".lm-profile-table " + selector + ".lm-band");
    band.textContent = bandText[row.band] || ui.t("Not rated yet");
    /* Its place on the chart: the stylesheet draws the line and a marker this far along it. */
    band.style.setProperty("--lm-at", row.position);
    if (row.band) { band.setAttribute("data-band", row.band); } else { band.removeAttribute("data-band"); }
    ui.find(".lm-profile-table " + selector + ".lm-mean").textContent = row.mean === null ? "–" : row.mean.toFixed(1);
    guidance.querySelector(".lm-guidance-text").textContent = row.guidance || "";
    guidance.hidden = !row.guidance;
  }

  /* Whether the quiz can be submitted, and why not. A closed quiz (e.g. past due) keeps its message. */
  function applyQuizStatus(ui, quiz) {
    ui.root.setAttribute("data-closed", quiz.closedMessage ? "true" : "false");
    ui.find(".lm-quiz-message").textContent = quiz.closedMessage || "";
    showAttempts(ui, quiz.attemptsLeft);
  }

  /* A quiz that cannot be submitted any more says so before its first item, and its choices are read-only: the
   * server would refuse any change. */
  function showAttempts(ui, attemptsLeft) {
    var closed = ui.root.getAttribute("data-closed") === "true", none = attemptsLeft === 0, locked = closed || none;
    var message = ui.find(".lm-quiz-message"), unlimited = attemptsLeft === null || attemptsLeft === undefined;
    ui.attemptsLeft = unlimited ? null : attemptsLeft;
    ui.find(".lm-submit-quiz").disabled = locked;
    ui.find(".lm-attempts").textContent = unlimited ? "" : ui.t("Attempts left: %(count)s", { count: attemptsLeft });
    if (none && !closed) { message.textContent = ui.t("You have used every attempt."); }
    ui.all(".lm-quiz input").forEach(function (input) { input.disabled = locked; });
    if (locked) { ui.find(".lm-quiz").insertBefore(message, ui.find(".lm-quiz-progress")); }
  }

  /* --- Reflection and action plan: counters, autosave, retry; the text always stays in the page. --- */

  function setUpWriting(ui, kind) {
    var fields = ui.all(".lm-field[data-kind='" + kind + "'] textarea");
    var status = ui.find(".lm-status[data-kind='" + kind + "']");
    var delays = ui.data.retryDelays || [2000, 5000, 10000, 30000];
    /* busy: a save on its way; again: save once more when it is back; accepted: each field's text before the
     * learner's latest edit; saved: what the backend holds; open: fields waiting for the learner's choice in a
     * conflict; note: why text did not fit (SCORM). */
    var busy = false, again = false, timer = null, failures = 0, accepted = {}, saved = {}, open = {}, note = "";

    function idOf(field) { return field.closest(".lm-field").getAttribute("data-field"); }
    /* Only what the learner changed since the last save, and nothing waiting for their choice in a conflict. */
    function changed() {
      var result = {};
      fields.forEach(function (field) {
        var id = idOf(field);
        if (field.value !== saved[id] && !open[id]) { result[id] = field.value; }
      });
      return result;
    }
    function dirty() { return Object.keys(changed()).length > 0 || Object.keys(open).length > 0; }
    function settle(reply) {
      if (Object.keys(open).length) { return; } // the conflict's message stays until the learner chooses
      status.textContent = (note ? note + " " : "") +
        (dirty() ? ui.t("Unsaved changes") : ui.t("Saved %(time)s", { time: clock(ui, reply) }));
    }
    function schedule(delay) { clearTimeout(timer); timer = setTimeout(save, delay); }
    function save() {
      clearTimeout(timer);
      if (busy) { again = true; return; }
      var sent = changed();
      if (!Object.keys(sent).length) { settle(null); return; }
      busy = true;
      status.textContent = ui.t("Saving…");
      ui.backend.save(kind, sent, seen(ui, kind, sent)).then(function (reply) {
        failures = 0;
        Object.assign(saved, sent, reply && reply.values);
        Object.assign(ui.revisions, reply && reply.revisions);
        settle(reply);
      }, function (error) {
        var delay = delays[Math.min(failures, delays.length - 1)];
        failures += 1;
        if (error && error.conflicts) {
          error.conflicts.forEach(showTextConflict);
          status.textContent = Strings.reasonOf(error, ui.t);
        } else if (error && error.retry === false) {
          status.textContent = ui.t("Not saved: %(reason)s", { reason: Strings.reasonOf(error, ui.t) });
        } else {
          status.textContent = ui.t("Not saved — retrying in %(seconds)s s", { seconds: Math.round(delay / 1000) });
          schedule(delay);
        }
      }).then(function () {
        busy = false;
        updateSummary(ui);
        if (again) { again = false; save(); }
      });
    }
    /* Another tab or device saved this field since this page saw it: show both, keep what the learner chooses. */
    function showTextConflict(conflict) {
      var field = fields.filter(function (f) { return idOf(f) === conflict.id; })[0], theirs = conflict.value || "";
      if (!field) { return; }
      open[conflict.id] = true;
      showConflict(ui, "text", field.closest(".lm-field"), theirs, function (choice) {
        delete open[conflict.id];
        ui.revisions[kind + ":" + conflict.id] = conflict.revision;
        if (choice === "theirs") { field.value = theirs; saved[conflict.id] = field.value; }
        if (choice === "both") { field.value += "\n\n" + theirs; }
        accepted[field.id] = field.value;
        updateCounters(ui);
        if (choice === "both") { status.textContent = ui.t("Unsaved changes"); field.focus(); return; }
        save();
      });
    }
    /* Every field's text is what the backend holds: at start, and when the SCORM page restores or finishes. */
    function reset() {
      fields.forEach(function (field) { accepted[field.id] = saved[idOf(field)] = field.value; });
      updateCounters(ui);
    }
    fields.forEach(function (field) {
      field.addEventListener("input", function () {
        keepStorable(field);
        /* Past a storage budget every field shares, the backend keeps what fits and says why. */
        var fit = ui.backend.fit && ui.backend.fit(kind, idOf(field), accepted[field.id], field.value, field.selectionEnd);
        if (fit) {
          field.value = fit.value;
          field.setSelectionRange(fit.caret, fit.caret);
        }
        note = fit ? fit.message : "";
        updateCounters(ui);
        if (!Object.keys(open).length) { status.textContent = note || ui.t("Unsaved changes"); }
        accepted[field.id] = field.value;
        schedule(ui.data.autosaveDelay || 1500);
      });
    });
    reset();
    ui.find(".lm-save[data-kind='" + kind + "']").addEventListener("click", save);
    return { dirty: dirty, save: save, reset: reset };
  }

  /* A field's character counter, which the field is also described by (the markup has none: without script nothing
   * would count as the learner types). */
  function addCounter(field) {
    var counter = field.parentNode.appendChild(document.createElement("p"));
    counter.className = "lm-counter";
    counter.id = field.id + "-count";
    field.setAttribute("aria-describedby", ((field.getAttribute("aria-describedby") || "") + " " + counter.id).trim());
  }

  /* Every counter: its field's length and limit, and the backend's note (a budget shared by every field changes as
   * any of them grows). */
  function updateCounters(ui) {
    ui.all(".lm-field textarea").forEach(function (field) {
      var note = ui.backend.counterNote ? ui.backend.counterNote(field) : "";
      ui.find("#" + field.id + "-count").textContent = ui.t("%(count)s of %(max)s characters",
        { count: field.value.length, max: field.maxLength }) + (note ? " · " + note : "");
    });
  }

  /* Text pasted from a word processor can carry characters no output can store: they go as they arrive. */
  function keepStorable(field) {
    var clean = cleanText(field.value);
    if (clean === field.value) { return; }
    var caret = Math.max(0, field.selectionStart - (field.value.length - clean.length));
    field.value = clean;
    field.setSelectionRange(caret, caret);
  }

  function clock(ui, reply) {
    var when = reply && reply.saved_at ? new Date(reply.saved_at) : new Date();
    return when.toLocaleTimeString(ui.root.getAttribute("lang") || [], { hour: "2-digit", minute: "2-digit" });
  }

  /* --- The completion summary, kept in step with what is saved and submitted (lesson_steps.js). --- */

  function updateSummary(ui) { Steps.summary(ui); }

  function applyState(ui, state) {
    function check(kind, values) {
      Object.keys(values || {}).forEach(function (id) {
        var input = ui.find("fieldset.lm-" + kind + "[data-item='" + CSS.escape(id) + "'] input[value='" + CSS.escape(String(values[id])) + "']");
        if (input) { input.checked = true; }
      });
    }
    function fill(kind, values) {
      Object.keys(values || {}).forEach(function (id) {
        var field = ui.find(".lm-field[data-kind='" + kind + "'][data-field='" + CSS.escape(id) + "'] textarea");
        if (field) { field.value = cleanText(String(values[id])); }
      });
    }
    check("scenario", state.answers);
    check("rating", state.ratings);
    KINDS.forEach(function (kind) { fill(kind, state[kind]); });
  }

  var api = { start: start, cleanText: cleanText };
  if (typeof module === "object" && module.exports) { module.exports = api; } else { host.LeadManage = api; }
})(this);

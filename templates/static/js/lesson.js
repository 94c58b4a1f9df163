/* LeadManage learner UI, shared by the XBlock and the SCORM page (docs/architecture.md).
 *
 * window.LeadManage.start(root, backend, data) → {show, showResults}
 *   root     the .lm-module element rendered by templates/module.html.j2.
 *   backend  submitQuiz({answers, ratings}) → Promise<Results>
 *            save(kind, {id: text}) → Promise<{saved_at}>        kind is "reflection" or "plan"
 *            remaining(kind, values) → number | null              optional: characters left in a shared
 *                                                                 storage budget (SCORM suspend_data)
 *            saveAnswers({answers, ratings}) → Promise            optional: keep unsubmitted choices (may be
 *                                                                 incomplete) so a reload brings them back
 *            A rejected promise carries an Error whose message a person can read; set error.retry = false
 *            when retrying cannot help (the server refused the input), otherwise saves are retried.
 *   data     (every key optional)
 *            autosaveDelay  ms of typing pause before an autosave (default 1500)
 *            retryDelays    ms between save retries, the last one repeats (default [2000, 5000, 10000, 30000])
 *            state          {answers, ratings, reflection, plan} to put into the form (pages rendered without it)
 *            results        Results to show at start (pages rendered without them)
 *            quiz           {closedMessage, attemptsLeft}: why the quiz cannot be submitted ("" when it can) and
 *                           submissions left (null = unlimited); overrides the root's data-closed
 * UI strings come translated from the page's <script class="lm-strings"> JSON (keyed by the English text);
 * a missing key falls back to the page's gettext(), then to the English text.
 * Every learner and author string is written with textContent, never as markup.
 */
(function () {
  "use strict";
  if (window.LeadManage) { return; } // The page may include this file once per block.

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, name) { return String(values[name]); });
  }

  function start(root, backend, data) {
    data = data || {};
    var stringsNode = root.querySelector("script.lm-strings");
    var strings = stringsNode ? JSON.parse(stringsNode.textContent) : {};
    var ui = {
      root: root, backend: backend, data: data,
      t: function (key, values) {
        var text = strings[key] || (typeof window.gettext === "function" ? window.gettext(key) : key);
        return values ? fmt(text, values) : text;
      },
      find: function (selector) { return root.querySelector(selector); },
      all: function (selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); },
      announce: function (text) { root.querySelector(".lm-announce").textContent = text; },
      writers: {},
    };
    if (data.state) { applyState(ui, data.state); }
    setUpNavigation(ui);
    setUpQuiz(ui);
    ["reflection", "plan"].forEach(function (kind) { ui.writers[kind] = setUpWriting(ui, kind); });
    window.addEventListener("beforeunload", function (event) {
      if (Object.keys(ui.writers).some(function (kind) { return ui.writers[kind].dirty(); })) {
        event.preventDefault();
        event.returnValue = ""; // Browsers show their own "leave page?" text.
      }
    });
    if (data.quiz) { applyQuizStatus(ui, data.quiz); }
    if (data.results) { showResults(ui, data.results); }
    updateSummary(ui);
    root.classList.add("lm-ready");
    return { show: function (name) { show(ui, name, false); }, showResults: function (r) { showResults(ui, r); } };
  }

  /* --- Sections: one visible at a time, every one reachable from the menu. --- */

  function setUpNavigation(ui) {
    ui.root.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[data-go]") : null;
      if (!link || !ui.root.contains(link)) { return; }
      event.preventDefault();
      show(ui, link.getAttribute("data-go"), true);
    });
    show(ui, ui.all(".lm-panel")[0].getAttribute("data-section"), false);
  }

  function show(ui, name, moveFocus) {
    ui.all(".lm-panel").forEach(function (panel) { panel.hidden = panel.getAttribute("data-section") !== name; });
    ui.all(".lm-nav a").forEach(function (link) {
      if (link.getAttribute("data-go") === name) { link.setAttribute("aria-current", "step"); }
      else { link.removeAttribute("aria-current"); }
    });
    if (moveFocus) {
      var heading = ui.find(".lm-panel[data-section='" + name + "'] h3");
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }

  /* --- The quiz: collect, check completeness, submit, show the results. --- */

  function checkedValue(fieldset) {
    var input = fieldset.querySelector("input:checked");
    return input ? input.value : null;
  }

  function collectAnswers(ui) {
    var answers = {}, ratings = {}, missing = [];
    ui.all("fieldset.lm-scenario, fieldset.lm-rating").forEach(function (fieldset) {
      var value = checkedValue(fieldset), id = fieldset.getAttribute("data-item");
      if (value === null) { missing.push(fieldset); }
      else if (fieldset.classList.contains("lm-rating")) { ratings[id] = parseInt(value, 10); }
      else { answers[id] = value; }
    });
    return { answers: answers, ratings: ratings, missing: missing };
  }

  function setUpQuiz(ui) {
    var button = ui.find(".lm-submit-quiz"), message = ui.find(".lm-quiz-message"), draftTimer = null;
    function tell(text) { message.textContent = text; message.focus(); }
    if (ui.backend.saveAnswers) {
      ui.find(".lm-quiz").addEventListener("change", function () {
        clearTimeout(draftTimer);
        draftTimer = setTimeout(function () {
          var collected = collectAnswers(ui);
          // A lost draft costs one re-click; the next change sends everything again.
          ui.backend.saveAnswers({ answers: collected.answers, ratings: collected.ratings }).catch(function () {});
        }, ui.data.autosaveDelay || 1500);
      });
    }
    button.addEventListener("click", function () {
      var collected = collectAnswers(ui);
      if (collected.missing.length) {
        var names = collected.missing.map(function (f) { return f.querySelector(".lm-item-number").textContent; });
        tell(ui.t("Answer every item before submitting. Missing: %(items)s", { items: names.join(" ") }));
        return;
      }
      var label = button.textContent;
      clearTimeout(draftTimer);
      button.disabled = true;
      button.textContent = ui.t("Submitting…");
      message.textContent = "";
      ui.backend.submitQuiz({ answers: collected.answers, ratings: collected.ratings }).then(function (results) {
        showResults(ui, results);
        ui.announce(ui.t("Quiz submitted.") + " " + ui.find(".lm-score-text").textContent);
        ui.find(".lm-score-title").focus();
      }, function (error) {
        button.disabled = false;
        button.textContent = label;
        tell(ui.t("Your answers were not submitted: %(reason)s", { reason: reasonOf(ui, error) }));
      });
    });
  }

  function showResults(ui, results) {
    var score = results.score;
    ui.score = score;
    ui.root.setAttribute("data-submitted", "true");
    ui.find(".lm-score").hidden = false;
    ui.find(".lm-results-empty").hidden = true;
    ui.find(".lm-score-text").textContent =
      ui.t("%(correct)s of %(total)s scenario items correct (%(percent)s%).", score) + " " +
      ui.t(score.passed ? "Passed." : "Not passed yet.");
    Object.keys(results.items).forEach(function (id) { markItem(ui, id, results.items[id]); });
    results.dimensions.forEach(function (row) { showDimension(ui, row); });
    ui.find(".lm-submit-quiz").textContent = ui.t("Submit again");
    showAttempts(ui, results.attempts_left);
    updateSummary(ui);
  }

  function markItem(ui, id, item) {
    var fieldset = ui.find("fieldset.lm-scenario[data-item='" + id + "']");
    if (!fieldset) { return; }
    fieldset.setAttribute("data-answered", item.chosen === item.correct_option ? "correct" : "incorrect");
    Array.prototype.forEach.call(fieldset.querySelectorAll(".lm-option"), function (li) {
      var option = li.getAttribute("data-option"), best = option === item.correct_option;
      var chosen = option === item.chosen, mark = "";
      if (best) { mark = ui.t("Best answer") + (chosen ? " " + ui.t("(your choice)") : ""); }
      else if (chosen) { mark = ui.t("Your choice: not the best answer"); }
      li.toggleAttribute("data-correct", best);
      li.toggleAttribute("data-chosen", chosen);
      li.querySelector(".lm-mark").textContent = mark;
      li.querySelector(".lm-explanation").textContent = (item.explanations || {})[option] || "";
    });
  }

  function showDimension(ui, row) {
    var selector = "[data-dimension='" + row.id + "']";
    var guidance = ui.find(".lm-guidance-item" + selector);
    var bandText = {
      leading: ui.t("Leans to leading (%(label)s)", { label: guidance.getAttribute("data-leading") }),
      managing: ui.t("Leans to managing (%(label)s)", { label: guidance.getAttribute("data-managing") }),
      balanced: ui.t("Balanced"),
    };
    ui.find(".lm-score-table tr" + selector + " .lm-dim-score").textContent = ui.t("%(correct)s of %(total)s", row);
    ui.find(".lm-profile-table tr" + selector + " .lm-band").textContent = bandText[row.band] || ui.t("Not rated yet");
    ui.find(".lm-profile-table tr" + selector + " .lm-mean").textContent = row.mean === null ? "–" : row.mean.toFixed(1);
    guidance.querySelector(".lm-guidance-text").textContent = row.guidance || "";
    guidance.hidden = !row.guidance;
    placeMarker(ui.find(".lm-profile-row" + selector), row);
  }

  function placeMarker(group, row) {
    var marker = group.querySelector(".lm-marker"), track = group.querySelector(".lm-track");
    if (row.band === null) { if (marker) { marker.remove(); } return; }
    if (!marker) {
      marker = document.createElementNS("http://www.w3.org/2000/svg", "circle");
      marker.setAttribute("r", "9");
      marker.setAttribute("cy", track.getAttribute("y1"));
      group.appendChild(marker);
    }
    var left = parseFloat(track.getAttribute("x1")), right = parseFloat(track.getAttribute("x2"));
    marker.setAttribute("cx", (left + row.position * (right - left)).toFixed(1));
    marker.setAttribute("class", "lm-marker lm-marker-" + row.band);
  }

  /* Whether the quiz can be submitted, and why not. A closed quiz (e.g. past due) keeps its message. */
  function applyQuizStatus(ui, quiz) {
    ui.root.setAttribute("data-closed", quiz.closedMessage ? "true" : "false");
    ui.find(".lm-quiz-message").textContent = quiz.closedMessage || "";
    showAttempts(ui, quiz.attemptsLeft);
  }

  function showAttempts(ui, attemptsLeft) {
    var closed = ui.root.getAttribute("data-closed") === "true", none = attemptsLeft === 0;
    ui.find(".lm-submit-quiz").disabled = closed || none;
    ui.find(".lm-attempts").textContent = attemptsLeft == null ? "" : ui.t("Attempts left: %(count)s", { count: attemptsLeft });
    if (none && !closed) { ui.find(".lm-quiz-message").textContent = ui.t("You have used every attempt."); }
  }

  /* --- Reflection and action plan: counters, autosave, retry; the text always stays in the page. --- */

  function setUpWriting(ui, kind) {
    var fields = ui.all(".lm-field[data-kind='" + kind + "'] textarea");
    var status = ui.find(".lm-status[data-kind='" + kind + "']");
    var delays = ui.data.retryDelays || [2000, 5000, 10000, 30000];
    var state = { dirty: false, busy: false, again: false, timer: null, failures: 0, accepted: {} };

    function values() {
      var result = {};
      fields.forEach(function (field) { result[field.closest(".lm-field").getAttribute("data-field")] = field.value; });
      return result;
    }
    function schedule(delay) { clearTimeout(state.timer); state.timer = setTimeout(save, delay); }
    function save() {
      clearTimeout(state.timer);
      if (state.busy) { state.again = true; return; }
      var sent = values(), sentKey = JSON.stringify(sent);
      state.busy = true;
      status.textContent = ui.t("Saving…");
      ui.backend.save(kind, sent).then(function (reply) {
        state.failures = 0;
        state.dirty = JSON.stringify(values()) !== sentKey;
        status.textContent = state.dirty ? ui.t("Unsaved changes") : ui.t("Saved %(time)s", { time: clock(ui, reply) });
      }, function (error) {
        var delay = delays[Math.min(state.failures, delays.length - 1)];
        state.failures += 1;
        if (error && error.retry === false) {
          status.textContent = ui.t("Not saved: %(reason)s", { reason: reasonOf(ui, error) });
          return;
        }
        status.textContent = ui.t("Not saved — retrying in %(seconds)s s", { seconds: Math.round(delay / 1000) });
        schedule(delay);
      }).then(function () {
        state.busy = false;
        updateSummary(ui);
        if (state.again) { state.again = false; save(); }
      });
    }
    fields.forEach(function (field) {
      state.accepted[field.id] = field.value;
      updateCounter(ui, kind, field, values());
      field.addEventListener("input", function () {
        if (!withinBudget(ui, kind, field, values())) { return; }
        if (!state.dirty) { status.textContent = ui.t("Unsaved changes"); }
        state.dirty = true;
        state.accepted[field.id] = field.value;
        schedule(ui.data.autosaveDelay || 1500);
      });
    });
    ui.find(".lm-save[data-kind='" + kind + "']").addEventListener("click", save);

    /* Keeps the last accepted text so input past a shared storage budget can be undone. */
    function withinBudget(ui, kind, field, current) {
      var left = ui.backend.remaining ? ui.backend.remaining(kind, current) : null;
      if (left !== null && left !== undefined && left < 0) {
        var caret = Math.max(0, field.selectionStart - (field.value.length - state.accepted[field.id].length));
        field.value = state.accepted[field.id];
        field.setSelectionRange(caret, caret);
        status.textContent = ui.t("No saving space left: shorten another answer first.");
        updateCounter(ui, kind, field, values());
        return false;
      }
      if (ui.backend.remaining) { refreshCounters(ui); } else { updateCounter(ui, kind, field, current); }
      return true;
    }
    return { dirty: function () { return state.dirty; }, save: save };
  }

  /* With a shared storage budget (SCORM), every field's "saving space left" changes as any field grows. */
  function refreshCounters(ui) {
    ["reflection", "plan"].forEach(function (kind) {
      var fields = ui.all(".lm-field[data-kind='" + kind + "'] textarea"), values = {};
      fields.forEach(function (f) { values[f.closest(".lm-field").getAttribute("data-field")] = f.value; });
      fields.forEach(function (f) { updateCounter(ui, kind, f, values); });
    });
  }

  function updateCounter(ui, kind, field, current) {
    var counter = ui.find("#" + field.id + "-count");
    var text = ui.t("%(count)s of %(max)s characters", { count: field.value.length, max: counter.getAttribute("data-max") });
    var left = ui.backend.remaining ? ui.backend.remaining(kind, current) : null;
    if (left !== null && left !== undefined) { text += " · " + ui.t("%(left)s characters of saving space left", { left: left }); }
    counter.textContent = text;
  }

  /* Why a request failed, for the learner: the server's own message, else our words (never the browser's). */
  function reasonOf(ui, error) {
    if (error && error.message) { return error.message; }
    return error && error.status ? ui.t("the server did not answer (error %(status)s)", { status: error.status })
      : ui.t("the server could not be reached");
  }

  function clock(ui, reply) {
    var when = reply && reply.saved_at ? new Date(reply.saved_at) : new Date();
    return when.toLocaleTimeString(ui.root.getAttribute("lang") || [], { hour: "2-digit", minute: "2-digit" });
  }

  /* --- The completion summary, kept in step with what is saved and submitted. --- */

  function updateSummary(ui) {
    var reflection = ui.all(".lm-field[data-kind='reflection'] textarea");
    var written = reflection.reduce(function (sum, field) { return sum + field.value.length; }, 0);
    var plan = ui.all(".lm-field[data-kind='plan'] textarea");
    var filled = plan.filter(function (field) { return field.value.trim(); }).length;
    var submitted = ui.root.getAttribute("data-submitted") === "true";
    var minimum = parseInt(ui.root.getAttribute("data-min-reflection"), 10) || 0;
    setCheck(ui, "quiz", ui.score ? ui.t("submitted, %(correct)s of %(total)s correct", ui.score) : null);
    setCheck(ui, "reflection", ui.t("%(count)s characters written", { count: written }));
    setCheck(ui, "plan", ui.t("%(count)s of %(total)s fields filled", { count: filled, total: plan.length }));
    setCheck(ui, "complete", ui.t(submitted && written >= minimum ? "Module complete." : "Not complete yet."));
  }

  function setCheck(ui, part, text) {
    if (text !== null) { ui.find(".lm-checklist [data-part='" + part + "'] .lm-check-text").textContent = text; }
  }

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
        if (field) { field.value = values[id]; }
      });
    }
    check("scenario", state.answers);
    check("rating", state.ratings);
    fill("reflection", state.reflection);
    fill("plan", state.plan);
  }

  window.LeadManage = { start: start };
})();

/* Where the learner is and what is left, shared by the XBlock and the SCORM page (lesson.js calls it).
 *
 * navigator(ui) → {current(name), mark(done), names}   the section menu as one line ("Step 3 of 11 · Approach", over
 *                     a bar as long as the share of sections done) that opens the list of sections, each marked done,
 *                     current or to do; Escape closes it. Next and Previous links end every section.
 *                     done: {section name: true}; names: the sections in order.
 * summary(ui)        the summary's checklist and the menu's marks, from what the page holds (ui.score, ui.visited,
 *                     ui.attemptsLeft, ui.data.passMark)
 * pacer(ui) → {show(index, focus), first(), refresh()}   the quiz one item at a time with its own progress, then
 *                     a review screen that links to every unanswered item by its name and holds Submit; first()
 *                     opens the first unanswered item (else the review), refresh() updates the review's list.
 *                     Each screen offers one way on: Next on an item, Submit (then "See your profile") on the review.
 * ui is lesson.js's: {root, t, find, all}. The markup stays as the server sends it (module.html.j2): everything
 * here is built from it, so the learner view carries no extra weight and works without script.
 */
(function (host) {
  "use strict";

  /* A phone gets the one-line menu closed; a wider column shows every section at once. */
  var WIDE = 600;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    if (text) { node.textContent = text; }
    return node;
  }

  /* A new link to the section a menu link opens (a copy would also copy its marks). */
  function linkTo(menuLink, className, text) {
    var link = element("a", className, text);
    link.href = menuLink.getAttribute("href");
    link.setAttribute("data-go", menuLink.getAttribute("data-go"));
    return link;
  }

  function navigator(ui) {
    var nav = ui.find(".lm-nav"), list = nav.querySelector("ol"), links = ui.all(".lm-nav a");
    var titles = links.map(function (link) { return link.textContent; });
    var names = links.map(function (link) { return link.getAttribute("data-go"); });
    var toggle = nav.insertBefore(element("button", "lm-nav-toggle"), list), done = {}, current = "";
    var words = { current: ui.t("current"), done: ui.t("done"), todo: ui.t("to do") };
    toggle.type = "button";
    list.id = ui.root.getAttribute("data-prefix") + "sections";
    toggle.setAttribute("aria-controls", list.id);
    function open(yes) { toggle.setAttribute("aria-expanded", String(yes)); list.hidden = !yes; }
    toggle.addEventListener("click", function () { open(list.hidden); });
    list.addEventListener("click", function (event) {
      if (event.target.closest("a") && ui.root.offsetWidth < WIDE) { open(false); }
    });
    /* Escape closes the open menu and gives the focus back to its button, as a disclosure does. */
    nav.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !list.hidden) { open(false); toggle.focus(); }
    });
    open(ui.root.offsetWidth >= WIDE);
    links.forEach(function (link) { link.appendChild(element("span", "lm-visually-hidden")); });
    addStepLinks(ui, links, titles);
    function paint() {
      var index = names.indexOf(current);
      var finished = names.filter(function (name) { return done[name] && name !== current; });
      toggle.textContent = ui.t("Step %(number)s of %(total)s · %(title)s",
        { number: index + 1, total: names.length, title: titles[index] });
      toggle.style.setProperty("--lm-done", finished.length / names.length);
      links.forEach(function (link, i) {
        var mark = names[i] === current ? "current" : done[names[i]] ? "done" : "todo";
        link.setAttribute("data-state", mark);
        if (mark === "current") { link.setAttribute("aria-current", "step"); } else { link.removeAttribute("aria-current"); }
        link.lastChild.textContent = " (" + words[mark] + ")";
      });
    }
    return {
      current: function (name) { current = name; paint(); },
      mark: function (sections) { done = sections; paint(); },
      names: names,
    };
  }

  /* Each panel ends with "Next:" and "Previous:" links to its neighbours in the menu. Next comes first, one Tab away
   * from the content, and the stylesheet still shows it on the right. */
  function addStepLinks(ui, links, titles) {
    ui.all(".lm-panel").forEach(function (panel, index) {
      var steps = panel.appendChild(element("div", "lm-steps"));
      [["next", index + 1, ui.t("Next:")], ["prev", index - 1, ui.t("Previous:")]].forEach(function (step) {
        if (links[step[1]]) { steps.appendChild(linkTo(links[step[1]], "lm-step lm-step-" + step[0], step[2] + " " + titles[step[1]])); }
      });
    });
  }

  /* --- The paced quiz: one item per screen, then the review screen with Submit. --- */

  function pacer(ui) {
    var quiz = ui.find(".lm-quiz"), items = ui.all(".lm-quiz fieldset.lm-item"), review = ui.find(".lm-submit");
    var ratingsTitle = ui.find("#" + ui.root.getAttribute("data-prefix") + "ratings-title");
    var progress = quiz.insertBefore(element("p", "lm-quiz-progress"), items[0]);
    var pager = quiz.appendChild(element("div", "lm-pager")); // after the review screen: Submit comes first there
    var next = pager.appendChild(element("button", "lm-button lm-primary lm-next", ui.t("Next")));
    var back = pager.appendChild(element("button", "lm-button lm-prev", ui.t("Previous")));
    var list = review.insertBefore(element("div", "lm-review"), review.firstChild);
    var heading = list.appendChild(element("h4", "lm-review-title", ui.t("Review your answers")));
    var summary = list.appendChild(element("p", "lm-review-summary")), missing = list.appendChild(element("ul", ""));
    var scenarios = ui.all(".lm-quiz .lm-scenario"), ratings = ui.all(".lm-quiz .lm-rating"), at = 0;
    var section = quiz.parentNode, submit = ui.find(".lm-submit-quiz"), score = ui.find(".lm-score");
    back.type = next.type = "button";
    heading.tabIndex = -1;
    /* Scenarios and self-ratings are numbered each from 1, as the printed workbook numbers them. */
    function where(item) {
      var series = item.classList.contains("lm-rating") ? ratings : scenarios;
      return { number: series.indexOf(item) + 1, total: series.length, rating: series === ratings,
        question: item.querySelector(".lm-item-question, .lm-statement-leading").lastChild.textContent.trim() };
    }
    function unanswered() { return items.filter(function (item) { return !item.querySelector("input:checked"); }); }
    function show(index, focus) {
      at = Math.max(0, Math.min(index, items.length));
      var item = items[at], shown = item && where(item);
      items.forEach(function (fieldset) { fieldset.hidden = fieldset !== item; });
      ratingsTitle.hidden = ratingsTitle.nextElementSibling.hidden = !(shown && shown.rating);
      review.hidden = !!item;
      next.hidden = !item;
      back.hidden = at === 0;
      /* The section's own links only where the quiz offers no way on or back: "Previous:" before the first item,
       * "Next:" on the review of a quiz that can no longer be submitted and has no score to lead on from. */
      section.querySelector(".lm-step-prev").hidden = at > 0;
      section.querySelector(".lm-step-next").hidden = !!item || !submit.disabled || !score.hidden;
      progress.textContent = !item ? ui.t("Review and submit")
        : shown.rating ? ui.t("Self-rating %(number)s of %(total)s", shown) : ui.t("Scenario %(number)s of %(total)s", shown);
      refresh();
      if (focus) { (item ? item.querySelector("input:checked") || item.querySelector("input") : heading).focus(); }
    }
    function refresh() {
      var open = unanswered();
      summary.textContent = open.length ? ui.t("Not answered yet (%(count)s):", { count: open.length })
        : ui.t("Every item is answered.");
      missing.textContent = "";
      open.forEach(function (item) {
        var named = where(item), link = missing.appendChild(document.createElement("li")).appendChild(element("a", "lm-step",
          named.rating ? ui.t("Self-rating %(number)s: %(question)s", named) : ui.t("Scenario %(number)s: %(question)s", named)));
        link.href = "#" + item.id;
        link.onclick = function (event) { event.preventDefault(); show(items.indexOf(item), true); };
      });
    }
    back.onclick = function () { show(at - 1, true); };
    next.onclick = function () { show(at + 1, true); };
    quiz.addEventListener("change", refresh);
    /* Enter on a chosen answer goes on, as Enter in a form submits it: one key where Tab to Next and Enter are two. */
    quiz.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target.checked && !next.hidden) { event.preventDefault(); next.click(); }
    });
    /* Where a learner picks up the quiz: the first item not answered yet, else the review screen. */
    function first() {
      var open = unanswered()[0];
      show(open ? items.indexOf(open) : items.length);
    }
    return { show: show, first: first, refresh: refresh };
  }

  /* --- The completion summary: what is done, what is left, and what complete and passed mean. --- */

  /* Each unfinished step links to its section; "complete" and "passed" are explained together in one line. */
  function summary(ui) {
    var reflection = ui.all(".lm-field[data-kind='reflection'] textarea");
    var written = reflection.reduce(function (sum, field) { return sum + field.value.length; }, 0);
    var plan = ui.all(".lm-field[data-kind='action_plan'] textarea");
    var filled = plan.filter(function (field) { return field.value.trim(); }).length;
    var submitted = ui.root.getAttribute("data-submitted") === "true";
    var minimum = parseInt(ui.root.getAttribute("data-min-reflection"), 10) || 0;
    var done = { quiz: submitted, results: submitted, reflection: written > 0 && written >= minimum,
      action_plan: filled === plan.length };
    done.summary = submitted && done.reflection;
    setCheck(ui, "quiz", ui.score ? ui.t("submitted, %(correct)s of %(total)s correct", ui.score)
      : ui.t("not submitted yet"), !submitted);
    setCheck(ui, "reflection", ui.t("%(count)s characters written", { count: written }), !done.reflection);
    setCheck(ui, "action_plan", ui.t("%(count)s of %(total)s fields filled", { count: filled, total: plan.length }),
      !done.action_plan);
    setCheck(ui, "complete", status(ui, submitted && written >= minimum, minimum), false);
    ui.visited.forEach(function (name) { if (!(name in done)) { done[name] = true; } });
    ui.nav.mark(done);
  }

  function status(ui, complete, minimum) {
    var score = ui.score, mark = ui.data.passMark, left = ui.attemptsLeft;
    if (!complete && !minimum) { return ui.t("Not complete yet: the module is complete once you submit the quiz."); }
    if (!complete) {
      return ui.t("Not complete yet: the module is complete once you submit the quiz and write at least %(count)s characters of reflection.", { count: minimum });
    }
    var values = { percent: score.percent, mark: mark, count: left };
    if (mark === null || mark === undefined) { return ui.t("Complete — quiz %(percent)s%%.", values); }
    if (score.passed) { return ui.t("Complete — quiz %(percent)s%%, pass mark %(mark)s%%: passed.", values); }
    if (left === 0) { return ui.t("Complete — quiz %(percent)s%%, pass mark %(mark)s%%: not passed, and no attempts are left.", values); }
    if (left === null || left === undefined) { return ui.t("Complete — quiz %(percent)s%%, pass mark %(mark)s%%: you can retake it.", values); }
    return ui.t("Complete — quiz %(percent)s%%, pass mark %(mark)s%%: you can retake it (attempts left: %(count)s).", values);
  }

  /* A step's line in the summary: a link to its section while it is unfinished. */
  function setCheck(ui, part, text, unfinished) {
    var line = ui.find(".lm-checklist [data-part='" + part + "'] .lm-check-text"), link = line.firstElementChild;
    if (!unfinished) { line.textContent = text; return; }
    if (!link) {
      line.textContent = "";
      link = line.appendChild(linkTo(ui.find(".lm-nav a[data-go='" + part + "']"), "lm-step"));
    }
    link.textContent = text;
  }

  var api = { navigator: navigator, pacer: pacer, summary: summary };
  if (typeof module === "object" && module.exports) { module.exports = api; } else { host.LeadManageSteps = api; }
})(this);

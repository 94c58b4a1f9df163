/* The Studio editor's init function (a global the runtime calls; templates/xblock/studio_view.html.j2): saves
 * every control of the form at once, by its name, and lists the server's problems, each lesson problem with a
 * button that selects its line in the YAML. Which settings there are, and their limits, only the server knows
 * (runtime/studio_settings.py). data = {saveUrl}. runtime.notify is optional: the xblock-sdk workbench's runtime
 * has had none. */
(function (host) {
  "use strict";

  /* Every named control of `form` as the server reads it: a checkbox as true or false, any other as its text. */
  function formValues(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (control) {
      if (control.name) { values[control.name] = control.type === "checkbox" ? control.checked : control.value; }
    });
    return values;
  }

  function LeadManageStudio(runtime, element, data) {
    var root = element.jquery ? element[0] : element;
    var t = host.LeadManageStrings.translator(root);
    var form = root.querySelector(".lm-studio-form");
    var yaml = form.elements.lesson_yaml;
    var box = root.querySelector(".lm-studio-problems");
    var count = root.querySelector(".lm-studio-error");
    var list = root.querySelector(".lm-studio-problem-list");
    var status = root.querySelector(".lm-studio-status");
    var cursorLine = root.querySelector(".lm-studio-line");
    host.LeadManageHttp.waitForWorkbooks(root, runtime.handlerUrl(root, "workbook_status"));

    function notify(name, payload) {
      if (runtime && typeof runtime.notify === "function") { runtime.notify(name, payload); }
    }

    /* Select line n (1-based) of the YAML and scroll it into view. */
    function goToLine(n) {
      var lines = yaml.value.split("\n");
      var start = 0;
      for (var i = 0; i < n - 1 && i < lines.length; i++) { start += lines[i].length + 1; }
      var end = start + (lines[n - 1] || "").length;
      yaml.focus();
      yaml.setSelectionRange(start, end);
      var lineHeight = parseFloat(getComputedStyle(yaml).lineHeight) || 20;
      yaml.scrollTop = Math.max(0, (n - 1) * lineHeight - yaml.clientHeight / 3);
      showCursorLine();
    }

    function showCursorLine() {
      cursorLine.textContent = String(yaml.value.slice(0, yaml.selectionStart).split("\n").length);
    }

    function problemItem(problem) {
      var item = document.createElement("li");
      var label = form.querySelector("label[for='" + yaml.id.replace("lesson_yaml", problem.field) + "']");
      if (problem.line) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "lm-studio-line-link";
        button.textContent = t("Line %(line)s", { line: problem.line });
        button.addEventListener("click", function () { goToLine(problem.line); });
        item.appendChild(button);
        item.appendChild(document.createTextNode(": " + problem.message));
      } else {
        item.textContent = (label ? label.textContent + ": " : "") + problem.message;
      }
      return item;
    }

    function showProblems(problems) {
      list.textContent = "";
      problems.forEach(function (problem) { list.appendChild(problemItem(problem)); });
      count.textContent = problems.length === 1
        ? t("1 problem: nothing was saved.") : t("%(count)s problems: nothing was saved.", { count: problems.length });
      box.hidden = problems.length === 0;
      // The status line is the live region that announces the count; the box above already shows it.
      status.classList.toggle("lm-visually-hidden", problems.length > 0);
      status.textContent = problems.length ? count.textContent : "";
    }

    function saved() {
      showProblems([]);
      status.textContent = t("Saved.");
      notify("save", { state: "end" });
    }

    function refused(error) {
      if (error.problems) {
        showProblems(error.problems);
        notify("error", { title: error.message, message: count.textContent });
        return;
      }
      var reason = host.LeadManageStrings.reasonOf(error, t);
      status.textContent = t("Could not save: %(reason)s", { reason: reason });
      notify("error", { title: status.textContent, message: reason });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      status.textContent = t("Saving…");
      notify("save", { state: "start" });
      host.LeadManageHttp.postJson(data.saveUrl, formValues(form)).then(saved, refused);
    });
    root.querySelector(".lm-studio-cancel").addEventListener("click", function () { notify("cancel", {}); });
    ["keyup", "click", "focus"].forEach(function (name) { yaml.addEventListener(name, showCursorLine); });
  }

  if (typeof module === "object" && module.exports) { module.exports = { LeadManageStudio: LeadManageStudio, formValues: formValues }; }
  else { host.LeadManageStudio = LeadManageStudio; }
})(this);

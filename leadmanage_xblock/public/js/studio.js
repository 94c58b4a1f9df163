/* The Studio editor's init function (templates/xblock/studio_view.html.j2): saves every field at once and
 * lists the server's problems, each lesson problem with a button that selects its line in the YAML.
 * data = {saveUrl}. runtime.notify is optional: the xblock-sdk workbench's runtime has had none. */
function LeadManageStudio(runtime, element, data) {
  "use strict";
  var root = element.jquery ? element[0] : element;
  var form = root.querySelector(".lm-studio-form");
  var yaml = form.elements.lesson_yaml;
  var strings = root.querySelector(".lm-studio-strings").dataset;
  var box = root.querySelector(".lm-studio-problems");
  var count = root.querySelector(".lm-studio-error");
  var list = root.querySelector(".lm-studio-problem-list");
  var status = root.querySelector(".lm-studio-status");
  var cursorLine = root.querySelector(".lm-studio-line");

  function notify(name, payload) {
    if (runtime && typeof runtime.notify === "function") { runtime.notify(name, payload); }
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function values() {
    var fields = form.elements;
    return {
      display_name: fields.display_name.value,
      weight: fields.weight.value,
      pass_threshold: fields.pass_threshold.value,
      max_attempts: fields.max_attempts.value,
      min_reflection_length: fields.min_reflection_length.value,
      show_explanations: fields.show_explanations.checked,
      lesson_yaml: yaml.value,
    };
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
      button.textContent = strings.line.replace("{line}", problem.line);
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
      ? strings.countOne : strings.countMany.replace("{count}", problems.length);
    box.hidden = problems.length === 0;
    // The status line is the live region that announces the count; the box above already shows it.
    status.classList.toggle("lm-visually-hidden", problems.length > 0);
    status.textContent = problems.length ? count.textContent : "";
  }

  function save(event) {
    event.preventDefault();
    status.textContent = strings.saving;
    notify("save", { state: "start" });
    fetch(data.saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" },
      body: JSON.stringify(values()),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (reply) {
        if (response.ok) {
          showProblems([]);
          status.textContent = strings.saved;
          notify("save", { state: "end" });
        } else if (reply.problems) {
          showProblems(reply.problems);
          notify("error", { title: reply.error, message: count.textContent });
        } else {
          throw new Error(reply.error || response.statusText || "HTTP " + response.status);
        }
      });
    }).catch(function (error) {
      status.textContent = strings.failed.replace("{reason}", error.message);
      notify("error", { title: status.textContent, message: error.message });
    });
  }

  form.addEventListener("submit", save);
  root.querySelector(".lm-studio-cancel").addEventListener("click", function () { notify("cancel", {}); });
  ["keyup", "click", "focus"].forEach(function (name) { yaml.addEventListener(name, showCursorLine); });
}

/* The interface text of every LeadManage script: the learner UI, the SCORM page and the Studio editor.
 *
 * A script shows a string as t("English text", {name: value}). The page carries the translations of exactly the
 * strings its scripts use, as one JSON map in <script class="lm-strings"> (templates/partials/strings.html.j2,
 * built by leadmanage_xblock/core/ui_strings.py); a key missing from it falls back to the page's gettext(), then
 * to the English text itself. Placeholders are %(name)s, and %% is a percent sign, as in the Python catalog.
 *
 * LeadManageStrings.translator(container) → t        reads the map inside `container`
 * LeadManageStrings.fill(text, values)       → text   puts values into the placeholders
 * LeadManageStrings.reasonOf(error, t)       → text   why a request failed, in the page's language
 */
(function (host) {
  "use strict";

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s|%%/g, function (match, name) { return name ? String(values[name]) : "%"; });
  }

  function translator(container) {
    var node = container.querySelector("script.lm-strings");
    var strings = node ? JSON.parse(node.textContent) : {};
    return function t(key, values) {
      var text = strings[key] || (typeof host.gettext === "function" ? host.gettext(key) : key);
      return fill(text, values || {});
    };
  }

  /* The server's own message when it gave one; otherwise our words, never the browser's (they are in English). */
  function reasonOf(error, t) {
    if (error && error.message) { return error.message; }
    return error && error.status ? t("the server did not answer (error %(status)s)", { status: error.status })
      : t("the server could not be reached");
  }

  var api = { translator: translator, fill: fill, reasonOf: reasonOf };
  if (typeof module === "object" && module.exports) { module.exports = api; } else { host.LeadManageStrings = api; }
})(this);

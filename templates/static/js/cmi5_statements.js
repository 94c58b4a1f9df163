/* The xAPI statements of a cmi5 AU (cmi5 specification, section 9), worded from the launch it was given.
 * "cmi5 defined" statements (initialized, completed, passed, failed, terminated) have the AU's activity id as their
 * object and the cmi5 category; "cmi5 allowed" ones (answered, responded) have a quiz item, prompt or action plan
 * field as their object and no cmi5 category. Both carry the LMS's context template unchanged, with the registration.
 * launch: {actor, activityId, registration, contextTemplate, masteryScore (null when the LMS gave none)}. */
(function (root) {
  "use strict";

  const ADL = "http://adlnet.gov/expapi/verbs/";
  const VERBS = {initialized: ADL + "initialized", completed: ADL + "completed", passed: ADL + "passed",
    failed: ADL + "failed", terminated: ADL + "terminated", answered: ADL + "answered", responded: ADL + "responded"};
  const CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
  const MOVE_ON = "https://w3id.org/xapi/cmi5/context/categories/moveon";
  const MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
  /* How long each written answer is: the text itself leaves the learner's state document only when the author
   * exported the package with --send-text. */
  const CHARACTERS = "urn:leadmanage:xapi:extension:characters";

  /* ISO 8601 duration in seconds with centiseconds, as xAPI stores it. */
  function duration(ms) {
    return "PT" + (Math.max(0, Math.round(ms / 10)) / 100) + "S";
  }

  function Builder(launch, clock) {
    this.launch = launch;
    this.clock = clock || Date.now;
    this.startedAt = this.clock();
    this.last = 0;
  }

  /* Timestamps never repeat and never go back: the cmi5 order rules are judged by timestamp. */
  Builder.prototype.timestamp = function () {
    this.last = Math.max(this.clock(), this.last + 1);
    return new Date(this.last).toISOString();
  };

  Builder.prototype.elapsed = function () { return duration(this.clock() - this.startedAt); };

  Builder.prototype.context = function (categories, extensions) {
    const context = JSON.parse(JSON.stringify(this.launch.contextTemplate || {}));
    context.registration = this.launch.registration;
    if (categories.length) {
      const activities = context.contextActivities = context.contextActivities || {};
      const list = activities.category = activities.category || [];
      categories.forEach(function (id) {
        if (!list.some(function (a) { return a.id === id; })) list.push({id: id, objectType: "Activity"});
      });
    }
    if (extensions) context.extensions = Object.assign(context.extensions || {}, extensions);
    return context;
  };

  Builder.prototype.statement = function (verb, object, context, result) {
    const statement = {id: uuid(), actor: this.launch.actor, verb: {id: VERBS[verb], display: {"en-US": verb}},
      object: object, context: context, timestamp: this.timestamp()};
    if (result) statement.result = result;
    return statement;
  };

  Builder.prototype.defined = function (verb, result, extensions) {
    const moveOn = result && (result.success !== undefined || result.completion !== undefined);
    const categories = moveOn ? [CMI5, MOVE_ON] : [CMI5];
    return this.statement(verb, {objectType: "Activity", id: this.launch.activityId},
      this.context(categories, extensions), result);
  };

  Builder.prototype.initialized = function () { return this.defined("initialized"); };
  Builder.prototype.terminated = function () { return this.defined("terminated", {duration: this.elapsed()}); };
  Builder.prototype.completed = function () {
    return this.defined("completed", {completion: true, duration: this.elapsed()});
  };

  /* passed or failed, judged by `scaled` against `mastery` (0..1); the LMS's masteryScore goes into the context. */
  Builder.prototype.judged = function (correct, total, mastery) {
    const scaled = total ? Math.round(correct / total * 10000) / 10000 : 0;
    const passed = scaled >= mastery;
    const given = this.launch.masteryScore;
    return this.defined(passed ? "passed" : "failed", {
      score: {scaled: scaled, raw: correct, min: 0, max: total}, success: passed, duration: this.elapsed(),
    }, given === null || given === undefined ? null : {[MASTERY]: given});
  };

  /* A cmi5 allowed statement about `activity` (a quiz item or prompt), under the AU. */
  Builder.prototype.allowed = function (verb, activity, result) {
    const context = this.context([]);
    const activities = context.contextActivities = context.contextActivities || {};
    activities.parent = [{id: this.launch.activityId, objectType: "Activity"}];
    return this.statement(verb, activity, context, result);
  };

  /* One quiz answer: a scenario's option (success when it is the correct one) or a self-rating's point. */
  Builder.prototype.answered = function (activity, response) {
    const result = {response: String(response)};
    const correct = activity.definition.correctResponsesPattern;
    if (correct) result.success = correct.indexOf(String(response)) >= 0;
    return this.allowed("answered", activity, result);
  };

  /* A written answer saved: its length, and its text only when `withText` (the author's opt-in). */
  Builder.prototype.responded = function (activity, text, withText) {
    const result = {extensions: {[CHARACTERS]: Array.from(text).length}};
    if (withText) result.response = text;
    return this.allowed("responded", activity, result);
  };

  /* A version 4 UUID from getRandomValues, which (unlike randomUUID) pages served over plain http have too. */
  function uuid() {
    const bytes = (root.crypto || require("crypto").webcrypto).getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  const api = {Builder: Builder, duration: duration, VERBS: VERBS, CMI5: CMI5, MOVE_ON: MOVE_ON,
    CHARACTERS: CHARACTERS};
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.LeadManageCmi5Statements = api;
})(this);

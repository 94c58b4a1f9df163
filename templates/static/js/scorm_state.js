/* The learner's work as cmi.suspend_data: versioned, compact and ASCII-only.
 * SCORM 1.2 strings are ASCII and LMSs count length in different units, so every character outside
 * printable ASCII is written as a JSON \uXXXX escape; the stored length is then the same everywhere.
 * Format 1: {"v":1,"a":{scenario:option},"r":{rating:point},"t":{prompt:text},"p":{field:text},"s":1?,"l":?}
 * ("s" = quiz submitted, "l" = the section the learner was on). Any JSON reader decodes it. */
(function (root) {
  "use strict";

  const FORMAT = 1;

  function emptyState() {
    return {answers: {}, ratings: {}, reflection: {}, action_plan: {}, submitted: false, location: ""};
  }

  function asciiJson(value) {
    return JSON.stringify(value).replace(/[\u007f-\uffff]/g, function (ch) {
      return "\\u" + ch.charCodeAt(0).toString(16).padStart(4, "0");
    });
  }

  /* Drop empty texts and unanswered items: they cost budget and carry nothing. */
  function filled(map) {
    const out = {};
    Object.keys(map).forEach(function (key) {
      if (map[key] !== "" && map[key] !== null && map[key] !== undefined) out[key] = map[key];
    });
    return out;
  }

  function encode(state) {
    const data = {v: FORMAT, a: filled(state.answers), r: filled(state.ratings), t: filled(state.reflection),
      p: filled(state.action_plan)};
    if (state.submitted) data.s = 1;
    if (state.location) data.l = state.location;
    return asciiJson(data);
  }

  /* The state in `text`: null when it is empty (a first visit), `undefined` when it is there but cannot be read
   * (cut short, written by another package or a newer version): then the LMS copy must be kept untouched. */
  function decode(text) {
    if (!text) return null;
    let data;
    try {
      data = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (!data || typeof data !== "object" || data.v !== FORMAT) return undefined;
    const object = function (value) { return value && typeof value === "object" ? value : {}; };
    return {answers: object(data.a), ratings: object(data.r), reflection: object(data.t), action_plan: object(data.p),
      submitted: data.s === 1, location: typeof data.l === "string" ? data.l : ""};
  }

  /* A copy of `state` with the texts of `kind` ("reflection" or "action_plan") replaced by `values`. */
  function withTexts(state, kind, values) {
    const copy = Object.assign({}, state);
    copy[kind] = Object.assign({}, state[kind], values);
    return copy;
  }

  /* `state` with every unanswered quiz item given its longest possible answer (from the answer key),
   * and the longest section name as its location. */
  function withFullQuiz(state, key) {
    const full = Object.assign({}, state, {answers: Object.assign({}, state.answers),
      ratings: Object.assign({}, state.ratings), submitted: true, location: key.longestSection});
    key.scenarios.forEach(function (item) {
      if (full.answers[item.id] === undefined) {
        full.answers[item.id] = item.options.reduce(function (a, b) { return b.length > a.length ? b : a; });
      }
    });
    key.ratings.forEach(function (item) {
      if (full.ratings[item.id] === undefined) full.ratings[item.id] = key.points;
    });
    return full;
  }

  /* Characters left in a budget of `budget` once `state` is stored. With the answer key, room for
   * the rest of the quiz is kept back, so answering it later can never overflow the budget. */
  function remaining(state, budget, key) {
    return budget - encode(key ? withFullQuiz(state, key) : state).length;
  }

  const api = {emptyState: emptyState, encode: encode, decode: decode, withTexts: withTexts, remaining: remaining,
    asciiJson: asciiJson};
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.LeadManageScormState = api;
})(this);

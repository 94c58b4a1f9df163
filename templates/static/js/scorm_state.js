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
    const isText = function (value) { return typeof value === "string"; };
    return {answers: only(data.a, isText), ratings: only(data.r, Number.isInteger), reflection: only(data.t, isText),
      action_plan: only(data.p, isText), submitted: data.s === 1, location: isText(data.l) ? data.l : ""};
  }

  /* The entries of `map` (if it is an object) whose values `keep` accepts: a rating of "abc" is not a rating. */
  function only(map, keep) {
    const out = {};
    Object.keys(map && typeof map === "object" ? map : {}).forEach(function (key) {
      if (keep(map[key])) out[key] = map[key];
    });
    return out;
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

  function isHighSurrogate(code) { return code >= 0xd800 && code <= 0xdbff; }
  function isLowSurrogate(code) { return code >= 0xdc00 && code <= 0xdfff; }

  /* How many characters `edited` and `accepted` share at their ends, all after `caret`, never half an emoji. */
  function sharedEnd(accepted, edited, caret) {
    const most = Math.min(accepted.length, edited.length - caret);
    let count = 0;
    while (count < most && accepted[accepted.length - 1 - count] === edited[edited.length - 1 - count]) count += 1;
    return count > 0 && isLowSurrogate(edited.charCodeAt(edited.length - count)) ? count - 1 : count;
  }

  /* How many characters `edited` and `accepted` share at their starts, at most `most`, never half an emoji. */
  function sharedStart(accepted, edited, most) {
    let index = 0;
    while (index < most && accepted[index] === edited[index]) index += 1;
    return index > 0 && isHighSurrogate(edited.charCodeAt(index - 1)) ? index - 1 : index;
  }

  /* `edited` is `accepted` with text typed or pasted in, ending at `caret`: keep as much of that new text as
   * `fits(value)` allows, cut between characters (never inside an emoji), and what was there before whole.
   * Returns {value, caret (after the kept text), kept, added}: kept and added count characters as people do. */
  function keepWhatFits(accepted, edited, caret, fits) {
    const end = sharedEnd(accepted, edited, caret); // the text after the caret is what was there
    const start = sharedStart(accepted, edited, Math.min(caret, accepted.length - end));
    const head = edited.slice(0, start), tail = edited.slice(edited.length - end);
    const added = Array.from(edited.slice(start, edited.length - end));
    let low = 0, high = added.length; // binary search: the stored length grows with every character kept
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (fits(head + added.slice(0, middle).join("") + tail)) low = middle;
      else high = middle - 1;
    }
    const kept = added.slice(0, low).join("");
    return {value: head + kept + tail, caret: head.length + kept.length, kept: low, added: added.length};
  }

  /* The LMS's copy of the learner's work (`saved`) with what they did in this page before the LMS was found
   * (`page`): nothing saved is lost. Their newer choices and section win; a text written in both keeps the saved
   * one first and adds the new one below it, as far as `fits(state, kind, id, text)` allows. */
  function merge(saved, page, fits) {
    let state = Object.assign(emptyState(), saved, {answers: Object.assign({}, saved.answers, page.answers),
      ratings: Object.assign({}, saved.ratings, page.ratings), submitted: saved.submitted || page.submitted,
      location: page.location || saved.location});
    ["reflection", "action_plan"].forEach(function (kind) {
      Object.keys(page[kind]).forEach(function (id) {
        const theirs = state[kind][id] || "", mine = page[kind][id];
        if (!mine || mine === theirs) return;
        const joined = theirs ? theirs + "\n\n" + mine : mine;
        const kept = keepWhatFits(theirs, joined, joined.length, function (text) {
          return fits(withTexts(state, kind, {[id]: text}), kind, id, text);
        });
        const keptMine = theirs ? kept.kept > 2 : kept.kept > 0; // the two line breaks alone are not worth keeping
        state = withTexts(state, kind, {[id]: keptMine ? kept.value : theirs});
      });
    });
    return state;
  }

  const api = {emptyState: emptyState, encode: encode, decode: decode, withTexts: withTexts, remaining: remaining,
    asciiJson: asciiJson, keepWhatFits: keepWhatFits, merge: merge};
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.LeadManageScormState = api;
})(this);

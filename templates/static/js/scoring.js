/* The scoring rules of leadmanage_xblock/scoring.py, for pages that score in the browser (SCORM).
 * Same inputs, same numbers: tests run both on the same answers and compare the results.
 * `key` is the answer key the exporter writes into the page:
 *   {dimensions: [{id, guidance: {leading, balanced, managing}}], scenarios: [{id, dimension, correct,
 *    explanations: {optionId: text}}], ratings: [{id, dimension}], points, balancedWithin} */
(function (root) {
  "use strict";

  function scoreAnswers(key, answers) {
    const dimensions = key.dimensions.map(function (dimension) {
      const items = key.scenarios.filter(function (item) { return item.dimension === dimension.id; });
      const correct = items.filter(function (item) { return answers[item.id] === item.correct; }).length;
      return {dimension: dimension.id, correct: correct, total: items.length};
    });
    const sum = function (field) { return dimensions.reduce(function (total, d) { return total + d[field]; }, 0); };
    const correct = sum("correct");
    const total = sum("total");
    const fraction = total ? correct / total : 0;
    // Python: int(fraction * 100 + 0.5); both round the same IEEE double.
    return {correct: correct, total: total, fraction: fraction, percent: Math.floor(fraction * 100 + 0.5),
      dimensions: dimensions};
  }

  function bandOf(lean, balancedWithin) {
    if (Math.abs(lean) <= balancedWithin) return "balanced";
    return lean < 0 ? "leading" : "managing";
  }

  function profile(key, ratings) {
    const middle = (key.points + 1) / 2;
    return key.dimensions.map(function (dimension) {
      const values = key.ratings
        .filter(function (item) { return item.dimension === dimension.id && ratings[item.id] !== undefined; })
        .map(function (item) { return ratings[item.id]; });
      if (!values.length) return {dimension: dimension.id, rated: 0, mean: null, lean: null, band: null, position: 0.5};
      const mean = values.reduce(function (a, b) { return a + b; }, 0) / values.length;
      const lean = (mean - middle) / (middle - 1);
      return {dimension: dimension.id, rated: values.length, mean: mean, lean: lean,
        band: bandOf(lean, key.balancedWithin), position: (lean + 1) / 2};
    });
  }

  function isPassing(score, thresholdPercent) {
    return score.percent >= thresholdPercent; // the rounded percent shown and reported, as scoring.py
  }

  /* Python's round(value, digits): the nearest decimal, and on an exact tie the even neighbour. */
  function pyRound(value, digits) {
    const exact = value.toFixed(digits + 25);
    const tail = exact.slice(exact.indexOf(".") + 1 + digits);
    const nearest = Number(value.toFixed(digits));
    if (!/^50*$/.test(tail)) return nearest;
    const scale = Math.pow(10, digits);
    const down = Math.trunc(value * scale) / scale;
    const up = (Math.trunc(value * scale) + (value < 0 ? -1 : 1)) / scale;
    return Math.round(Math.abs(down) * scale) % 2 === 0 ? down : up;
  }

  /* The Results JSON of docs/architecture.md, as leadmanage_xblock/results.py: quiz_results builds it. */
  function results(key, answers, ratings, threshold) {
    const score = scoreAnswers(key, answers);
    const items = {};
    key.scenarios.forEach(function (item) {
      items[item.id] = {chosen: answers[item.id] === undefined ? null : answers[item.id], correct_option: item.correct, explanations: item.explanations};
    });
    const byDimension = {};
    score.dimensions.forEach(function (d) { byDimension[d.dimension] = d; });
    const dimensions = profile(key, ratings).map(function (entry, index) {
      const guidance = key.dimensions[index].guidance;
      return {id: entry.dimension, correct: byDimension[entry.dimension].correct,
        total: byDimension[entry.dimension].total, mean: entry.mean === null ? null : pyRound(entry.mean, 2),
        lean: entry.lean === null ? null : pyRound(entry.lean, 2), position: pyRound(entry.position, 3),
        band: entry.band, guidance: entry.band ? guidance[entry.band] : ""};
    });
    return {
      score: {correct: score.correct, total: score.total, percent: score.percent,
        passed: isPassing(score, threshold)},
      items: items, dimensions: dimensions, attempts_left: null,
    };
  }

  const api = {pyRound: pyRound, scoreAnswers: scoreAnswers, profile: profile, bandOf: bandOf, isPassing: isPassing, results: results};
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.LeadManageScoring = api;
})(this);

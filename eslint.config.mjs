// ESLint for our own scripts (`make lint`, `make test`): the files browsers run, served by the XBlock and packed
// into the SCORM zip. Each is a plain script (no bundler, no build step): an IIFE given the global object as
// `this`, exporting through `module.exports` when Node loads it (the tests) and a global otherwise.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["templates/static/js/**/*.js", "leadmanage_xblock/public/js/**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      // The browser's globals, and Node's `module` and `require`: the tests load the same files in Node.
      globals: { ...globals.browser, module: "readonly", require: "readonly" },
    },
    rules: {
      "no-undef": "error",
      "no-unused-vars": ["error", { args: "none" }],
      eqeqeq: "error",
      strict: ["error", "function"],
      // Nothing outside the module's function: a page gets only the global the file assigns on purpose.
      "no-implicit-globals": "error",
    },
  },
];

/* A test LMS: scorm-again's real runtime behind a recorder that logs every call in order.
 * Configuration comes in the URL hash as JSON:
 *   version  "1.2" | "2004"       launch  URL of the SCO
 *   cmi      data loaded into the runtime before launch (resume, LMS mastery score, ...)
 *   mode     "frame" (default) | "nested" (API two frames up) | "popup" (API on the opener) | "none"
 *   lateMs   attach the API this long after the SCO starts loading
 *   fail     name of an API method that throws (a broken LMS)
 *   failGet  a CMI element whose GetValue throws (an LMS that cannot read what it holds)
 *   refuseSet  a CMI element whose SetValue answers "false" and stores nothing (an LMS refusing a write)
 *   quirks   "openedx": GetValue answers "" for statuses, scores, mode, entry and _count and
 *            GetLastError always "0", as openedx-scorm-xblock's player does */
(function () {
  "use strict";
  var cfg = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  var is12 = cfg.version === "1.2";
  var settings = {logLevel: 5, autocommit: false};
  var lms = is12 ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
  lms.loadFromJSON(cfg.cmi || {}, "");
  var methods = is12
    ? ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSGetLastError",
       "LMSGetErrorString", "LMSGetDiagnostic"]
    : ["Initialize", "Terminate", "GetValue", "SetValue", "Commit", "GetLastError", "GetErrorString",
       "GetDiagnostic"];
  var errorMethod = is12 ? "LMSGetLastError" : "GetLastError";
  var calls = [];
  var recorder = {};
  var blank = /(status|score\.|\.mode|\.entry|_count)$/;
  methods.forEach(function (name) {
    recorder[name] = function () {
      var args = Array.prototype.map.call(arguments, String);
      if (name === cfg.fail) throw new Error("LMS failure in " + name);
      if (/GetValue$/.test(name) && args[0] === cfg.failGet) throw new Error("LMS failure reading " + args[0]);
      if (/SetValue$/.test(name) && args[0] === cfg.refuseSet) {
        calls.push({method: name, args: args, result: "false", error: "refused by the test LMS"});
        return "false";
      }
      if (cfg.quirks === "openedx" && name.indexOf("GetLastError") >= 0) return "0";
      if (cfg.quirks === "openedx" && name.indexOf("GetValue") >= 0 && blank.test(args[0])) return "";
      var result = String(lms[name].apply(lms, args));
      if (name.indexOf("Error") < 0 && name.indexOf("Diagnostic") < 0) {
        calls.push({method: name, args: args, result: result, error: String(lms[errorMethod]())});
      }
      return result;
    };
  });
  window.lms = lms;
  window.__calls = calls;

  function attach() {
    if (is12) window.API = recorder;
    else window.API_1484_11 = recorder;
  }
  function launch() {
    var frame = document.getElementById("sco");
    if (cfg.mode === "popup") window.popup = window.open(cfg.launch, "sco");
    else if (cfg.mode === "nested") frame.src = "/host/middle.html#" + encodeURIComponent(cfg.launch);
    else frame.src = cfg.launch;
  }
  if (cfg.mode !== "none") {
    if (cfg.lateMs) setTimeout(attach, cfg.lateMs);
    else attach();
  }
  launch();
})();

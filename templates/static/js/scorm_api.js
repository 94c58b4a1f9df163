/* Talking to the LMS: find its SCORM API, call it safely, and format SCORM times.
 * No library: discovery follows the SCORM algorithm with the field fixes (cross-origin frames
 * throw, the API may appear late, popups find it on the opener). A failing LMS never breaks the
 * page: every call is wrapped, its return checked and its error code logged. */
(function (root) {
  "use strict";

  const MAX_HOPS = 500;
  const METHODS = {
    "1.2": {name: "API", init: "LMSInitialize", finish: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue",
      commit: "LMSCommit", error: "LMSGetLastError", errorText: "LMSGetErrorString"},
    "2004": {name: "API_1484_11", init: "Initialize", finish: "Terminate", get: "GetValue", set: "SetValue",
      commit: "Commit", error: "GetLastError", errorText: "GetErrorString"},
  };

  /* The API object on `win` or one of its parents, or null; a cross-origin hop ends the walk. */
  function searchUp(win, name) {
    for (let hops = 0; win && hops < MAX_HOPS; hops += 1) {
      try {
        if (win[name]) return win[name];
        if (!win.parent || win.parent === win) return null;
        win = win.parent;
      } catch {
        return null; // SecurityError: a frame from another origin; nothing above it is reachable
      }
    }
    return null;
  }

  function findApi(win, version) {
    const name = METHODS[version].name;
    const found = searchUp(win, name);
    if (found) return found;
    try {
      const top = win.top;
      return top && top.opener ? searchUp(top.opener, name) : null;
    } catch {
      return null;
    }
  }

  /* Resolve with the API, retrying for `waitMs` (an LMS may create it after our frame loads), or null. */
  function discoverApi(win, version, waitMs, stepMs) {
    return new Promise(function (resolve) {
      const deadline = Date.now() + waitMs;
      (function attempt() {
        const api = findApi(win, version);
        if (api || Date.now() >= deadline) resolve(api || null);
        else setTimeout(attempt, stepMs);
      })();
    });
  }

  /* One SCORM session. Methods return what the LMS returned; failures are logged, never thrown. */
  function Connection(api, version) {
    this.api = api;
    this.version = version;
    this.methods = METHODS[version];
    this.log = [];
    this.state = "new"; // new -> open -> finished
  }

  Connection.prototype.call = function (method, args) {
    const name = this.methods[method];
    let result;
    try {
      result = String(this.api[name].apply(this.api, args));
    } catch (error) {
      this.log.push({call: name, args: args, error: String(error)});
      return "";
    }
    if (method !== "get" && result !== "true") this.recordError(name, args, result);
    else if (method === "get") this.checkGet(name, args);
    return result;
  };

  Connection.prototype.errorCode = function () {
    try {
      return String(this.api[this.methods.error]());
    } catch {
      return "unknown";
    }
  };

  Connection.prototype.recordError = function (name, args, result) {
    const code = this.errorCode();
    let text;
    try { text = String(this.api[this.methods.errorText](code)); } catch { text = ""; }
    this.log.push({call: name, args: args, result: result, code: code, text: text});
  };

  Connection.prototype.checkGet = function (name, args) {
    const code = this.errorCode();
    if (code !== "0" && code !== "") this.log.push({call: name, args: args, code: code});
  };

  Connection.prototype.open = function () {
    if (this.state !== "new") return this.state === "open";
    this.state = this.call("init", [""]) === "true" ? "open" : "failed";
    return this.state === "open";
  };

  Connection.prototype.get = function (element) {
    return this.state === "open" ? this.call("get", [element]) : "";
  };

  /* What the LMS holds in `element`, or null when it could not say: the call threw or answered with an error.
   * "" means nothing is stored; SCORM 2004 says that with 403 ("not initialized"), which is not a failure. */
  Connection.prototype.read = function (element) {
    if (this.state !== "open") return null;
    const logged = this.log.length;
    const value = this.call("get", [element]);
    const failure = this.log.length > logged ? this.log[this.log.length - 1] : null;
    if (!failure) return value;
    return this.version === "2004" && failure.code === "403" ? "" : null;
  };

  Connection.prototype.set = function (element, value) {
    return this.state === "open" && this.call("set", [element, String(value)]) === "true";
  };

  Connection.prototype.commit = function () {
    return this.state === "open" && this.call("commit", [""]) === "true";
  };

  /* Terminate / LMSFinish, exactly once. 1.2 commits first; 2004 must not (Terminate commits, and
   * some LMSs fail a Commit right before Terminate). */
  Connection.prototype.finish = function () {
    if (this.state !== "open") return false;
    if (this.version === "1.2") this.commit();
    this.state = "finished";
    return this.call("finish", [""]) === "true";
  };

  function pad(number, width) {
    return String(number).padStart(width, "0");
  }

  /* 1.2 CMITimespan: HHHH:MM:SS.SS, centiseconds always two digits. */
  function sessionTime12(ms) {
    const cs = Math.max(0, Math.round(ms / 10));
    const hours = Math.min(9999, Math.floor(cs / 360000));
    return pad(hours, 4) + ":" + pad(Math.floor(cs / 6000) % 60, 2) + ":" + pad(Math.floor(cs / 100) % 60, 2) +
      "." + pad(cs % 100, 2);
  }

  /* 2004 timeinterval: ISO 8601 duration, at most two decimals, always one designator (PT0S). */
  function sessionTime2004(ms) {
    const cs = Math.max(0, Math.round(ms / 10));
    const hours = Math.floor(cs / 360000);
    const minutes = Math.floor(cs / 6000) % 60;
    const seconds = (cs % 6000) / 100;
    return "PT" + (hours ? hours + "H" : "") + (minutes ? minutes + "M" : "") + (seconds || !(hours || minutes) ?
      String(Number(seconds.toFixed(2))) + "S" : "");
  }

  /* 2004 time(second,10,0): local time without a zone (a zone would require fractional seconds). */
  function timestamp2004(date) {
    return date.getFullYear() + "-" + pad(date.getMonth() + 1, 2) + "-" + pad(date.getDate(), 2) + "T" +
      pad(date.getHours(), 2) + ":" + pad(date.getMinutes(), 2) + ":" + pad(date.getSeconds(), 2);
  }

  /* 1.2 CMITime: HH:MM:SS. */
  function time12(date) {
    return pad(date.getHours(), 2) + ":" + pad(date.getMinutes(), 2) + ":" + pad(date.getSeconds(), 2);
  }

  const api = {findApi: findApi, discoverApi: discoverApi, Connection: Connection, sessionTime12: sessionTime12,
    sessionTime2004: sessionTime2004, timestamp2004: timestamp2004, time12: time12};
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.LeadManageScormApi = api;
})(this);

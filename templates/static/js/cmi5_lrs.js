/* The AU's link to the LRS its LMS named: xAPI 1.0.3 requests with the session's auth token, and an outbox that
 * loses nothing. Statements leave in the order they were made, the learner's state document as its latest version;
 * what the LRS refuses or does not answer in time is kept (in memory and in this browser) and sent again after a
 * pause that grows, and `onStatus` tells the page whether the LRS is taking what it is sent.
 * Ralph (and many LRSs) need the Authorization header, which sendBeacon cannot send: on page hide the outbox goes
 * with fetch(..., {keepalive: true}) instead. */
(function (root) {
  "use strict";

  const VERSION = "1.0.3";
  const TIMEOUT_MS = 15000;
  const RETRY_MS = [1000, 2000, 5000, 10000, 30000];

  function LrsError(message, status) {
    const error = new Error(message);
    error.status = status;
    return error;
  }

  /* `endpoint`: the LRS base URL from the launch; `token`: the fetch URL's auth-token; `storage`: where the outbox
   * waits between pages (localStorage, or null); `key`: its name there. */
  function Lrs(endpoint, token, storage, key) {
    this.endpoint = endpoint.replace(/\/?$/, "/");
    this.token = token;
    this.storage = storage;
    this.key = key;
    this.pending = this.load();
    this.state = null; // {params, document} waiting to be written
    this.failures = 0;
    this.timer = null;
    this.sending = null;
    this.waiters = [];
    this.onStatus = function () {};
    this.retryMs = RETRY_MS;
  }

  Lrs.prototype.url = function (path, params) {
    const query = Object.keys(params || {}).map(function (name) {
      return encodeURIComponent(name) + "=" + encodeURIComponent(params[name]);
    }).join("&");
    return this.endpoint + path + (query ? "?" + query : "");
  };

  Lrs.prototype.request = function (method, path, params, body, keepalive) {
    const controller = new AbortController();
    const timer = setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    const headers = {"Authorization": "Basic " + this.token, "X-Experience-API-Version": VERSION};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(this.url(path, params), {method: method, headers: headers, keepalive: !!keepalive,
      body: body === undefined ? undefined : JSON.stringify(body), signal: controller.signal,
    }).then(function (response) {
      clearTimeout(timer);
      // 404 answers a GET of a state document that does not exist yet; anywhere else it is a failure.
      if (response.ok || (response.status === 404 && method === "GET")) return response;
      throw new LrsError("the learning record store refused the request (HTTP " + response.status + ")",
        response.status);
    }, function (error) {
      clearTimeout(timer);
      throw new LrsError("the learning record store could not be reached (" + error.name + ")", 0);
    });
  };

  /* A state document as JSON, or null when there is none. */
  Lrs.prototype.getState = function (params) {
    return this.request("GET", "activities/state", params).then(function (response) {
      return response.status === 404 ? null : response.json();
    });
  };

  /* An agent profile document (params: agent, profileId) as JSON, or null when there is none. */
  Lrs.prototype.getProfile = function (params) {
    return this.request("GET", "agents/profile", params).then(function (response) {
      return response.status === 404 ? null : response.json();
    });
  };

  Lrs.prototype.load = function () {
    try { return JSON.parse(this.storage.getItem(this.key)) || []; } catch { return []; }
  };

  /* The statements not yet sent, kept in this browser while there are any (then nothing of them stays). */
  Lrs.prototype.keep = function () {
    try {
      if (this.pending.length) this.storage.setItem(this.key, JSON.stringify(this.pending));
      else this.storage.removeItem(this.key);
    } catch { /* memory still holds them */ }
  };

  Lrs.prototype.send = function (statements) {
    this.pending = this.pending.concat(statements);
    this.keep();
    return this.flush();
  };

  /* Write `document` as the state `params` name; the promise settles with the first write that follows, with the
   * document written (a newer one may have taken this one's place). */
  Lrs.prototype.putState = function (params, document) {
    this.state = {params: params, document: document};
    const lrs = this;
    const written = new Promise(function (resolve, reject) { lrs.waiters.push({resolve: resolve, reject: reject}); });
    this.flush();
    return written;
  };

  Lrs.prototype.idle = function () { return !this.pending.length && !this.state; };

  /* Send what waits, one request at a time; on failure tell the page and try again later. */
  Lrs.prototype.flush = function () {
    if (this.sending || this.timer) return this.sending || Promise.resolve();
    if (this.idle()) return Promise.resolve();
    const lrs = this;
    this.sending = this.sendNext().then(function () {
      lrs.sending = null;
      if (lrs.failures) lrs.onStatus(true);
      lrs.failures = 0;
      return lrs.flush();
    }, function (error) {
      lrs.sending = null;
      lrs.failures += 1;
      lrs.waiters.splice(0).forEach(function (waiter) { waiter.reject(error); });
      lrs.onStatus(false, error);
      const delay = lrs.retryMs[Math.min(lrs.failures, lrs.retryMs.length) - 1];
      lrs.timer = setTimeout(function () { lrs.timer = null; lrs.flush(); }, delay);
    });
    return this.sending;
  };

  Lrs.prototype.sendNext = function (keepalive) {
    const lrs = this;
    if (this.state) {
      const state = this.state;
      return this.request("PUT", "activities/state", state.params, state.document, keepalive).then(function () {
        if (lrs.state === state) lrs.state = null;
        lrs.waiters.splice(0).forEach(function (waiter) { waiter.resolve(state.document); }); // what was written
      });
    }
    const batch = this.pending.slice();
    return this.request("POST", "statements", null, batch, keepalive).then(function () {
      lrs.pending = lrs.pending.slice(batch.length);
      lrs.keep();
    });
  };

  /* The page is going: send the state and the statements now, in that order, with requests that outlive it. A batch
   * still under way goes again with the rest, so nothing can arrive after "terminated": an LRS keeps one statement
   * per id (xAPI 1.0.3), so a copy it already holds is not stored twice. */
  Lrs.prototype.flushOnHide = function () {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    const lrs = this;
    const statements = this.pending.slice();
    const state = this.state;
    if (state) this.request("PUT", "activities/state", state.params, state.document, true).catch(function () {});
    if (statements.length) {
      this.request("POST", "statements", null, statements, true).then(function () {
        lrs.pending = lrs.pending.filter(function (s) { return statements.indexOf(s) < 0; });
        lrs.keep();
      }, function () {});
    }
  };

  const api = {Lrs: Lrs, RETRY_MS: RETRY_MS};
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.LeadManageCmi5Lrs = api;
})(this);

/* The cmi5 AU's launch (specification, sections 8, 10 and 11): start lesson.js at once with a session's backend, then
 * read the launch parameters, POST the fetch URL once for the auth token, read LMS.LaunchData from the State API and
 * the learner's preferences from the Agent Profile API, send "initialized", read the learner's saved work (agent +
 * activity + registration) and bring it back merged with what the learner did meanwhile. Without a usable launch the
 * module still works and keeps the work in this browser; the learner is told either way. Finish or page hide end the
 * session. Its messages are t("…") strings. */
(function (root) {
  "use strict";

  const Statements = root.LeadManageCmi5Statements || require("./cmi5_statements.js");
  const Lrs = (root.LeadManageCmi5Lrs || require("./cmi5_lrs.js")).Lrs;
  const Cmi5 = root.LeadManageCmi5Session || require("./cmi5_session.js");
  const Strings = root.LeadManageStrings || require("./ui_strings.js");
  const LAUNCH_DATA = "LMS.LaunchData";
  const PARAMETERS = ["endpoint", "fetch", "actor", "registration", "activityId"];
  const WEB_ADDRESSES = ["endpoint", "fetch"];
  const RETRY_MS = [1000, 3000, 10000];
  /* The fetch URL is tried three times in 4 s: its token is one-time and short-lived, so waiting longer rarely helps,
   * and the learner is told at the first failure. */
  const FETCH_RETRY_MS = [1000, 3000];
  const PREFERENCES = "cmi5LearnerPreferences";

  /* The launch URL's parameters, or {missing: [names]} when it is not a usable cmi5 launch: each is there, the
   * endpoint and fetch URL are web addresses (no token goes to a javascript: or data: one) and the actor is a JSON
   * object. `scope`: whose work this is, where it goes (registration, endpoint, actor); see boot. */
  function launchParameters(search) {
    const query = new URLSearchParams(search), found = {};
    PARAMETERS.forEach(function (name) { found[name] = query.get(name); });
    found.actor = jsonObject(found.actor);
    const missing = PARAMETERS.filter(function (name) {
      return !found[name] || (WEB_ADDRESSES.indexOf(name) >= 0 && !/^https?:\/\//i.test(found[name]));
    });
    if (missing.length) return {missing: missing};
    found.scope = [found.registration, found.endpoint, JSON.stringify(found.actor)].join(" ");
    return found;
  }

  function jsonObject(text) {
    try {
      const value = JSON.parse(text);
      return value && typeof value === "object" && !Array.isArray(value) ? value : null;
    } catch {
      return null;
    }
  }

  /* `attempt()` again after each pause in `delays` while it fails for a reason retrying can change; `failed(error)`
   * hears of each failure that will be retried. */
  function retrying(attempt, delays, failed) {
    delays = delays || RETRY_MS;
    return attempt().catch(function (error) {
      if (!delays.length || error.retry === false) throw error;
      if (failed) failed(error);
      return new Promise(function (go) { setTimeout(go, delays[0]); }).then(function () {
        return retrying(attempt, delays.slice(1), failed);
      });
    });
  }

  /* The auth token, from the one successful POST to the fetch URL. An error document (section 8.2.3) and a 4xx
   * answer are final; no answer or a 5xx is tried again, and `failed` tells the learner meanwhile. */
  function fetchToken(url, failed) {
    return retrying(function () {
      return fetch(url, {method: "POST"}).then(function (response) {
        if (!response.ok) {
          const error = new Error("the fetch URL answered HTTP " + response.status);
          error.retry = response.status >= 500 || response.status === 408 || response.status === 429;
          throw error;
        }
        return response.json();
      }).then(function (body) {
        if (body && typeof body["auth-token"] === "string") return body["auth-token"];
        const error = new Error("the fetch URL refused: " + JSON.stringify(body));
        error.retry = false;
        throw error;
      });
    }, FETCH_RETRY_MS, failed);
  }

  /* The first of the learner's languages (RFC 5646 tags, best first) that the package offers, matched on the primary
   * language ("es-MX" takes "es"); the package's own language when none is offered or no preference is known. */
  function chooseLanguage(preference, offered) {
    const primary = function (tag) { return String(tag).trim().toLowerCase().split("-")[0]; };
    const wanted = typeof preference === "string" ? preference.split(",").map(primary) : [];
    const found = wanted.filter(function (tag) { return offered.map(primary).indexOf(tag) >= 0; })[0];
    return offered.filter(function (tag) { return primary(tag) === found; })[0] || offered[0];
  }

  /* The learner's preferences (section 11), read at startup; missing, unreadable or refused means "no preference". */
  function readPreferences(session) {
    const agent = JSON.stringify(session.launch.actor);
    return session.lrs.getProfile({agent: agent, profileId: PREFERENCES}).then(function (document) {
      return document && typeof document === "object" ? document : {};
    }, function (error) {
      console.warn("LeadManage cmi5: learner preferences not read:", error.message);
      return {};
    }).then(function (preferences) {
      session.preferences = preferences;
      // The package offers one language (its --lang): a preference can only confirm it. The module has no audio.
      session.language = chooseLanguage(preferences.languagePreference, [session.config.language]);
    });
  }

  /* The launch sequence; rejects when the LMS's fetch URL or LRS cannot be used. */
  function connect(session, params) {
    const notAnswering = function () {
      session.notice(session.t("Your LMS is not answering yet. Your work is kept in this browser while this page tries again."));
    };
    return fetchToken(params.fetch, notAnswering).then(function (token) {
      session.lrs = new Lrs(params.endpoint, token, Cmi5.storage(), "leadmanage:cmi5:outbox:" + params.scope);
      session.lrs.onStatus = function (ok) { session.lrsStatus(ok); };
      session.launch = {actor: params.actor, activityId: params.activityId, registration: params.registration};
      return retrying(function () { return session.lrs.getState(session.stateParams(LAUNCH_DATA)); });
    }).then(function (launchData) {
      if (!launchData || !launchData.contextTemplate) throw new Error("LMS.LaunchData is missing");
      Object.assign(session.launch, {contextTemplate: launchData.contextTemplate, launchMode: launchData.launchMode,
        masteryScore: launchData.masteryScore, moveOn: launchData.moveOn, returnURL: launchData.returnURL});
      return readPreferences(session);
    }).then(function () {
      session.builder = new Statements.Builder(session.launch);
      session.lrs.send([session.builder.initialized()]);
      return retrying(function () { return session.lrs.getState(session.stateParams(Cmi5.WORK)); });
    }).then(function (saved) {
      const local = session.localCopy(), chosen = session.newer(saved, local);
      session.notice(modeNotice(session));
      session.resume(chosen);
      // Work only this browser held (typed while the LMS could not take it) goes to the LMS now.
      if (chosen && chosen === local) session.store().catch(function () { /* the outbox retries it */ });
    });
  }

  function modeNotice(session) {
    if (session.normal()) return "";
    if (session.reviewing()) {
      return session.t("You are reviewing your work as it was saved: it is read-only and nothing is recorded.");
    }
    return session.t("You are looking through this module: your answers are not graded and your result is unchanged.");
  }

  /* No usable LMS: the work stays in this browser, and the module still scores and keeps it there. */
  function goLocal(session, message, error) {
    if (error) console.warn("LeadManage cmi5:", error.message);
    session.lrs = null;
    session.launch = null;
    session.notice(message);
    session.resume(session.localCopy());
  }

  /* Choices are stored at once, and the section the learner opens, so a learner who leaves keeps both. */
  function watch(session) {
    session.moduleRoot.addEventListener("change", function (event) {
      const input = event.target, fieldset = input.closest ? input.closest("fieldset[data-item]") : null;
      if (!fieldset || input.type !== "radio" || session.finished || !session.connected) return;
      const id = fieldset.getAttribute("data-item");
      if (fieldset.classList.contains("lm-rating")) session.state.ratings[id] = parseInt(input.value, 10);
      else session.state.answers[id] = input.value;
      session.store().catch(function () {});
    });
    session.moduleRoot.addEventListener("click", function (event) {
      const link = event.target.closest ? event.target.closest("a[data-go]") : null;
      if (!link || session.finished) return;
      session.state.location = link.getAttribute("data-go");
      if (session.connected) session.store().catch(function () {});
    });
    root.addEventListener("pagehide", function () { session.finish(false); });
    const button = session.doc.querySelector(".lm-scorm-finish");
    button.addEventListener("click", function () {
      button.disabled = true;
      session.whenConnected(function () { session.finish(true); });
    });
  }

  function boot(doc) {
    const config = JSON.parse(doc.getElementById("lm-scorm-config").textContent);
    const moduleRoot = doc.querySelector(".lm-module");
    const session = new Cmi5.Session(doc, config, moduleRoot, Strings.translator(moduleRoot));
    moduleRoot.appendChild(doc.querySelector(".lm-scorm-actions"));
    watch(session);
    session.module = root.LeadManage.start(moduleRoot, session.backend(), {});
    const params = launchParameters(root.location.search);
    // Work kept in this browser is the registration's, for this learner and this LRS only: a later launch that
    // reaches the same LMS brings it back, and no other launch (another actor or endpoint) ever reads it.
    if (!params.missing) session.localKey += ":" + params.scope;
    if (params.missing) {
      goLocal(session, session.t("This page was not launched by a cmi5 LMS, so your work is kept in this browser only."));
      return session;
    }
    connect(session, params).catch(function (error) {
      goLocal(session, session.t("Your LMS could not be reached, so your work is kept in this browser only. Launch the module again from your LMS to continue there."), error);
    });
    return session;
  }

  /* `session`: the page's session, for support and tests (what reached the LRS, what waits). */
  const api = {boot: boot, launchParameters: launchParameters, chooseLanguage: chooseLanguage, session: null};
  if (root.document && root.document.getElementById("lm-scorm-config")) api.session = boot(root.document);
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.LeadManageCmi5Launch = api;
})(this);

/* Clock times that follow the facilitator's start time, and the live session view.
   - Every .cx-clock span carries minutes from the session's start (data-cx-from, data-cx-to); the start time
     comes from the picker (input[data-cx-start-picker]), kept in this browser only (localStorage), else the
     default from mkdocs.yml. Times are written with the page's own pattern (CLDR, from Babel).
   - The session view ([data-cx-session]) highlights the current part with the minutes left and the next part,
     from the device's clock, and keeps the screen on where the browser allows (Screen Wake Lock).
   No network; nothing but the chosen start time is stored. */
(function () {
  "use strict";
  var KEY = "connections.start-time";
  var config = document.getElementById("cx-clock-config");
  var conf = config ? config.dataset : {};
  var fallback = conf.default || "18:00";
  var pattern = conf.pattern || "HH:mm";

  function parse(value) {
    var m = /^(\d{1,2}):(\d{2})/.exec(value || "");
    return m ? Number(m[1]) * 60 + Number(m[2]) : null;
  }

  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }

  function store(value) {
    try { window.localStorage.setItem(KEY, value); } catch (e) { /* storage off: the page still follows */ }
  }

  function startMinutes() {
    var s = parse(stored());
    return s === null ? parse(fallback) : s;
  }

  function two(n) { return (n < 10 ? "0" : "") + n; }

  /* A CLDR time pattern (H, HH, h, hh, mm, a, 'literal') with no-break spaces, as the build writes times. */
  function format(total) {
    total = ((total % 1440) + 1440) % 1440;
    var h = Math.floor(total / 60), m = total % 60;
    var out = pattern.replace(/'([^']*)'|HH|H|hh|h|mm|m|a/g, function (tok, lit) {
      if (lit !== undefined) return lit;
      switch (tok) {
        case "HH": return two(h);
        case "H": return String(h);
        case "hh": return two(h % 12 || 12);
        case "h": return String(h % 12 || 12);
        case "mm": return two(m);
        case "m": return String(m);
        case "a": return h < 12 ? (conf.am || "AM") : (conf.pm || "PM");
      }
      return tok;
    });
    return out.replace(/[ \u202f]/g, "\u00a0");
  }

  function render() {
    var start = startMinutes();
    var clocks = document.querySelectorAll(".cx-clock");
    for (var i = 0; i < clocks.length; i++) {
      var c = clocks[i];
      c.textContent = format(start + Number(c.dataset.cxFrom)) + "\u00a0\u2013 " + format(start + Number(c.dataset.cxTo));
    }
    var inputs = document.querySelectorAll("[data-cx-start-picker] input[type=time]");
    var value = two(Math.floor(start / 60)) + ":" + two(start % 60);
    for (var j = 0; j < inputs.length; j++) {
      if (inputs[j].value !== value) inputs[j].value = value;
      inputs[j].setAttribute("value", value);  /* printed pages show the chosen time */
    }
    session();
  }

  var pickers = document.querySelectorAll("[data-cx-start-picker]");
  for (var k = 0; k < pickers.length; k++) {
    pickers[k].addEventListener("submit", function (e) { e.preventDefault(); });
    var input = pickers[k].querySelector("input[type=time]");
    input.addEventListener("change", function (e) {
      if (parse(e.target.value) !== null) { store(e.target.value.slice(0, 5)); render(); }
    });
    var now = pickers[k].querySelector("[data-cx-start-now]");
    if (now) now.addEventListener("click", function () {
      var d = new Date();
      store(two(d.getHours()) + ":" + two(d.getMinutes()));
      render();
    });
  }
  window.addEventListener("storage", function (e) { if (e.key === KEY) render(); });

  /* ---- the session view ---- */
  var view = document.querySelector("[data-cx-session]");
  var wakeLock = null;

  function say(template, n) { return (template || "").replace("{n}", String(n)); }

  function session() {
    if (!view) return;
    var d = new Date();
    var nowMin = d.getHours() * 60 + d.getMinutes() + d.getSeconds() / 60;
    var clock = view.querySelector("[data-cx-now-clock]");
    if (clock) clock.textContent = format(d.getHours() * 60 + d.getMinutes());
    var elapsed = nowMin - startMinutes();
    if (elapsed < -720) elapsed += 1440;  /* a session that started before midnight */
    if (elapsed > 720) elapsed -= 1440;
    var parts = view.querySelectorAll("[data-cx-part]");
    var current = -1;
    for (var i = 0; i < parts.length; i++) {
      var from = Number(parts[i].dataset.cxFrom), to = Number(parts[i].dataset.cxTo);
      var on = elapsed >= from && elapsed < to;
      if (on) current = i;
      parts[i].classList.toggle("cx-session__item--current", on);
      parts[i].classList.toggle("cx-session__item--done", elapsed >= to);
      if (on) parts[i].setAttribute("aria-current", "step"); else parts[i].removeAttribute("aria-current");
    }
    /* a part's name: its link to the guide, or the plain name of a break or the reunion with the children */
    var name = function (i) { var e = parts[i] && parts[i].querySelector("[data-cx-name]"); return e ? e.textContent : ""; };
    var cur = view.querySelector("[data-cx-current]");
    var left = view.querySelector("[data-cx-left]");
    var next = view.querySelector("[data-cx-next]");
    var nextLine = view.querySelector("[data-cx-next-line]");
    var last = parts.length ? Number(parts[parts.length - 1].dataset.cxTo) : 0;
    var over = parts.length > 0 && elapsed >= last;
    view.classList.toggle("cx-session--over", over);
    if (nextLine) nextLine.hidden = over;
    if (current >= 0) {
      cur.textContent = name(current);
      left.textContent = say(view.dataset.cxTLeft, Math.ceil(Number(parts[current].dataset.cxTo) - elapsed));
      next.textContent = current + 1 < parts.length ? name(current + 1) : view.dataset.cxTLast;
    } else if (elapsed < 0) {
      cur.textContent = name(0);
      left.textContent = say(view.dataset.cxTBefore, Math.ceil(-elapsed));
      next.textContent = name(1);
    } else if (over) {
      /* the group may well run on: say so calmly; the agenda stays on the page */
      cur.textContent = view.dataset.cxTOver;
      left.textContent = "";
      next.textContent = "";
    }
  }

  function keepAwake() {
    if (!view || !("wakeLock" in navigator) || document.visibilityState !== "visible") return;
    navigator.wakeLock.request("screen").then(function (lock) {
      wakeLock = lock;
      var note = view.querySelector("[data-cx-wake]");
      if (note) { note.textContent = view.dataset.cxTWake; note.hidden = false; }
      lock.addEventListener("release", function () { wakeLock = null; });
    }).catch(function () { /* not allowed (battery saver, no permission): the page works without it */ });
  }

  render();
  if (view) {
    window.setInterval(session, 5000);
    keepAwake();
    document.addEventListener("visibilitychange", function () { if (!wakeLock) keepAwake(); });
  }
})();

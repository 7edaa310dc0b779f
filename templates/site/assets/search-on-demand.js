/* Connections: the search starts when a reader opens it, not at every page load.

   Why: Material starts its search worker on every page it loads and, when the site is served over http, sends
   it the whole search index at once; the worker then builds the index (about half a second of processor time
   on a desktop, several seconds on an older phone) although most pages are opened to be read, not searched.
   Opened from a folder (file://), Material already waits until the search is opened before sending the index,
   but still builds the hidden frame the worker runs in (iframe-worker, loaded just before this file).

   What: the search worker is replaced by a stand-in that keeps what Material sends it and makes the real
   worker (or the frame) only when the search is opened — the moment Material itself uses over file:// — then
   hands it what it kept and passes its answers back. Other workers are left alone. Loaded before Material's
   own script (extra.polyfills in mkdocs.yml). */
(function () {
  "use strict";
  var Base = window.Worker;
  if (typeof Base !== "function" || typeof EventTarget !== "function") return;

  function searchToggle() { return document.querySelector("input[data-md-toggle=search]"); }

  var waiting = [];
  var opened = false;
  function open() {
    if (opened) return;
    opened = true;
    var start = waiting;
    waiting = [];
    start.forEach(function (run) { run(); });
  }
  // Material opens the search by checking this box (a click, so a "change" event), from the search field, the
  // keyboard shortcuts or a shared link (?q=): every way in passes here.
  document.addEventListener("change", function (event) {
    var toggle = searchToggle();
    if (event.target === toggle && toggle.checked) open();
  }, true);
  document.addEventListener("focusin", function (event) {
    var t = event.target;
    if (t && t.matches && t.matches("[data-md-component=search-query]")) open();
  }, true);

  function OnDemand(url, options) {
    var self = new EventTarget();
    var real = null;
    var kept = [];
    function forward(type) {
      return function (event) {
        var copy = type === "message" ? new MessageEvent("message", { data: event.data })
                                      : new ErrorEvent("error", { message: event.message, error: event.error });
        self.dispatchEvent(copy);
        var handler = self["on" + type];
        if (typeof handler === "function") handler.call(self, copy);
      };
    }
    function make() {
      real = new Base(url, options);
      real.addEventListener("message", forward("message"));
      real.addEventListener("error", forward("error"));
      kept.forEach(function (args) { real.postMessage.apply(real, args); });
      kept = [];
    }
    self.onmessage = null;
    self.onerror = null;
    self.postMessage = function () {
      if (real) return real.postMessage.apply(real, arguments);
      kept.push(Array.prototype.slice.call(arguments));
      var toggle = searchToggle();
      if (toggle && toggle.checked) open();  // already open (Material starts watching with the box's state)
    };
    self.terminate = function () {
      if (real) real.terminate();
      kept = [];
    };
    if (opened) make(); else waiting.push(make);
    return self;
  }

  window.Worker = function (url, options) {
    if (!/\/workers\/search\.[^\/]*\.js/.test(String(url))) return new Base(url, options);
    return OnDemand(url, options);
  };
  window.Worker.prototype = Base.prototype;
})();

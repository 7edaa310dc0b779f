/* Quick exit for people who may be watched while they read: the button, or Shift pressed three times,
   hides the page at once and replaces this history entry with a neutral site (location.replace), so the
   Back button does not lead here. Same behaviour as GOV.UK's "Exit this page". No network, no storage. */
(function () {
  "use strict";
  var button = document.querySelector("[data-cx-quick-exit]");
  if (!button) return;
  var target = button.getAttribute("href");

  function leave(event) {
    if (event) event.preventDefault();
    document.documentElement.style.visibility = "hidden";
    document.title = "";
    window.location.replace(target);
  }

  button.addEventListener("click", leave);

  var presses = 0;
  var timer = null;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") { presses = 0; return; }
    if (event.repeat) return;
    presses += 1;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { presses = 0; }, 5000);
    if (presses >= 3) leave();
  });
})();

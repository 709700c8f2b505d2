// Keyboard shortcuts for the review screen. Every action is a plain form button, so the
// page works the same with JavaScript off; this only saves a reviewer the mouse.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var form = document.getElementById("decision-form");
    if (!form || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    var typing = target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT" ||
                            target.tagName === "SELECT");
    var reason = document.getElementById("reason");
    if (typing) {
      if (event.key === "Escape") { target.blur(); }
      return;
    }
    var buttons = { c: "confirm", r: "reject", s: "skip" };
    if (event.key === "/") { event.preventDefault(); reason.focus(); return; }
    var id = buttons[event.key];
    if (!id) { return; }
    event.preventDefault();
    var needed = id === "skip" ? 3 : 10;
    if (reason.value.trim().length < needed) {
      reason.focus();
      reason.setAttribute("placeholder", "Write the reason (" + needed + "+ characters), then press Esc and " + event.key);
      return;
    }
    document.getElementById(id).click();
  });
})();

// The model's explanation is computed in the background; fetch it when it is ready
// instead of asking the reviewer to reload (without JavaScript, the reload link does it).
(function () {
  "use strict";
  var pending = document.getElementById("waterfall-pending");
  var section = document.getElementById("waterfall-section");
  if (!pending || !section || !window.fetch) { return; }
  var url = "/review/" + section.getAttribute("data-case") + "/waterfall";
  var tries = 0;
  function poll() {
    tries += 1;
    fetch(url, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.text() : Promise.reject(response.status);
    }).then(function (html) {
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var fresh = holder.querySelector("#waterfall-section");
      if (!fresh) { return; }
      section.replaceWith(fresh);
      section = fresh;
      if (fresh.querySelector("#waterfall-pending") && tries < 30) { poll(); }
    }).catch(function () { /* the reload link still works */ });
  }
  poll();
})();

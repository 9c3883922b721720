// Small helpers for every page; each does nothing when its elements are absent.
// - The sign-in confirmation sends the browser's time zone, so a new account starts in it.
// - "Copy" buttons next to a secret shown once.
// - A slow form (adding a posting by its address) shows that it is working.
// - After an action the page names what it did beside its section: that note (or the
//   section the address points at) takes the focus, so keyboard and screen-reader users
//   land where they were.
// - In-app notifications: polled every 30 s while the tab is visible, shown in the header,
//   and marked read from there.
(function () {
  "use strict";
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
  document.querySelectorAll("input[name=time_zone][data-from-browser]").forEach(function (input) {
    if (zone) { input.value = zone; }
  });

  var focus = document.querySelector("[data-focus]") ||
    (location.hash.length > 1 ? document.getElementById(location.hash.slice(1)) : null);
  if (focus && focus.closest(".sidebar")) {
    if (!focus.hasAttribute("tabindex")) { focus.setAttribute("tabindex", "-1"); }
    focus.focus({ preventScroll: true });
    focus.scrollIntoView({ block: "start" });
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(function () { button.textContent = "Copied"; });
    });
  });

  // A form that takes a while (fetching and reading a posting) says so while it runs.
  document.querySelectorAll("form [data-busy]").forEach(function (note) {
    var form = note.closest("form");
    form.addEventListener("submit", function () {
      note.hidden = false;
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; }
    });
  });

  var bell = document.getElementById("notifications");
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  if (!bell || !tokenMeta) { return; }
  var csrf = tokenMeta.getAttribute("content");
  var count = bell.querySelector(".unread-count");
  var list = bell.querySelector("ul");
  var markAll = bell.querySelector("button[data-mark-all]");

  function show(items, unread) {
    count.textContent = unread > 0 ? String(unread) : "";
    count.hidden = unread === 0;
    bell.classList.toggle("has-unread", unread > 0);
    list.textContent = "";
    if (items.length === 0) {
      var none = document.createElement("li");
      none.textContent = "Nothing new.";
      list.appendChild(none);
    }
    items.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement(item.link ? "a" : "span");
      if (item.link) { link.href = item.link; }
      link.textContent = item.title;
      li.appendChild(link);
      if (item.body) {
        var body = document.createElement("span");
        body.className = "hint";
        body.textContent = " " + item.body;
        li.appendChild(body);
      }
      var read = document.createElement("button");
      read.type = "button";
      read.className = "secondary";
      read.textContent = "Mark read";
      read.addEventListener("click", function () { mark("/api/v1/notifications/" + item.id + "/read"); });
      li.appendChild(read);
      list.appendChild(li);
    });
    markAll.hidden = unread === 0;
  }

  function poll() {
    if (document.hidden) { return; }
    fetch("/api/v1/notifications?unread=true&limit=10", { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body) { show(body.items || [], body.unread_count || 0); } })
      .catch(function () { /* offline: try again at the next tick */ });
  }

  function mark(path) {
    fetch(path, { method: "POST", credentials: "same-origin", headers: { "x-csrf-token": csrf } }).then(poll);
  }

  markAll.addEventListener("click", function (event) {
    event.preventDefault();
    mark("/api/v1/notifications/read-all");
  });
  poll();
  setInterval(poll, 30000);
  document.addEventListener("visibilitychange", poll);
})();

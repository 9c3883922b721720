// Drag-and-drop on the board. The move is shown at once, then sent to the API with the
// card's version (If-Match) and the session's CSRF token. If the card changed elsewhere
// (409), the server's version replaces it and a notice offers to apply the move again.
// Without JavaScript the sidebar's "Move to" form does the same job.
(function () {
  "use strict";
  var board = document.querySelector(".board");
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  if (!board || !tokenMeta) { return; }
  var csrf = tokenMeta.getAttribute("content");
  var notice = document.getElementById("board-notice");

  function column(status) { return board.querySelector('.column[data-status="' + status + '"]'); }

  function recount() {
    board.querySelectorAll(".column").forEach(function (col) {
      var shown = col.querySelectorAll(".card").length;
      var count = col.querySelector(".count");
      var hidden = parseInt(col.getAttribute("data-hidden") || "0", 10);
      if (count) { count.textContent = String(shown + hidden); }
      var none = col.querySelector(".none");
      if (none) { none.hidden = shown > 0; }
    });
  }

  function place(card, status) {
    var target = column(status);
    if (!target) { return; }
    var list = target.querySelector(".cards");
    list.insertBefore(card, list.firstChild);
    recount();
  }

  function say(text, retry) {
    if (!notice) { return; }
    notice.textContent = text + " ";
    if (retry) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = "Move it again";
      button.addEventListener("click", function () { notice.textContent = ""; retry(); });
      notice.appendChild(button);
    }
    notice.hidden = false;
  }

  // The open sidebar shows the same application: keep its forms on the version just read,
  // so its next save is not refused as stale.
  function syncSidebar(id, version, status, label) {
    var sidebar = document.querySelector('.sidebar[data-id="' + id + '"]');
    if (!sidebar) { return; }
    sidebar.querySelectorAll("input[data-application-version]").forEach(function (input) { input.value = String(version); });
    var select = sidebar.querySelector("#move-status");
    if (select) { select.value = status; }
    var shown = sidebar.querySelector(".sidebar-status");
    if (shown && label) { shown.textContent = label; }
  }

  function label(status) {
    var heading = column(status) && column(status).querySelector("h2");
    return heading ? heading.firstChild.textContent.trim() : status;
  }

  function move(card, status) {
    var from = card.closest(".column").getAttribute("data-status");
    if (from === status) { return; }
    // A status that is not a column on this board (hidden in settings): the board is
    // drawn again once the move is saved.
    var shown = !!column(status);
    place(card, status);
    var id = card.getAttribute("data-id");
    fetch("/api/v1/applications/" + id, {
      method: "PATCH",
      credentials: "same-origin",
      headers: {
        "content-type": "application/json",
        "if-match": 'W/"' + card.getAttribute("data-version") + '"',
        "x-csrf-token": csrf
      },
      body: JSON.stringify({ status: status })
    }).then(function (response) {
      return response.json().then(function (body) { return { response: response, body: body }; });
    }).then(function (result) {
      if (result.response.ok) {
        if (!shown || !from) { window.location.reload(); return; }
        card.setAttribute("data-version", String(result.body.version));
        syncSidebar(id, result.body.version, result.body.status, label(result.body.status));
        return;
      }
      var current = result.body && result.body.current;
      if (result.response.status === 409 && current) {
        card.setAttribute("data-version", String(current.version));
        place(card, current.status);
        syncSidebar(id, current.version, current.status, label(current.status));
        say(current.company + " changed in another tab or device; it is shown as it is now.", function () {
          move(card, status);
        });
        return;
      }
      if (from) { place(card, from); }
      say("The move was not saved: " + ((result.body && result.body.detail) || result.response.status) + ".");
    }).catch(function () {
      if (from) { place(card, from); }
      say("The move was not saved: the server could not be reached.");
    });
  }

  // The add-activity form shows the fields of the kind chosen (all of them without JS).
  var kind = document.getElementById("a-type");
  function showKindFields() {
    document.querySelectorAll("#add-activity fieldset[data-for]").forEach(function (set) {
      set.hidden = set.getAttribute("data-for") !== kind.value;
    });
  }
  if (kind) { kind.addEventListener("change", showKindFields); showKindFields(); }

  board.querySelectorAll(".card").forEach(function (card) {
    card.setAttribute("draggable", "true");
    card.addEventListener("dragstart", function (event) {
      event.dataTransfer.setData("text/plain", card.getAttribute("data-id"));
      event.dataTransfer.effectAllowed = "move";
      card.classList.add("dragging");
    });
    card.addEventListener("dragend", function () { card.classList.remove("dragging"); });
  });
  // A "Move to" list on every card: the way to move a card by touch or keyboard without
  // opening it (its options are the quick-add form's statuses).
  var statusChoice = document.getElementById("status");
  board.querySelectorAll(".card").forEach(function (card) {
    if (!statusChoice) { return; }
    var company = card.querySelector(".company");
    var select = document.createElement("select");
    select.className = "card-move";
    select.setAttribute("aria-label", "Move " + (company ? company.textContent : "this card") + " to");
    var prompt = document.createElement("option");
    prompt.value = "";
    prompt.textContent = "Move to…";
    select.appendChild(prompt);
    Array.prototype.forEach.call(statusChoice.options, function (option) {
      var copy = document.createElement("option");
      copy.value = option.value;
      copy.textContent = option.textContent;
      select.appendChild(copy);
    });
    select.addEventListener("change", function () {
      if (select.value) { move(card, select.value); }
      select.value = "";
    });
    card.appendChild(select);
  });
  board.querySelectorAll(".column[data-status]").forEach(function (col) {
    col.addEventListener("dragover", function (event) { event.preventDefault(); col.classList.add("drop"); });
    col.addEventListener("dragleave", function () { col.classList.remove("drop"); });
    col.addEventListener("drop", function (event) {
      event.preventDefault();
      col.classList.remove("drop");
      var id = event.dataTransfer.getData("text/plain");
      var card = board.querySelector('.card[data-id="' + id + '"]');
      if (card) { move(card, col.getAttribute("data-status")); }
    });
  });
  // Every card can be dragged now: the moment the benchmark calls the board usable.
  document.documentElement.dataset.boardReady = String(Math.round(performance.now()));
})();

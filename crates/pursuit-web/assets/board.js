// Drag-and-drop on the board, between columns and within one. The move is shown at once,
// then sent to the API: a status change with the card's version (If-Match), a place in the
// column as the card it now sits above or below; both with the session's CSRF token. If the
// card changed elsewhere (409), the server's version replaces it and a notice offers to
// apply the move again. Each card's "Move to…" list and Alt+Up / Alt+Down do the same from
// the keyboard or by touch; without JavaScript the sidebar's forms do.
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

  // Puts the card in a column's list, before `before` (a card, or the "Nothing here" item
  // for the end), or on top.
  function place(card, status, before) {
    var target = column(status);
    if (!target) { return; }
    var list = target.querySelector(".cards");
    list.insertBefore(card, before || list.firstChild);
    recount();
  }

  function cardsOf(col) {
    return Array.prototype.filter.call(col.querySelectorAll(".cards > .card"), function (c) {
      return !c.classList.contains("dragging");
    });
  }

  function nameOf(card) {
    var company = card.querySelector(".company");
    return company ? company.textContent : "The card";
  }

  // Sends the card's place in its column, as the cards now above or below it say; undone
  // on the page if the server refuses.
  function sendOrder(card, undo) {
    var prev = card.previousElementSibling;
    var next = card.nextElementSibling;
    var body = prev && prev.classList.contains("card") ? { after: prev.getAttribute("data-id") }
      : next && next.classList.contains("card") ? { before: next.getAttribute("data-id") }
      : { to: "top" };
    fetch("/api/v1/applications/" + card.getAttribute("data-id") + "/position", {
      method: "PUT",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (response.ok) { return; }
      return response.json().then(function (problem) {
        undo();
        say("The new order was not saved: " + ((problem && problem.detail) || response.status) + ".");
      });
    }).catch(function () {
      undo();
      say("The new order was not saved: the server could not be reached.");
    });
  }

  // Moves a card within its column: "up", "down", "top", "bottom", or before a card (null:
  // the end). Says where it landed.
  function reorder(card, where, focus) {
    var list = card.parentNode;
    var home = card.nextSibling;
    var undo = function () { list.insertBefore(card, home); };
    var prev = card.previousElementSibling;
    var next = card.nextElementSibling;
    var target;
    if (where === "up") {
      if (!prev || !prev.classList.contains("card")) { say(nameOf(card) + " is already at the top."); return; }
      target = prev;
    } else if (where === "down") {
      if (!next || !next.classList.contains("card")) { say(nameOf(card) + " is already at the bottom."); return; }
      target = next.nextSibling;
    } else if (where === "top") {
      target = list.firstElementChild;
    } else if (where === "bottom") {
      target = list.querySelector(".none");
    } else {
      target = where || list.querySelector(".none");
    }
    if (target === card || target === card.nextElementSibling) { return; }
    list.insertBefore(card, target);
    if (focus) { focus.focus(); }
    var all = Array.prototype.slice.call(list.querySelectorAll(".card"));
    var col = card.closest(".column");
    say(nameOf(card) + " is now " + (all.indexOf(card) + 1) + " of " + all.length + " in " + label(col.getAttribute("data-status")) + ".");
    sendOrder(card, undo);
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

  // Moves a card to another column (on top, or before `before` where it was dropped).
  function move(card, status, before) {
    var from = card.closest(".column").getAttribute("data-status");
    if (from === status) { return; }
    // A status that is not a column on this board (hidden in settings): the board is
    // drawn again once the move is saved.
    var shown = !!column(status);
    place(card, status, before);
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
        // The server put it on top of its new column; dropped lower, it goes there too.
        var above = card.previousElementSibling;
        if (above && above.classList.contains("card")) {
          sendOrder(card, function () { place(card, status); });
        }
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

  // Listeners sit on the board, not on each of a few thousand cards.
  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".card");
    if (!card) { return; }
    event.dataTransfer.setData("text/plain", card.getAttribute("data-id"));
    event.dataTransfer.effectAllowed = "move";
    card.classList.add("dragging");
  });
  board.addEventListener("dragend", function (event) {
    var card = event.target.closest && event.target.closest(".card");
    if (card) { card.classList.remove("dragging"); }
    clearLanding();
  });
  // Alt+Up / Alt+Down on a card move it within its column (one listener for the board).
  board.querySelectorAll(".column[data-status] .card-link").forEach(function (link) {
    link.setAttribute("aria-keyshortcuts", "Alt+ArrowUp Alt+ArrowDown");
  });
  board.addEventListener("keydown", function (event) {
    if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) { return; }
    var link = event.target.closest && event.target.closest(".column[data-status] .card-link");
    if (!link) { return; }
    event.preventDefault();
    reorder(link.closest(".card"), event.key === "ArrowUp" ? "up" : "down", link);
  });
  // A "Move to" list on every card: the way to move a card by touch or keyboard without
  // opening it — to another column (the quick-add form's statuses) or within its own.
  var statusChoice = document.getElementById("status");
  // One list built once and copied to each card (copying is much cheaper than building
  // a few thousand options one by one).
  var proto = null;
  if (statusChoice) {
    proto = document.createElement("select");
    proto.className = "card-move";
    var option = function (parent, value, text) {
      var o = document.createElement("option");
      o.value = value;
      o.textContent = text;
      parent.appendChild(o);
    };
    var group = function (text) {
      var g = document.createElement("optgroup");
      g.label = text;
      proto.appendChild(g);
      return g;
    };
    option(proto, "", "Move to…");
    var within = group("In this column");
    within.className = "within";
    [["@top", "Top"], ["@up", "Up one"], ["@down", "Down one"], ["@bottom", "Bottom"]].forEach(function (pair) {
      option(within, pair[0], pair[1]);
    });
    var columns = group("Column");
    Array.prototype.forEach.call(statusChoice.options, function (o) { option(columns, o.value, o.textContent); });
  }
  board.querySelectorAll(".card").forEach(function (card) {
    card.setAttribute("draggable", "true");
    if (!proto) { return; }
    var select = proto.cloneNode(true);
    select.setAttribute("aria-label", "Move " + nameOf(card) + " to");
    // A card under "Other statuses" has no column of its own to be ordered in.
    if (!card.closest(".column[data-status]")) { select.removeChild(select.querySelector(".within")); }
    card.appendChild(select);
  });
  board.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.classList.contains("card-move")) { return; }
    var value = select.value;
    select.value = "";
    var card = select.closest(".card");
    if (value.charAt(0) === "@") { reorder(card, value.slice(1), select); } else if (value) { move(card, value); }
  });

  // Where a card dragged over a column would land: before the first card whose middle is
  // below the pointer, else at the end.
  function landing(col, y) {
    var cards = cardsOf(col);
    for (var i = 0; i < cards.length; i++) {
      var box = cards[i].getBoundingClientRect();
      if (y < box.top + box.height / 2) { return cards[i]; }
    }
    return null;
  }
  function clearLanding() {
    board.querySelectorAll(".land-before, .land-after").forEach(function (c) { c.classList.remove("land-before", "land-after"); });
  }
  board.querySelectorAll(".column[data-status]").forEach(function (col) {
    col.addEventListener("dragover", function (event) {
      event.preventDefault();
      col.classList.add("drop");
      clearLanding();
      var spot = landing(col, event.clientY);
      var cards = cardsOf(col);
      if (spot) { spot.classList.add("land-before"); } else if (cards.length) { cards[cards.length - 1].classList.add("land-after"); }
    });
    col.addEventListener("dragleave", function (event) {
      if (!col.contains(event.relatedTarget)) { col.classList.remove("drop"); clearLanding(); }
    });
    col.addEventListener("drop", function (event) {
      event.preventDefault();
      col.classList.remove("drop");
      clearLanding();
      var id = event.dataTransfer.getData("text/plain");
      var card = board.querySelector('.card[data-id="' + id + '"]');
      if (!card) { return; }
      var spot = landing(col, event.clientY);
      if (card.closest(".column") === col) {
        reorder(card, spot, null);
      } else {
        move(card, col.getAttribute("data-status"), spot || col.querySelector(".none"));
      }
    });
  });
  // Every card can be dragged now: the moment the benchmark calls the board usable.
  document.documentElement.dataset.boardReady = String(Math.round(performance.now()));
})();

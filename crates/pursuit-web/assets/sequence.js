// The sequence editor: each email's character count (subject and body) against its
// length as it is typed, and, after a pause, the spam check of what is typed with its
// words marked. Without JavaScript the counts and the check come with each save.
(function () {
  "use strict";
  function count(text) { return Array.from(text).length; }
  function marked(text, words) {
    // The text as nodes, every occurrence of a word in a <mark>; no HTML is parsed.
    var spans = [];
    words.forEach(function (w) {
      if (!w) { return; }
      var from = 0, at;
      while ((at = text.indexOf(w, from)) !== -1) { spans.push([at, at + w.length]); from = at + w.length; }
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var out = document.createElement("p");
    out.className = "email-marked";
    var pos = 0;
    spans.forEach(function (s) {
      if (s[0] < pos) { return; }
      out.appendChild(document.createTextNode(text.slice(pos, s[0])));
      var m = document.createElement("mark");
      m.textContent = text.slice(s[0], s[1]);
      out.appendChild(m);
      pos = s[1];
    });
    out.appendChild(document.createTextNode(text.slice(pos)));
    return out;
  }
  document.querySelectorAll("form[data-step]").forEach(function (form) {
    var subject = form.querySelector("[data-subject]");
    var body = form.querySelector("[data-body]");
    var preset = form.querySelector("[data-preset]");
    var shown = form.querySelector("[data-count]");
    var spam = form.querySelector("[data-spam]");
    var timer = null, asked = 0;
    function range() {
      var o = preset.options[preset.selectedIndex];
      return [Number(o.getAttribute("data-min")), Number(o.getAttribute("data-max"))];
    }
    function recount() {
      var n = count(subject.value) + count(body.value), r = range();
      shown.textContent = n + " characters · " + r[0] + "–" + r[1] + " for this length" +
        (n > r[1] ? ": " + (n - r[1]) + " too many to save" : n < r[0] ? ": shorter than this length" : "");
      shown.className = "count" + (n > r[1] ? " over" : n < r[0] ? " under" : "");
    }
    function check() {
      if (!window.fetch || !body.value.trim()) { return; }
      var mine = ++asked;
      fetch("/api/v1/ai/spam-check", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", "x-csrf-token": form.getAttribute("data-csrf") },
        body: JSON.stringify({ subject: subject.value, body: body.value })
      }).then(function (r) { return r.ok ? r.json() : null; }).then(function (answer) {
        if (!answer || mine !== asked) { return; }
        var words = answer.result.spam_words || [];
        var score = Math.round((answer.result.spam_score || 0) * 100);
        spam.textContent = "";
        var line = document.createElement("p");
        line.appendChild(document.createTextNode("Spam check of what you typed: "));
        var strong = document.createElement("strong");
        strong.textContent = score + "/100";
        line.appendChild(strong);
        line.appendChild(document.createTextNode(words.length ? " — these words may send it to spam: " + words.join(", ") + "." : " — no spam words found."));
        spam.appendChild(line);
        if (words.length) { spam.appendChild(marked(subject.value + "\n\n" + body.value, words)); }
      }).catch(function () {});
    }
    function changed() {
      recount();
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(check, 800);
    }
    subject.addEventListener("input", changed);
    body.addEventListener("input", changed);
    preset.addEventListener("change", recount);
    recount();
  });
})();

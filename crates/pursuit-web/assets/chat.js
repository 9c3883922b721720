// The conversation page: a question is sent to the API with `Accept: text/event-stream`
// and the answer is shown as its pieces arrive (every piece has passed the guard before
// the first is sent). Without JavaScript, or if the stream fails, the form posts as usual.
(function () {
  "use strict";
  var form = document.querySelector("form.ask[data-stream]");
  var list = document.getElementById("messages");
  if (!form || !list || !window.fetch || !window.TextDecoder) { return; }
  function bubble(role, text) {
    var empty = document.getElementById("empty");
    if (empty) { empty.remove(); }
    var item = document.createElement("li");
    item.className = "message " + role;
    var who = document.createElement("p");
    who.className = "who";
    who.textContent = role === "user" ? "You" : "Assistant";
    var body = document.createElement("div");
    body.className = "text";
    body.dir = "auto";
    body.textContent = text;
    item.appendChild(who);
    item.appendChild(body);
    list.appendChild(item);
    return body;
  }
  form.addEventListener("submit", function (event) {
    var field = form.querySelector("textarea[name=content]");
    var question = field.value;
    if (!question.trim()) { return; }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    bubble("user", question);
    var answer = bubble("assistant", "Thinking…");
    var started = false;
    fetch(form.getAttribute("data-stream"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "accept": "text/event-stream", "x-csrf-token": form.getAttribute("data-csrf") },
      body: JSON.stringify({ content: question })
    }).then(function (response) {
      if (!response.ok || !response.body) { throw new Error("refused"); }
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var buffer = "";
      function handle(block) {
        var name = "", data = "";
        block.split("\n").forEach(function (line) {
          if (line.indexOf("event: ") === 0) { name = line.slice(7); }
          if (line.indexOf("data: ") === 0) { data += line.slice(6); }
        });
        if (!data) { return; }
        var value = JSON.parse(data);
        if (name === "delta") {
          if (!started) { answer.textContent = ""; started = true; }
          answer.textContent += value.text;
        } else if (name === "done") {
          field.value = "";
          answer.parentNode.id = "latest";
        } else if (name === "error") {
          var problem = value.problem || {};
          answer.textContent = (problem.detail || problem.title || "The question could not be answered.");
        }
      }
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) { return; }
          buffer += decoder.decode(chunk.value, { stream: true });
          var parts = buffer.split("\n\n");
          buffer = parts.pop();
          parts.forEach(handle);
          return pump();
        });
      }
      return pump();
    }).catch(function () {
      // Let the page do it the plain way, which also shows why a question is refused.
      form.submit();
    }).then(function () { button.disabled = false; });
  });
})();

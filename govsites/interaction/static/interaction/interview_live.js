/* Live text Q&A of an online interview: poll the JSON feed and redraw the list without reloading.
   The same list is in the HTML, so the page works without this script. */
(function () {
  "use strict";
  var list = document.getElementById("interview-feed");
  if (!list || !list.dataset.poll) { return; }
  var seconds = parseInt(list.dataset.seconds, 10) || 5;
  var last = "";
  function paragraph(cls, label, text) {
    var p = document.createElement("p");
    p.className = cls;
    var strong = document.createElement("strong");
    strong.textContent = label;
    p.appendChild(strong);
    p.appendChild(document.createTextNode(text));
    return p;
  }
  function draw(items) {
    var fragment = document.createDocumentFragment();
    items.forEach(function (q) {
      var li = document.createElement("li");
      li.id = "q-" + q.id;
      li.appendChild(paragraph("question", "网民提问", (q.in_advance ? "（访谈前）" : "") + "：" + q.question));
      if (q.answer) { li.appendChild(paragraph("answer", q.guest, "（" + q.answered_at + "）：" + q.answer)); }
      fragment.appendChild(li);
    });
    if (!items.length) {
      var empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = "暂无公开的提问。";
      fragment.appendChild(empty);
    }
    list.replaceChildren(fragment);
  }
  function poll() {
    fetch(list.dataset.poll, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body) { return; }
        var text = JSON.stringify(body.items);
        if (text !== last) { last = text; draw(body.items); }
        if (body.state === "live") { window.setTimeout(poll, seconds * 1000); }
        else {
          var state = document.getElementById("interview-state");
          if (state) { state.textContent = "已结束"; }
        }
      })
      .catch(function () { window.setTimeout(poll, seconds * 2000); });
  }
  window.setTimeout(poll, seconds * 1000);
}());

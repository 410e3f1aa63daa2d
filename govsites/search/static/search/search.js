/* 搜索即服务: put the cluster's search box on any page.
 *
 *   <div data-govsites-search data-site="jyj.shili.gov.cn"></div>
 *   <script src="https://www.shili.gov.cn/static/search/search.js" defer></script>
 *
 * data-site (optional): a domain or 网站标识码 to search one site; without it the whole cluster.
 * The API's snippets are escaped by the server except for <mark>; everything else is set as text.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? new URL(script.src, document.baseURI).origin : "";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function safeSnippet(html) {
    var holder = document.createElement("span");
    html.split(/(<mark>|<\/mark>)/).reduce(function (inMark, part) {
      if (part === "<mark>") { return true; }
      if (part === "</mark>") { return false; }
      var text = document.createElement("textarea");
      text.innerHTML = part;  // decode the server's entities without running markup
      var node = inMark ? el("mark", {}, text.value) : document.createTextNode(text.value);
      holder.appendChild(node);
      return inMark;
    }, false);
    return holder;
  }

  function mount(box) {
    var n = Math.random().toString(36).slice(2, 8);
    var form = el("form", { role: "search" });
    var label = el("label", { "for": "gs-q-" + n }, "搜索");
    var input = el("input", { id: "gs-q-" + n, type: "search", name: "q", maxlength: "100" });
    var button = el("button", { type: "submit" }, "搜索");
    var status = el("p", { role: "status" });
    var list = el("ol", {});
    form.appendChild(label); form.appendChild(input); form.appendChild(button);
    box.appendChild(form); box.appendChild(status); box.appendChild(list);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var params = new URLSearchParams({ q: input.value });
      if (box.dataset.site) { params.set("site", box.dataset.site); }
      fetch(base + "/api/v1/search?" + params.toString())
        .then(function (r) { return r.json(); })
        .then(function (body) {
          list.textContent = "";
          if (body.error) { status.textContent = body.error.message; return; }
          status.textContent = "共找到 " + body.total + " 条结果";
          body.results.forEach(function (r) {
            var item = el("li", {});
            var link = el("a", { href: r.url }, r.title);
            item.appendChild(link);
            var p = el("p", {});
            p.appendChild(safeSnippet(r.snippet));
            item.appendChild(p);
            list.appendChild(item);
          });
        })
        .catch(function () { status.textContent = "搜索暂时不可用，请稍后再试。"; });
    });
  }

  document.querySelectorAll("[data-govsites-search]").forEach(mount);
})();

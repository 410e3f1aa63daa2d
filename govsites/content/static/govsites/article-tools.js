/* 文章工具: 打印 and 字号 大/中/小. Without JavaScript the 字号 links still work (CSS :target);
   this only adds the print button and keeps the page from jumping to the anchor. */
(function () {
  "use strict";
  document.querySelectorAll(".print-button").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll(".article-tools .zoom").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var item = link.closest(".item");
      if (!item) { return; }
      event.preventDefault();
      item.classList.remove("zoom-large", "zoom-medium", "zoom-small");
      item.classList.add(link.getAttribute("href").slice(1));
    });
  });
})();

/* 阅读辅助 (工信部《互联网网站适老化通用设计规范》): 特大字体, 高对比度, 语音阅读, 简约界面.
   Loaded without `defer` in <head> so a remembered aid applies before the page is painted.
   The chosen aids are kept in localStorage, so they follow the reader from page to page.
   语音阅读 uses the browser's own Web Speech API (no third-party script); where the browser
   has none the button stays hidden. Without JavaScript every button stays hidden and the
   server-rendered 适老化·无障碍 mode (large type, high contrast, simple layout) remains. */
(function () {
  "use strict";
  var KEY = "govsites.readingAids";
  var AIDS = ["large-text", "contrast", "speech", "simple"];
  var root = document.documentElement;
  var synth = (window.speechSynthesis && typeof window.SpeechSynthesisUtterance === "function")
    ? window.speechSynthesis : null;

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(saved) ? saved.filter(function (a) { return AIDS.indexOf(a) >= 0; }) : [];
    } catch (e) {
      return [];
    }
  }
  function save(on) {
    try { window.localStorage.setItem(KEY, JSON.stringify(on)); } catch (e) { /* private mode */ }
  }
  function apply(on) {
    AIDS.forEach(function (aid) { root.classList.toggle("aid-" + aid, on.indexOf(aid) >= 0); });
  }

  var active = load();
  if (!synth) { active = active.filter(function (a) { return a !== "speech"; }); }
  apply(active);

  function speechLang() {
    return /hant/i.test(root.lang || "") ? "zh-HK" : "zh-CN";
  }
  function say(text) {
    if (!synth) { return; }
    text = (text || "").replace(/\s+/g, " ").trim();
    if (!text) { return; }
    synth.cancel();
    var utterance = new window.SpeechSynthesisUtterance(text.slice(0, 4000));
    utterance.lang = speechLang();
    synth.speak(utterance);
  }
  function textOf(element) {
    if (!element || element === document.body) { return ""; }
    return element.getAttribute("aria-label") || element.getAttribute("alt")
      || element.innerText || element.textContent || "";
  }
  function readPage() {
    var main = document.getElementById("main");
    say(document.title + "。" + textOf(main));
  }
  var POINTABLE = "a, button, h1, h2, h3, h4, p, li, th, td, caption, summary, img[alt]";
  var hoverTimer = null;
  function speaking() { return root.classList.contains("aid-speech"); }

  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll(".reading-aids button[data-aid]");
    buttons.forEach(function (button) {
      var aid = button.getAttribute("data-aid");
      if (aid === "speech" && !synth) { return; }  // degrade silently: no button, no error
      button.closest("li").hidden = false;
      button.setAttribute("aria-pressed", String(active.indexOf(aid) >= 0));
      button.addEventListener("click", function () {
        var on = active.indexOf(aid) < 0;
        active = on ? active.concat([aid]) : active.filter(function (a) { return a !== aid; });
        save(active);
        apply(active);
        button.setAttribute("aria-pressed", String(on));
        if (aid === "speech") {
          if (on) { readPage(); } else { synth.cancel(); }
        }
      });
    });
    if (!synth) { return; }
    // 指读: with 语音阅读 on, what gets keyboard focus or rests under the pointer is read.
    document.addEventListener("focusin", function (event) {
      if (speaking() && !event.target.matches(".reading-aids button")) { say(textOf(event.target)); }
    });
    document.addEventListener("mouseover", function (event) {
      if (!speaking()) { return; }
      var target = event.target.closest ? event.target.closest(POINTABLE) : null;
      window.clearTimeout(hoverTimer);
      if (target) { hoverTimer = window.setTimeout(function () { say(textOf(target)); }, 400); }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && speaking()) { synth.cancel(); }
    });
  });
})();

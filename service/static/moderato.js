// Progressive enhancement for the queue: keyboard shortcuts and select-all. Every action is a plain
// form POST that works without this file.
(function () {
  "use strict";

  function comments() { return Array.prototype.slice.call(document.querySelectorAll("li.comment, article.comment")); }

  var current = -1;

  function select(index) {
    var list = comments();
    if (!list.length) { return; }
    index = Math.max(0, Math.min(list.length - 1, index));
    if (current >= 0 && list[current]) { list[current].classList.remove("current"); }
    current = index;
    list[current].classList.add("current");
    list[current].focus({ preventScroll: true });
    list[current].scrollIntoView({ block: "nearest" });
  }

  function submitIn(selector) {
    var list = comments();
    if (current < 0 || !list[current]) { return false; }
    var form = list[current].querySelector(selector);
    if (!form) { return false; }
    form.requestSubmit ? form.requestSubmit() : form.submit();
    return true;
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var handled = true;
    switch (event.key) {
      case "j": select(current + 1); break;
      case "k": select(current - 1); break;
      case "a": handled = submitIn("form.approve"); break;
      case "r": handled = submitIn("form.reject"); break;
      case "x": {
        var list = comments();
        var box = current >= 0 && list[current] && list[current].querySelector("input[type=checkbox]");
        if (box) { box.checked = !box.checked; } else { handled = false; }
        break;
      }
      case "u": {
        var undo = document.querySelector("#undo");
        var button = undo && undo.querySelector("button");
        if (undo && button && !button.disabled) { undo.requestSubmit ? undo.requestSubmit() : undo.submit(); }
        else { handled = false; }
        break;
      }
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var all = document.getElementById("select-all");
    if (all) {
      all.addEventListener("change", function () {
        document.querySelectorAll("input[name=ids]").forEach(function (box) { box.checked = all.checked; });
      });
    }
    // After an action the page comes back with #c-<id>: the comment the moderator was on, or the one that
    // took its place, so the selection stays where they were instead of jumping to the top.
    var list = comments();
    if (list.length && document.querySelector("ol.comments")) {
      var target = /^#c-\d+$/.test(window.location.hash) ? document.getElementById(window.location.hash.slice(1)) : null;
      var at = target ? list.indexOf(target) : -1;
      select(at >= 0 ? at : 0);
    }
  });
})();

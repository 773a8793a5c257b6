// The example comment form: submit with fetch and say "awaiting moderation" instead of showing JSON.
// Without JavaScript the form still posts and the browser shows the API's JSON answer.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("commentform");
    var status = document.getElementById("form-status");
    if (!form || !window.fetch) { return; }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      status.textContent = "Sending…";
      fetch(form.action, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json" },
        body: new URLSearchParams(new FormData(form)).toString()
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (result) {
        if (result.ok) {
          status.textContent = "Thanks! Your comment is awaiting moderation.";
          form.reset();
        } else {
          var errors = (result.body.errors || []).map(function (e) { return e.field + ": " + e.message; });
          status.textContent = "Could not post: " + (errors.join("; ") || result.body.detail);
        }
      }).catch(function () { status.textContent = "Could not reach the server; try again."; });
    });
  });
})();

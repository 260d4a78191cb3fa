// Progressive enhancement: upvotes without a page reload. Everything works without this file;
// math is MathML rendered on the server (paperfeed/lib/texmath.py).
(function () {
  "use strict";

  function enhanceVotes() {
    document.querySelectorAll("form.vote").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var button = form.querySelector("button");
        var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
        button.disabled = true;
        fetch(form.action, {
          method: "POST",
          headers: { "X-CSRFToken": token, "Accept": "application/json" },
          credentials: "same-origin"
        }).then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        }).then(function (result) {
          if (!result.ok) { button.title = result.body.detail || "Could not vote"; return; }
          button.setAttribute("aria-pressed", result.body.voted ? "true" : "false");
          button.querySelector(".count").textContent = result.body.upvotes;
        }).finally(function () { button.disabled = false; });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhanceVotes();
  });
})();

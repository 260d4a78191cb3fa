// Progressive enhancement: math in titles and abstracts, and upvotes without a page reload.
// Everything works without this file; it only makes pages nicer.
(function () {
  "use strict";

  function renderMath() {
    if (typeof window.renderMathInElement !== "function") return;
    document.querySelectorAll(".math").forEach(function (element) {
      // Django already escaped the text; KaTeX reads the text nodes and builds its own markup.
      // trust: false refuses \href, \url and friends; errors render as plain text.
      window.renderMathInElement(element, {
        delimiters: [
          { left: "$$", right: "$$", display: false },
          { left: "$", right: "$", display: false }
        ],
        trust: false,
        throwOnError: false,
        strict: "ignore"
      });
    });
  }

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
    renderMath();
    enhanceVotes();
  });
})();

// Behaviour every page shares. The Content-Security-Policy forbids inline scripts, handlers and
// style attributes, so templates describe what they want with data- attributes instead.
(function () {
  // <form data-confirm="Vraag?"> (or the submit button's own data-confirm): ask before sending
  // what cannot be undone. <button data-submit-once>: a double click sends the form once.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    const button = event.submitter;
    const question = (button && button.dataset.confirm) || form.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (button && button.hasAttribute("data-submit-once")) {
      // Disabled after the form data is taken, so the button's own name/value still goes along.
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });

  // <span data-render-job="/pdf/7/status/">: a PDF being made. Its state is asked every few
  // seconds; once done the element becomes the download link, once failed it says so.
  document.querySelectorAll("[data-render-job]").forEach(function (element) {
    let tries = 0;
    function ask() {
      tries += 1;
      fetch(element.dataset.renderJob, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (job) {
          if (!job) { return; }
          if (job.state === "done") {
            const link = document.createElement("a");
            link.href = job.url;
            link.textContent = job.label;
            element.replaceChildren(link);
            element.classList.remove("text-muted");
            element.removeAttribute("aria-busy");
          } else if (job.state === "failed") {
            element.textContent = job.label;
            element.classList.add("text-danger");
            element.removeAttribute("aria-busy");
          } else {
            element.textContent = job.label;
            if (tries < 150) { window.setTimeout(ask, 2000); }
          }
        })
        .catch(function () { if (tries < 150) { window.setTimeout(ask, 5000); } });
    }
    element.setAttribute("aria-live", "polite");
    element.setAttribute("aria-busy", "true");
    window.setTimeout(ask, 1000);
  });

  // <div class="progress-bar" data-percent="40">: the width that a style attribute used to set.
  document.querySelectorAll(".progress-bar[data-percent]").forEach(function (bar) {
    const percent = Math.max(0, Math.min(100, Number(bar.dataset.percent) || 0));
    bar.style.width = percent + "%";
  });
})();

// Behaviour every page shares. The Content-Security-Policy forbids inline scripts, handlers and
// style attributes, so templates describe what they want with data- attributes instead.
(function () {
  // <form data-confirm="Vraag?">: ask before sending. <button data-submit-once>: a double click
  // sends the form once.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    const button = event.submitter;
    if (button && button.hasAttribute("data-submit-once")) {
      // Disabled after the form data is taken, so the button's own name/value still goes along.
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });

  // <div class="progress-bar" data-percent="40">: the width that a style attribute used to set.
  document.querySelectorAll(".progress-bar[data-percent]").forEach(function (bar) {
    const percent = Math.max(0, Math.min(100, Number(bar.dataset.percent) || 0));
    bar.style.width = percent + "%";
  });
})();

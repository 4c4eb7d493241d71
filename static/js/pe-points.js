// Live PE points: the server's engine scores the unsaved activity as the user types.
(function () {
  const form = document.getElementById("pe-form");
  if (!form) return;
  const points = document.getElementById("pe-points");
  const explanation = document.getElementById("pe-explanation");
  const outside = document.getElementById("pe-outside");
  const overlap = document.getElementById("pe-overlap");
  const meetingDates = (form.dataset.meetingDates || "").split(",").filter(Boolean);
  let timer = null;

  function refresh() {
    const data = new FormData(form);
    data.delete("evidence_upload");
    fetch(form.dataset.pointsUrl, { method: "POST", body: data, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : null))
      .then((result) => {
        if (!result) return;
        if (!result.complete) {
          points.textContent = "–";
          outside.classList.add("d-none");
          return;
        }
        points.textContent = String(result.points).replace(".", ",");
        explanation.textContent = result.explanation;
        outside.classList.toggle("d-none", result.in_window);
      });
    const dateField = form.querySelector("input[name=date]");
    if (overlap && dateField && form.querySelector("input[name=facilitator]")) {
      overlap.classList.toggle("d-none", !meetingDates.includes(dateField.value));
    }
  }

  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
  refresh();
})();

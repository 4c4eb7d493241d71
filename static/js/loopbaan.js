// Loopbaanprofessional portfolio: show only the fields that belong to a choice, without losing
// what was typed in the others (hidden groups keep their values; disabled ones are not posted).
(function () {
  function toggle(element, shown) {
    element.hidden = !shown;
    if (element.tagName === "FIELDSET") element.disabled = !shown;
  }

  // Education: only the chosen route's fieldsets and the course list when the route needs it.
  const education = document.getElementById("education-form");
  if (education) {
    const groups = document.querySelectorAll("[data-routes]");
    const radios = education.querySelectorAll('input[name="route"]');
    const apply = function () {
      const chosen = education.querySelector('input[name="route"]:checked');
      const route = chosen ? chosen.value : "";
      groups.forEach(function (group) {
        toggle(group, route !== "" && group.dataset.routes.split(" ").includes(route));
      });
      radios.forEach(function (radio) {
        const card = radio.closest(".lp-route");
        if (card) card.classList.toggle("border-primary", radio.checked);
      });
      const hint = education.querySelector("[data-no-route]");
      if (hint) hint.hidden = route !== "";
    };
    radios.forEach(function (radio) { radio.addEventListener("change", apply); });
  }

  // Cases: per task the description or the motivation, as chosen.
  document.querySelectorAll(".lp-task").forEach(function (task) {
    const number = task.dataset.task;
    const radios = task.querySelectorAll('input[name="task_' + number + '_state"]');
    const apply = function () {
      const chosen = task.querySelector('input[name="task_' + number + '_state"]:checked');
      const choice = chosen ? chosen.value : "described";
      task.querySelectorAll("[data-choice]").forEach(function (part) {
        part.hidden = part.dataset.choice !== choice;
      });
    };
    radios.forEach(function (radio) { radio.addEventListener("change", apply); });
  });
})();

// The consultation's recipients (templates/reviews/consultation.html): a box that filters them by name, diacritics
// ignored, and in each group a "Chọn tất cả" that checks the group's boxes shown by the filter. Without JavaScript
// the grouped checkboxes alone remain, and work.
(function () {
  "use strict";

  const box = document.querySelector("[data-recipients]");
  if (!box) return;
  const groups = Array.from(box.querySelectorAll("[data-recipient-group]"));
  if (!groups.length) return;

  // As quyche/text.py's fold(): lower case, no diacritics, "đ" as "d", spaces as one.
  const fold = (text) =>
    text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/\s+/g, " ").trim();

  const filter = document.createElement("p");
  filter.className = "recipients-filter";
  filter.innerHTML =
    '<label for="recipients-filter">Lọc theo tên</label> ' +
    '<input type="search" id="recipients-filter" autocomplete="off" placeholder="Gõ một phần tên, có dấu hoặc không">';
  box.prepend(filter);
  const input = filter.querySelector("input");

  const entries = (group) => Array.from(group.querySelectorAll("[data-recipient]"));
  const shownBoxes = (group) =>
    entries(group).filter((entry) => !entry.hidden).map((entry) => entry.querySelector("input[type=checkbox]"));

  groups.forEach((group, index) => {
    for (const entry of entries(group)) entry.dataset.folded = fold(entry.textContent);
    const all = document.createElement("label");
    all.className = "select-all";
    all.innerHTML = `<input type="checkbox" id="recipients-all-${index}"> Chọn tất cả`;
    group.querySelector("legend").append(" ", all);
    const toggle = all.querySelector("input");
    toggle.addEventListener("change", () => {
      for (const checkbox of shownBoxes(group)) checkbox.checked = toggle.checked;
    });
    group.addEventListener("change", (event) => {
      if (event.target !== toggle) refresh(group);
    });
  });

  // "Chọn tất cả" says whether all, some or none of the boxes shown are checked.
  function refresh(group) {
    const toggle = group.querySelector(".select-all input");
    const shown = shownBoxes(group);
    const checked = shown.filter((checkbox) => checkbox.checked).length;
    toggle.checked = shown.length > 0 && checked === shown.length;
    toggle.indeterminate = checked > 0 && checked < shown.length;
    toggle.disabled = shown.length === 0;
  }

  input.addEventListener("input", () => {
    const words = fold(input.value).split(" ").filter(Boolean);
    for (const group of groups) {
      let shown = 0;
      for (const entry of entries(group)) {
        entry.hidden = !words.every((word) => entry.dataset.folded.includes(word));
        if (!entry.hidden) shown += 1;
      }
      group.hidden = shown === 0;
      refresh(group);
    }
  });
  // Enter in the filter must not send the form.
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault();
  });

  groups.forEach(refresh);
})();

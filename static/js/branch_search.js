// The oversight dashboard's "Thuộc" field as a combobox: htmx brings the suggestions as the user types
// (templates/oversight/_branch_field.html); here the arrow keys move among them, Enter or a click
// chooses one (its id goes in the hidden field, and the filters' form asks for the rows), Escape closes
// them. Without JavaScript the field is plain text, resolved to a branch when the form is sent.
(function () {
  "use strict";

  const box = document.querySelector("[data-branch-search]");
  if (!box) return;
  const input = box.querySelector("input[name=within_name]");
  const chosen = box.querySelector("input[name=within]");

  const list = () => document.getElementById("branch-suggestions");
  const options = () => Array.from(list().querySelectorAll("[role=option]:not([aria-disabled=true])"));
  const active = () => list().querySelector("[aria-selected=true]");

  function show(open) {
    list().hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    if (!open) input.removeAttribute("aria-activedescendant");
  }

  function highlight(option) {
    options().forEach((each) => each.setAttribute("aria-selected", String(each === option)));
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }
  }

  // The form asks for the rows on "change" (htmx), here from the hidden field.
  function filter() {
    show(false);
    chosen.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function choose(option) {
    input.value = option.dataset.name;
    chosen.value = option.dataset.id;
    filter();
  }

  // What is typed now names the branch: the server resolves it unless a suggestion is chosen.
  input.addEventListener("input", () => {
    chosen.value = "";
    if (input.value.trim() === "") show(false);
  });

  input.addEventListener("keydown", (event) => {
    const all = options();
    const index = all.indexOf(active());
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!all.length) return;
      show(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      highlight(all[(index + step + all.length) % all.length]);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (!list().hidden && index >= 0) choose(all[index]);
      else filter();
    } else if (event.key === "Escape" && !list().hidden) {
      event.preventDefault();
      show(false);
    }
  });

  // A press on a suggestion keeps the focus in the field (leaving it after typing asks for the rows of what
  // is typed, as the field's "change" reaches the form); the click then chooses it.
  document.addEventListener("mousedown", (event) => {
    if (event.target.closest("#branch-suggestions")) event.preventDefault();
  });
  document.addEventListener("click", (event) => {
    const option = event.target.closest("#branch-suggestions [role=option]:not([aria-disabled=true])");
    if (option) choose(option);
    else if (!box.contains(event.target)) show(false);
  });

  input.addEventListener("blur", () => show(false));

  // htmx has put in a new list (on the list itself): open it while the user is typing.
  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.target !== list()) return;
    show(input.value.trim() !== "" && list().children.length > 0 && document.activeElement === input);
  });
})();

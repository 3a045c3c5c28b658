// Choosers (quyche/choosers.py, templates/_chooser.html): htmx brings the suggestions as the user types; here the
// arrow keys move among them, Enter or a click chooses one (its id goes in the hidden field beside the text, which
// then says "change", for a form that filters on it), Escape closes them. Without JavaScript the text alone is
// sent and the server resolves it. Listened for on the document: a chooser put in later by htmx works too.
(function () {
  "use strict";

  const COMBOBOX = "[data-chooser] [role=combobox]";

  function parts(element) {
    const box = element.closest("[data-chooser]");
    return {
      box,
      input: box.querySelector("[role=combobox]"),
      chosen: box.querySelector("input[type=hidden]"),
      list: box.querySelector("[role=listbox]"),
    };
  }

  const options = (chooser) => Array.from(chooser.list.querySelectorAll("[role=option]:not([aria-disabled=true])"));
  const active = (chooser) => chooser.list.querySelector("[aria-selected=true]");

  function show(chooser, open) {
    chooser.list.hidden = !open;
    chooser.input.setAttribute("aria-expanded", String(open));
    if (!open) chooser.input.removeAttribute("aria-activedescendant");
  }

  function highlight(chooser, option) {
    options(chooser).forEach((each) => each.setAttribute("aria-selected", String(each === option)));
    chooser.input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  function choose(chooser, option) {
    chooser.input.value = option.dataset.name;
    chooser.chosen.value = option.dataset.id;
    // The radio buttons a refused form offered give way to the choice made here.
    chooser.chosen.disabled = false;
    const candidates = chooser.box.querySelector("[data-candidates]");
    if (candidates) candidates.remove();
    show(chooser, false);
    chooser.chosen.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // What is typed now names the thing: the server resolves it unless a suggestion is chosen.
  document.addEventListener("input", (event) => {
    if (!event.target.matches(COMBOBOX)) return;
    const chooser = parts(event.target);
    chooser.chosen.value = "";
    if (chooser.input.value.trim() === "") show(chooser, false);
  });

  document.addEventListener("keydown", (event) => {
    if (!event.target.matches(COMBOBOX)) return;
    const chooser = parts(event.target);
    const all = options(chooser);
    const index = all.indexOf(active(chooser));
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!all.length) return;
      show(chooser, true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      highlight(chooser, all[(index + step + all.length) % all.length]);
    } else if (event.key === "Enter" && !chooser.list.hidden && index >= 0) {
      event.preventDefault(); // chooses; an Enter with nothing highlighted sends the form, as in any text field
      choose(chooser, all[index]);
    } else if (event.key === "Escape" && !chooser.list.hidden) {
      event.preventDefault();
      show(chooser, false);
    } else if (event.key === "Enter") {
      show(chooser, false);
    }
  });

  // A press on a suggestion keeps the focus in the field; the click then chooses it.
  document.addEventListener("mousedown", (event) => {
    if (event.target.closest("[data-chooser] [role=listbox]")) event.preventDefault();
  });
  document.addEventListener("click", (event) => {
    const option = event.target.closest("[data-chooser] [role=option]:not([aria-disabled=true])");
    if (option) choose(parts(option), option);
  });
  document.addEventListener("focusout", (event) => {
    if (event.target.matches(COMBOBOX)) show(parts(event.target), false);
  });

  // The endpoint reads what is typed as `q`, whatever the field's name in its form.
  document.addEventListener("htmx:configRequest", (event) => {
    const field = event.detail.elt;
    if (!field.matches(COMBOBOX)) return;
    delete event.detail.parameters[field.name];
    event.detail.parameters.q = field.value;
  });

  // htmx has put new suggestions in a list: number them, and open it while the user is typing.
  document.addEventListener("htmx:afterSwap", (event) => {
    const list = event.target;
    if (!list.matches("[data-chooser] [role=listbox]")) return;
    const chooser = parts(list);
    list.querySelectorAll("[role=option]").forEach((option, index) => {
      option.id = `${list.id}-${index}`;
    });
    const typing = document.activeElement === chooser.input && chooser.input.value.trim() !== "";
    show(chooser, typing && list.children.length > 0);
  });
})();

// The layout's behaviour where script runs; every part also works without it (static/css/components.css).

// The header's menu on a phone: the checkbox that opens it without script becomes a button that says
// whether the menu is open (aria-expanded). Escape closes it and gives the focus back to the button.
(() => {
  const header = document.querySelector(".site-header");
  const toggle = header && header.querySelector(".menu-toggle");
  if (!toggle) return;
  const label = header.querySelector(".menu-button");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "menu-button";
  button.textContent = label.textContent;
  button.setAttribute("aria-controls", "site-menu");
  button.setAttribute("aria-expanded", "false");
  const show = (open) => {
    header.classList.toggle("menu-open", open);
    button.setAttribute("aria-expanded", String(open));
  };
  button.addEventListener("click", () => show(!header.classList.contains("menu-open")));
  header.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && header.classList.contains("menu-open")) {
      show(false);
      button.focus();
    }
  });
  toggle.remove();
  label.replaceWith(button);
})();

// A table wider than its container scrolls inside it: the container then takes the focus, so that a
// keyboard scrolls it too, and is named after the table's caption or the heading before it.
const markScrolling = () => {
  for (const wrap of document.querySelectorAll(".table-wrap")) {
    const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    if (scrolls && !wrap.hasAttribute("tabindex")) {
      const caption = wrap.querySelector("caption");
      let heading = wrap.previousElementSibling;
      while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
      wrap.tabIndex = 0;
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", (caption || heading || document.querySelector("h1") || document).textContent.trim() || "Bảng");
    } else if (!scrolls && wrap.getAttribute("role") === "region") {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      wrap.removeAttribute("aria-label");
    }
  }
};
markScrolling();
window.addEventListener("resize", markScrolling);
document.addEventListener("htmx:afterSettle", markScrolling);

// The table of contents of a long text: on a phone it is a bar that stays at the top of the screen and
// opens over the text; choosing an entry closes it. On a wide screen it stands open beside the text.
(() => {
  const wide = window.matchMedia("(min-width: 64em)");
  const tocs = document.querySelectorAll("details.toc");
  const fit = () => tocs.forEach((toc) => { toc.open = wide.matches; });
  fit();
  wide.addEventListener("change", fit);
  for (const toc of tocs) {
    toc.addEventListener("click", (event) => {
      if (event.target.closest("a") && !wide.matches) toc.open = false;
    });
  }
})();

// On a phone the tabs scroll sideways: the open one is brought into view.
// (Only the row of tabs scrolls: the page stays where an address's #anchor put it.)
for (const current of document.querySelectorAll(".tabs [aria-current=page]")) {
  const tabs = current.parentElement;
  tabs.scrollLeft = current.offsetLeft - tabs.offsetLeft - (tabs.clientWidth - current.offsetWidth) / 2;
}

// The draft's comment boxes lose nothing: a warning before leaving while a box holds text, and the
// answer sends the comments still in their boxes after listing them.
(function () {
  "use strict";

  const COMMENTS = "[data-comment-box]";
  const REPLIES = "[data-reply-box]";
  let leaving = false;
  let warning = false;

  function filled(selector) {
    return Array.from(document.querySelectorAll(selector)).filter((box) => box.value.trim() !== "");
  }

  function warn(event) {
    if (leaving) return;
    event.preventDefault();
    event.returnValue = "";
  }

  // Listened to only while some box holds text: a page with a beforeunload listener is left out of the
  // browser's back-forward cache.
  function watch() {
    const unsaved = filled(`${COMMENTS}, ${REPLIES}`).length > 0;
    if (unsaved && !warning) window.addEventListener("beforeunload", warn);
    if (!unsaved && warning) window.removeEventListener("beforeunload", warn);
    warning = unsaved;
  }

  document.addEventListener("input", watch);
  document.addEventListener("htmx:afterSettle", watch);
  window.addEventListener("pageshow", () => {
    leaving = false;
    watch();
  });

  // htmx swaps only successful answers; a refused comment or reply (403, 422) comes back as its box,
  // with the reason and the text as typed.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const status = event.detail.xhr.status;
    if ((status === 403 || status === 422) && event.detail.elt.closest(".comment-form, .reply-form")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  const dialog = document.getElementById("answer-confirm");

  function list(section, boxes) {
    const items = section.querySelector("ul");
    items.replaceChildren(
      ...boxes.map((box) => {
        const item = document.createElement("li");
        item.textContent = `${box.dataset.commentBox || box.dataset.replyBox}: ${box.value.trim()}`;
        return item;
      }),
    );
    section.hidden = boxes.length === 0;
  }

  function hidden(form, name, value) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    input.dataset.pending = "";
    form.append(input);
  }

  function send(form, comments) {
    form.querySelectorAll("input[data-pending]").forEach((input) => input.remove());
    for (const box of comments) {
      hidden(form, "pending_article", box.dataset.article);
      hidden(form, "pending_text", box.value);
    }
    leaving = true;
    dialog.close();
    form.submit();
  }

  // "Gửi toàn bộ ý kiến" sends the comments still in their boxes; "Không có ý kiến" drops them. Either
  // way the person sees the list first and confirms.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!dialog || !form.matches("form[data-answer]")) return;
    const comments = filled(COMMENTS);
    const replies = filled(REPLIES);
    if (comments.length === 0 && replies.length === 0) {
      leaving = true;
      return;
    }
    event.preventDefault();
    const sending = form.dataset.answer === "send";
    dialog.querySelector("[data-question]").textContent = form.dataset.question;
    list(dialog.querySelector("[data-sent]"), sending ? comments : []);
    list(dialog.querySelector("[data-dropped]"), sending ? replies : [...comments, ...replies]);
    const accept = dialog.querySelector("[data-confirm]");
    accept.textContent = form.dataset.confirm;
    accept.onclick = () => send(form, sending ? comments : []);
    dialog.showModal();
  });

  if (dialog) dialog.querySelector("[data-cancel]").addEventListener("click", () => dialog.close());
})();

// Ask before an action that is hard to undo: a button or form marked data-ask="question".
// (No inline handlers: the Content-Security-Policy allows only our own script files.)
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-ask]");
  if (button && !window.confirm(button.dataset.ask)) {
    event.preventDefault();
  }
});
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-ask]");
  if (form && !window.confirm(form.dataset.ask)) {
    event.preventDefault();
  }
});

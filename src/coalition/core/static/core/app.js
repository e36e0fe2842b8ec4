// Coalition's only script besides htmx: progressive enhancements, no inline handlers (CSP forbids them).
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.dataset.confirm)) {
    event.preventDefault();
  }
});

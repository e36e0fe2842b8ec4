// Copy an invitation link to the clipboard; the field stays selectable for copying by hand.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) {
    return;
  }
  const field = document.getElementById(button.dataset.copyTarget);
  const status = document.getElementById("copy-status");
  field.select();
  if (navigator.clipboard) {
    navigator.clipboard.writeText(field.value).then(() => {
      status.textContent = button.dataset.copied;
    });
  }
});

// Coalition's only script besides htmx: progressive enhancements, no inline handlers (CSP forbids them).
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.dataset.confirm)) {
    event.preventDefault();
  }
});

// Stage menus are <details>: they open by mouse, touch and keyboard without this. It only adds comfort:
// one menu open at a time, Escape closes it (focus back on its stage), a click elsewhere closes it.
const stageMenus = () => document.querySelectorAll(".cycle details.stage-menu");
document.addEventListener("toggle", (event) => {
  const opened = event.target;
  if (opened.matches && opened.matches("details.stage-menu") && opened.open) {
    stageMenus().forEach((menu) => { if (menu !== opened) menu.open = false; });
  }
}, true);
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  let closed = false;
  stageMenus().forEach((menu) => {
    if (menu.open) {
      menu.open = false;
      closed = true;
      menu.querySelector("summary").focus();
    }
  });
  // With no stage menu open, Escape folds the phone's site menu back to its toggle.
  const siteMenu = document.querySelector("details.site-menu[open]");
  if (!closed && siteMenu) {
    siteMenu.open = false;
    siteMenu.querySelector("summary").focus();
  }
});
document.addEventListener("click", (event) => {
  stageMenus().forEach((menu) => { if (menu.open && !menu.contains(event.target)) menu.open = false; });
});

// The language switcher works without this (its button submits it); with it, picking a language is enough.
document.addEventListener("change", (event) => {
  const select = event.target;
  if (select.matches && select.matches("select[data-submit-on-change]")) select.form.requestSubmit();
});

// A table or picture wider than the screen scrolls within itself (app.css); each box that really scrolls is
// made reachable by keyboard, on load and after every htmx swap.
const SCROLL_BOXES = ".table-wrap, .scroll-x, .tree-scroll, .ja-gantt, main table";
const focusScrollBoxes = () => {
  document.querySelectorAll(SCROLL_BOXES).forEach((box) => {
    if (!box.hasAttribute("tabindex") && box.scrollWidth > box.clientWidth + 1) box.tabIndex = 0;
  });
};
document.addEventListener("DOMContentLoaded", focusScrollBoxes);
document.addEventListener("htmx:afterSettle", focusScrollBoxes);
window.addEventListener("resize", focusScrollBoxes);

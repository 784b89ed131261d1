// The export page's "Select all" box, bound here instead of an inline onchange="" that the CSP blocks.
// onSelectToggleChange comes from django-import-export's export_selectable_fields.js, loaded with the form.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-select-toggle]").forEach((toggle) => {
    toggle.addEventListener("change", (event) => onSelectToggleChange(event));
  });
});

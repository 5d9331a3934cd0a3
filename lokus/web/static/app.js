// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Ctrl/Cmd+Enter runs the SQL statement.
  const form = document.getElementById("sql-form");
  if (form) {
    form.querySelector("textarea").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        document.getElementById("sql-run").click();
      }
    });
  }
  // Selecting a site on the compare page submits the choice.
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
});

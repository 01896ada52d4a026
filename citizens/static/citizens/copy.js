// Show the "copy" buttons only when the browser can copy; the code stays selectable without JavaScript.
document.querySelectorAll("[data-copy]").forEach(function (button) {
  if (!navigator.clipboard) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(button.dataset.copy).then(function () {
      var status = document.getElementById(button.dataset.status);
      if (status) { status.textContent = button.dataset.done; }
    });
  });
});

// Fill the answer's textarea from the chosen template; the text stays editable.
// Without JavaScript the "Use template" button reloads the form with ?template=ID.
(function () {
  var data = document.getElementById("answer-templates");
  var select = document.getElementById("id_template");
  var text = document.getElementById("id_text");
  if (!data || !select || !text) return;
  var templates = JSON.parse(data.textContent);
  select.addEventListener("change", function () {
    var chosen = templates[select.value];
    if (chosen === undefined) return;
    if (text.value.trim() && !window.confirm(select.dataset.confirm)) return;
    text.value = chosen;
    text.focus();
  });
})();

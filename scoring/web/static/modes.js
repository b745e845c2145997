// The front page's two modes: show the files the chosen one needs and send only those (a hidden box is disabled).
(function () {
  var scoreMode = document.getElementById("mode-score");
  if (!scoreMode) return;
  var formsMode = document.getElementById("mode-forms");
  function show() {
    var forms = formsMode.checked;
    [["score-files", !forms], ["forms-files", forms]].forEach(function (pair) {
      var box = document.getElementById(pair[0]);
      box.style.display = pair[1] ? "" : "none";
      box.querySelectorAll("input, select").forEach(function (el) { el.disabled = !pair[1]; });
    });
    document.querySelectorAll(".score-only").forEach(function (el) { el.style.display = forms ? "none" : ""; });
    document.getElementById("run").textContent = forms ? "复核自评表" : "评分";
  }
  scoreMode.addEventListener("change", show);
  formsMode.addEventListener("change", show);
  show();
})();

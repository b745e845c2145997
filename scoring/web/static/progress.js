// Poll the job's status; show its progress; reload to the result when it has finished.
(function () {
  var box = document.getElementById("progress");
  if (!box) return;
  var url = box.getAttribute("data-status");
  function poll() {
    fetch(url, {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (s.finished) { window.location.reload(); return; }
      document.getElementById("line").textContent = s.line;
      document.getElementById("bar").style.width = s.percent + "%";
      document.getElementById("seconds").textContent = s.seconds;
      setTimeout(poll, 500);
    }).catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 500);
})();

(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var table = document.querySelector("table.matrix");
  var form = document.querySelector("form.filters");
  var panel = document.getElementById("evidence");
  var columns = data.columns;
  var str = function (i) { return i === null || i === undefined ? null : data.strings[i]; };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }
  function pretty(value) { return el("pre", {}, [JSON.stringify(value, null, 2)]); }

  function showEvidence(td) {
    var ev = data.evidence[Number(td.dataset.e)];
    var col = columns[ev.cell];
    document.querySelectorAll("td.selected").forEach(function (n) { n.classList.remove("selected"); });
    td.classList.add("selected");
    panel.replaceChildren();
    var close = el("button", {type: "button", "class": "close"}, ["Close"]);
    close.addEventListener("click", function () { panel.hidden = true; td.classList.remove("selected"); });
    panel.append(close, el("h2", {}, [ev.check]));
    var dl = el("dl");
    function add(term, value) { dl.append(el("dt", {}, [term]), el("dd", {}, [value])); }
    add("Cell", col.cell + " (" + col.server + ", reported " + (col.reported || "no version") + ")");
    add("Outcome", ev.outcome);
    if (str(ev.claim)) { add("Claim", str(ev.claim)); }
    if (str(ev.source)) {
      add("Source", str(ev.url) ? el("a", {href: str(ev.url), rel: "noreferrer"}, [str(ev.source)]) : str(ev.source));
    }
    if ("expected" in ev) { add("Expected", ev.claim === null ? "(no claim)" : pretty(ev.expected)); }
    if ("observed" in ev) { add("Observed", pretty(ev.observed)); }
    Object.keys(ev.flags || {}).forEach(function (name) {
      var flag = ev.flags[name];
      var agrees = flag.agrees === true ? "agrees with what the server did" : flag.agrees === false ? "DISAGREES with what the server did" : "says nothing about this observation";
      add("Django flag", name + " = " + JSON.stringify(flag.value) + " (" + agrees + ")");
    });
    Object.keys(ev.setup || {}).forEach(function (name) { add("Setup", name + " = " + JSON.stringify(ev.setup[name])); });
    if (ev.sql && ev.sql.length) { add("SQL", el("div", {}, ev.sql.map(function (i) { return el("pre", {}, [str(i)]); }))); }
    if (ev.error) { add("Error", el("pre", {}, [ev.error])); }
    if (ev.reason) { add("Reason", ev.reason); }
    if (ev.duration !== undefined) { add("Duration", ev.duration + " s"); }
    panel.append(dl);
    panel.hidden = false;
  }

  table.addEventListener("click", function (event) {
    var td = event.target.closest("td.e");
    if (td) { showEvidence(td); }
  });
  table.addEventListener("keydown", function (event) {
    var td = event.target.closest("td.e");
    if (td && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); showEvidence(td); }
  });
  document.querySelectorAll("a[data-goto]").forEach(function (a) {
    a.addEventListener("click", function (event) {
      var td = table.querySelector('td[data-e="' + a.dataset.goto + '"]');
      if (td) { event.preventDefault(); td.scrollIntoView({block: "center", inline: "center"}); showEvidence(td); }
    });
  });

  function checked(name) {
    return Array.prototype.filter.call(form.querySelectorAll('input[name="' + name + '"]'), function (i) { return i.checked; })
      .map(function (i) { return i.value; });
  }

  function apply() {
    var vendors = checked("vendor"), drivers = checked("driver"), djangos = checked("django"), outcomes = checked("outcome");
    var q = form.querySelector('input[name="q"]').value.trim().toLowerCase();
    var onlyDiffer = form.querySelector('input[name="differ"]').checked;
    var onlyFindings = form.querySelector('input[name="findings"]').checked;
    var onlyFlags = form.querySelector('input[name="flags"]').checked;
    var visible = columns.map(function (c) {
      return vendors.indexOf(c.vendor) >= 0 && drivers.indexOf(c.driver) >= 0 && djangos.indexOf(c.django) >= 0;
    });
    table.querySelectorAll("[data-col]").forEach(function (node) {
      node.classList.toggle("hidden", !visible[Number(node.dataset.col)]);
    });
    table.querySelectorAll("th[data-cols]").forEach(function (th) {
      var width = th.dataset.cols.split(",").filter(function (i) { return visible[Number(i)]; }).length;
      th.classList.toggle("hidden", width === 0);
      if (width) { th.colSpan = width; }
    });
    table.querySelectorAll("tbody").forEach(function (group) {
      var shown = 0;
      group.querySelectorAll("tr.check").forEach(function (tr) {
        var cells = Array.prototype.filter.call(tr.querySelectorAll("td.e"), function (td) { return visible[Number(td.dataset.col)]; });
        var ok = cells.some(function (td) { return outcomes.indexOf(td.dataset.o) >= 0; });
        if (ok && q) { ok = tr.textContent.toLowerCase().indexOf(q) >= 0; }
        if (ok && onlyFindings) { ok = cells.some(function (td) { return td.dataset.o === "differs"; }); }
        if (ok && onlyFlags) { ok = cells.some(function (td) { return td.dataset.flag === "1"; }); }
        if (ok && onlyDiffer) {
          var seen = {};
          cells.forEach(function (td) { var ev = data.evidence[Number(td.dataset.e)]; if ("observed" in ev && td.dataset.o !== "na") { seen[JSON.stringify(ev.observed)] = 1; } });
          ok = Object.keys(seen).length > 1;
        }
        tr.classList.toggle("hidden", !ok);
        if (ok) { shown += 1; }
      });
      var head = group.querySelector("tr.group");
      if (head) { head.classList.toggle("hidden", shown === 0); }
    });
    var shownRows = table.querySelectorAll("tr.check:not(.hidden)").length;
    document.getElementById("shown").textContent = shownRows + " checks × " + visible.filter(Boolean).length + " cells shown";
    writeHash();
  }

  function writeHash() {
    var params = new URLSearchParams();
    ["vendor", "driver", "django", "outcome"].forEach(function (name) {
      var all = form.querySelectorAll('input[name="' + name + '"]').length;
      var on = checked(name);
      if (on.length !== all) { params.set(name, on.join(",")); }
    });
    var q = form.querySelector('input[name="q"]').value.trim();
    if (q) { params.set("q", q); }
    ["differ", "findings", "flags"].forEach(function (name) { if (form.querySelector('input[name="' + name + '"]').checked) { params.set(name, "1"); } });
    var hash = params.toString();
    if (("#" + hash) !== window.location.hash && !(hash === "" && window.location.hash === "")) {
      history.replaceState(null, "", hash ? "#" + hash : window.location.pathname + window.location.search);
    }
  }

  function readHash() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    ["vendor", "driver", "django", "outcome"].forEach(function (name) {
      if (!params.has(name)) { return; }
      var wanted = params.get(name).split(",");
      form.querySelectorAll('input[name="' + name + '"]').forEach(function (i) { i.checked = wanted.indexOf(i.value) >= 0; });
    });
    form.querySelector('input[name="q"]').value = params.get("q") || "";
    ["differ", "findings", "flags"].forEach(function (name) { form.querySelector('input[name="' + name + '"]').checked = params.get(name) === "1"; });
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  window.addEventListener("hashchange", function () { readHash(); apply(); });
  readHash();
  apply();
})();

(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var table = document.querySelector("table.matrix");
  var form = document.querySelector("form.filters");
  var panel = document.getElementById("evidence");
  var columns = data.columns;
  var width = columns.length;
  var columnStyle = document.createElement("style");
  document.head.append(columnStyle);
  var str = function (i) { return i === null || i === undefined ? null : data.strings[i]; };
  // An evidence entry is a list (see EVIDENCE_FIELDS in harness/report/evidence.py); values are JSON texts.
  function evidence(index) {
    var raw = data.evidence[index], ev = {};
    data.fields.forEach(function (name, i) { ev[name] = raw[i] === undefined ? null : raw[i]; });
    ev.outcome = data.outcomes[ev.outcome];
    ev.error = str(ev.error);
    ev.reason = str(ev.reason);
    ev.step = str(ev.step);
    ev.errors = (ev.errors || []).map(function (i) { return JSON.parse(str(i)); });
    ["expected", "observed", "flags", "setup"].forEach(function (name) { ev[name] = ev[name] === null ? undefined : JSON.parse(str(ev[name])); });
    ev.check = table.querySelector('tr.check[data-r="' + Math.floor(index / width) + '"] code').textContent;
    ev.cell = index % width;
    return ev;
  }

  // Evidence is laid out row by row: the n-th check row's evidence for column c is n * width + c.
  function evidenceIndex(td) { return Number(td.parentNode.dataset.r) * width + td.cellIndex - 1; }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }
  // Results files are hostile: only an http(s) address becomes a link (never javascript: or data:).
  function linkable(url) {
    if (!url) { return false; }
    try { return ["http:", "https:"].indexOf(new URL(url).protocol) >= 0; } catch (e) { return false; }
  }
  function viewText(view) {
    var parts = [(view.display_name || "no display name") + " (vendor " + (view.vendor || "?") + (view.is_mariadb === null ? "" : ", MariaDB detected: " + (view.is_mariadb ? "yes" : "no")) + ", version " + (view.version || "not parsed") + ")"];
    if (view.mismatch) { parts.push(el("strong", {}, ["Differs from what the server reported: " + view.mismatch])); }
    if (view.unreadable) { parts.push("Not readable: " + view.unreadable); }
    return el("div", {}, parts.map(function (p) { return el("div", {}, [p]); }));
  }
  function pretty(value) { return el("pre", {}, [JSON.stringify(value, null, 2)]); }

  function showEvidence(td) {
    var ev = evidence(evidenceIndex(td));
    var col = columns[ev.cell];
    document.querySelectorAll("td.selected").forEach(function (n) { n.classList.remove("selected"); });
    td.classList.add("selected");
    panel.replaceChildren();
    var close = el("button", {type: "button", "class": "close"}, ["Close"]);
    close.addEventListener("click", function () { panel.hidden = true; td.classList.remove("selected"); td.focus(); });
    panel.append(close, el("h2", {}, [ev.check]));
    var dl = el("dl");
    function add(term, value) { dl.append(el("dt", {}, [term]), el("dd", {}, [value])); }
    add("Cell", col.cell + " (" + col.server + ", reported " + (col.reported || "no version") + ")");
    if (col.view) { add("Django's view", viewText(col.view)); }
    add("Outcome", ev.outcome);
    if (str(ev.claim)) { add("Claim", str(ev.claim)); }
    if (str(ev.applies_by)) { add("How this claim applies", str(ev.applies_by)); }
    if (str(ev.source)) {
      add("Source", linkable(str(ev.url)) ? el("a", {href: str(ev.url), rel: "noreferrer"}, [str(ev.source)]) : str(ev.source));
    }
    if (ev.observed !== undefined) {
      add("Expected", ev.expected === undefined ? "(no claim)" : pretty(ev.expected));
      add("Observed", pretty(ev.observed));
    }
    if (str(ev.explanation)) {
      var why = [str(ev.explanation)], whySource = str(ev.explanation_source), whyUrl = str(ev.explanation_url);
      if (whySource || whyUrl) {
        why.push(" (", linkable(whyUrl) ? el("a", {href: whyUrl, rel: "noreferrer"}, [whySource || whyUrl]) : (whySource || ""), ")");
      }
      add("Why", el("span", {}, why));
    } else if (ev.outcome === "differs from docs") {
      add("Why", el("strong", {}, ["Unexplained: no explanation from the server's or driver's own docs yet."]));
    }
    Object.keys(ev.flags || {}).forEach(function (name) {
      var flag = ev.flags[name];
      var agrees = flag.agrees === true ? "agrees with what the server did" : flag.agrees === false ? "DISAGREES with what the server did" : "says nothing about this observation";
      add("Django flag", name + " = " + JSON.stringify(flag.value) + " (" + agrees + ")");
    });
    Object.keys(ev.setup || {}).forEach(function (name) { add("Setup", name + " = " + JSON.stringify(ev.setup[name])); });
    if (ev.sql && ev.sql.length) { add("SQL", el("div", {}, ev.sql.map(function (i) { return el("pre", {}, [str(i)]); }))); }
    if (ev.step) { add("Failed setup step", ev.step); }
    if (ev.error) { add("Error", el("pre", {}, [ev.error])); }
    ev.errors.forEach(function (error) {
      var head = [error.exception];
      if (error.driver_exception) { head.push("from " + error.driver_exception); }
      if (error.code) { head.push("code " + error.code); }
      if (error.sqlstate) { head.push("SQLSTATE " + error.sqlstate); }
      add(ev.step ? "Setup error" : "Observed error", el("div", {}, [el("div", {"class": "error-head"}, [head.join(" · ")]), el("pre", {}, [error.message])]));
    });
    if (ev.reason) { add("Reason", ev.reason); }
    if (ev.duration !== null) { add("Duration", ev.duration + " s"); }
    panel.append(dl);
    panel.hidden = false;
  }

  function cellOf(target) {
    var td = target.closest("td");
    return td && td.parentNode.classList.contains("check") ? td : null;
  }
  table.addEventListener("click", function (event) { var td = cellOf(event.target); if (td) { showEvidence(td); } });
  table.addEventListener("keydown", function (event) {
    var td = cellOf(event.target);
    if (td && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); showEvidence(td); }
  });
  // Keyboard users reach a row's cells once they are in it; tens of thousands of tab stops would not help.
  table.addEventListener("focusin", function (event) {
    var row = event.target.closest("tr.check");
    if (row && !row.dataset.focusable) { row.dataset.focusable = "1"; row.querySelectorAll("td").forEach(function (td) { td.tabIndex = 0; }); }
  });
  table.querySelectorAll("tr.check > th").forEach(function (th) { th.tabIndex = 0; });
  document.querySelectorAll("a[data-goto]").forEach(function (a) {
    a.addEventListener("click", function (event) {
      var index = Number(a.dataset.goto), row = Math.floor(index / width), col = index % width;
      var tr = table.querySelector('tr.check[data-r="' + row + '"]');
      if (!tr) { return; }
      event.preventDefault();
      var td = tr.cells[col + 1];
      td.scrollIntoView({block: "center", inline: "center"});
      showEvidence(td);
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
    // Hidden columns by one stylesheet rule each, not by touching every cell.
    columnStyle.textContent = visible.map(function (shown, i) {
      return shown ? "" : "table.matrix tr.check > :nth-child(" + (i + 2) + "), table.matrix thead tr:nth-child(3) > :nth-child(" + (i + 2) + ") { display: none; }";
    }).join("\n");
    table.querySelectorAll("th[data-cols]").forEach(function (th) {
      var span = th.dataset.cols.split(",").filter(function (i) { return visible[Number(i)]; }).length;
      th.classList.toggle("hidden", span === 0);
      if (span) { th.colSpan = span; }
    });
    var shownColumns = visible.map(function (v, i) { return v ? i : -1; }).filter(function (i) { return i >= 0; });
    table.querySelectorAll("tbody").forEach(function (group) {
      var shown = 0;
      group.querySelectorAll("tr.check").forEach(function (tr) {
        var base = Number(tr.dataset.r) * width;
        var cells = shownColumns.map(function (i) { return tr.cells[i + 1]; });
        var ok = cells.some(function (td) { return outcomes.indexOf(td.className.replace(" selected", "")) >= 0; });
        if (ok && q) { ok = tr.textContent.toLowerCase().indexOf(q) >= 0; }
        if (ok && onlyFindings) { ok = cells.some(function (td) { return td.classList.contains("x"); }); }
        if (ok && onlyFlags) { ok = cells.some(function (td) { return td.querySelector("i.flag") !== null; }); }
        if (ok && onlyDiffer) {
          var seen = {};
          // Observations are indexes into the string table: equal values, equal indexes.
          shownColumns.forEach(function (i) { var observed = data.evidence[base + i][5]; if (observed !== undefined && observed !== null) { seen[observed] = 1; } });
          ok = Object.keys(seen).length > 1;
        }
        tr.classList.toggle("hidden", !ok);
        if (ok) { shown += 1; }
      });
      var head = group.querySelector("tr.group");
      if (head) { head.classList.toggle("hidden", shown === 0); }
    });
    var shownRows = table.querySelectorAll("tr.check:not(.hidden)").length;
    document.getElementById("shown").textContent = shownRows + " checks × " + shownColumns.length + " cells shown";
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
  if (window.location.hash.length > 1) {
    apply();
  } else {
    // Everything is shown already; no need to walk every row of a large matrix on load.
    document.getElementById("shown").textContent = table.querySelectorAll("tr.check").length + " checks × " + width + " cells shown";
  }
})();

(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var form = document.querySelector("form.filters");
  var compat = document.querySelector("table.compat");
  var panel = document.getElementById("evidence");
  // Per column: [cell, server, version reported, vendor, driver, Django, number (its evidence), title, marks,
  // server id].
  var columns = data.columns;
  // Per check, in the page's order: [check id, each cell's outcome key (upper case: a flag disagrees), each
  // cell's observation (see observation()), the observations' words, the cells changed since the baseline].
  var rows = data.rows;
  var width = columns.length;
  // How every check's grid lays out the cells: per block (a tbody) its name and rows, each row's heading and
  // per Django version (a column of the grid) the cell's column, -1 for none.
  var layout = data.layout, place = [];
  layout.forEach(function (block, b) {
    block[1].forEach(function (row, k) { row[1].forEach(function (column, s) { if (column >= 0) { place[column] = [b, k, s]; } }); });
  });
  // The n-th column's entry in a check's grid: its block's body, the row after the block's heading.
  function gridEntry(table, column) {
    var at = place[column];
    return table.tBodies[at[0]].rows[at[1] + 1].cells[at[2] + 1];
  }
  // A check's n-th distinct observation is marks[n] in its row ("." for none), or n where it has many.
  function observation(r, column) {
    var marks = rows[r][2];
    if (typeof marks === "string") { return marks[column] === "." ? -1 : data.marks.indexOf(marks[column]); }
    return marks[column];
  }

  // An entry of a check's grid, drawn as the page draws it for a reader without JavaScript.
  function entryCell(r, column) {
    var key = rows[r][1][column], css = key.toLowerCase(), seen = observation(r, column);
    var text = seen < 0 ? "" : rows[r][3][seen];
    var td = el("td", {"class": css}, [data.symbols[css] + (text ? " " + text : "")]);
    if (key !== css) { td.append(el("i", {"class": "flag"}, ["⚑"])); }
    if (rows[r][4].indexOf(column) >= 0) { td.append(el("i", {"class": "changed"}, ["●"])); }
    return td;
  }
  function buildCells(r) {
    var table = el("table", {"class": "cells"});
    var head = el("tr", {}, [el("th", {scope: "col"}, ["Server · driver"])]);
    data.djangos.forEach(function (django) { head.append(el("th", {scope: "col"}, ["Django " + django])); });
    table.append(el("thead", {}, [head]));
    layout.forEach(function (block) {
      var body = el("tbody", {}, [el("tr", {"class": "block"}, [el("th", {colspan: String(data.djangos.length + 1), scope: "rowgroup"}, [block[0]])])]);
      block[1].forEach(function (row) {
        var tr = el("tr", {}, [el("th", {tabindex: "0"}, [row[0]])]);
        row[1].forEach(function (column) { tr.append(column < 0 ? el("td", {"class": "none"}) : entryCell(r, column)); });
        body.append(tr);
      });
      table.append(body);
    });
    return table;
  }
  // A check's grid, drawn the first time it is wanted.
  function cellsOf(r) {
    var wrap = checkBodies[r].querySelector(".cells-wrap");
    var table = wrap.querySelector(":scope > table.cells");
    if (!table) { table = buildCells(r); wrap.append(table); }
    return table;
  }
  var checkBodies = Array.prototype.slice.call(compat.querySelectorAll("tbody.check"));
  var vendorHeads = Array.prototype.slice.call(compat.querySelectorAll("thead th[data-vendor]"));
  var columnStyle = document.createElement("style");
  document.head.append(columnStyle);
  var observedOutcomes = ["as documented", "differs from docs", "no claim"];

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
  function pretty(value) { return el("pre", {}, [JSON.stringify(value, null, 2)]); }

  // -- the evidence: each cell's record, in a script file beside the page, loaded when first asked for ----

  var records = {}, waiting = {}, requested = {};
  // A file hands over its cell's record as an object, or as its JSON text (see harness/report/evidence.py).
  window[data.evidence.callback] = function (number, given) {
    var record = given;
    if (typeof given === "string") {
      try { record = JSON.parse(given); } catch (e) { record = null; }
    }
    var ok = record !== null && typeof record === "object";
    deliver(number, ok ? record : null, ok ? "" : "its evidence file could not be read");
  };
  function deliver(number, record, problem) {
    var checks = new Map();  // by id: a check's id is text from a results file, "__proto__" included
    if (record) { (record.checks || []).forEach(function (c) { checks.set(c.id, c); }); }
    records[number] = {record: record, problem: problem, checks: checks};
    (waiting[number] || []).forEach(function (then) { then(records[number]); });
    delete waiting[number];
  }
  // A few cells' records to a file (harness/report/evidence.py): the n-th cell's is in file n / per_file.
  function withRecord(column, then) {
    var number = columns[column][6], file = Math.floor(number / data.evidence.per_file);
    if (Object.prototype.hasOwnProperty.call(records, number)) { then(records[number]); return; }
    (waiting[number] = waiting[number] || []).push(then);
    if (requested[file]) { return; }
    requested[file] = true;
    var path = data.evidence.folder + "/" + file + ".js";
    var script = el("script", {src: path});
    script.addEventListener("error", function () {
      Object.keys(waiting).forEach(function (n) {
        if (Math.floor(Number(n) / data.evidence.per_file) === file) {
          deliver(Number(n), null, path + " is not beside the page (a report kept without its evidence folder); results.json has every record");
        }
      });
    });
    script.addEventListener("load", function () {
      // A file that holds no record for a cell: it belongs to another report.
      Object.keys(waiting).forEach(function (n) {
        if (Math.floor(Number(n) / data.evidence.per_file) === file) { deliver(Number(n), null, path + " has no record of this cell: it belongs to another report; reload the page"); }
      });
    });
    document.head.append(script);
  }

  function viewText(view) {
    var version = view.version ? view.version.join(".") : "not parsed";
    var parts = [(view.display_name || "no display name") + " (vendor " + (view.vendor || "?") + (view.is_mariadb === null || view.is_mariadb === undefined ? "" : ", MariaDB detected: " + (view.is_mariadb ? "yes" : "no")) + ", version " + version + ")"];
    if (view.mismatch) { parts.push(el("strong", {}, ["Differs from what the server reported: " + view.mismatch])); }
    if (view.unreadable) { parts.push("Not readable: " + view.unreadable); }
    return el("div", {}, parts.map(function (p) { return el("div", {}, [p]); }));
  }

  var selected = null;
  function select(td) {
    if (selected) { selected.classList.remove("selected"); }
    selected = td;
    if (td) { td.classList.add("selected"); }
  }

  function showEvidence(column, r, td) {
    var check = rows[r][0], col = columns[column];
    select(td);
    panel.replaceChildren(el("p", {}, ["Loading the evidence of " + col[0] + "…"]));
    panel.hidden = false;
    withRecord(column, function (got) {
      if (selected !== td) { return; }  // another entry was asked for meanwhile
      if (got.record && got.record.cell !== col[0]) {
        got = {record: null, problem: "the evidence file beside the page belongs to another report; reload the page", checks: new Map()};
      }
      fillPanel(check, col, got, td);
    });
  }

  function fillPanel(check, col, got, td) {
    var record = got.record;
    panel.replaceChildren();
    var close = el("button", {type: "button", "class": "close"}, ["Close"]);
    close.addEventListener("click", function () { panel.hidden = true; select(null); if (td) { td.focus(); } });
    panel.append(close, el("h2", {}, [check]));
    var dl = el("dl");
    function add(term, value) { dl.append(el("dt", {}, [term]), el("dd", {}, [value])); }
    add("Cell", col[0] + " (" + col[1] + ", reported " + (col[2] || "no version") + ")");
    if (!record) {
      add("Evidence", got.problem);
      panel.append(dl);
      return;
    }
    var found = got.checks.has(check) ? got.checks.get(check) : null;
    var view = record.server && record.server.django_view;
    if (view) { add("Django's view", viewText(view)); }
    var outcome = found ? found.outcome : data.statuses[record.status];
    add("Outcome", outcome);
    if (!found) {
      if (record.reason) { add("Reason", record.reason); }
      panel.append(dl);
      return;
    }
    if (found.claim) { add("Claim", found.claim); }
    if (found.applies_by) { add("How this claim applies", found.applies_by); }
    if (found.source) {
      add("Source", linkable(found.source_url) ? el("a", {href: found.source_url, rel: "noreferrer"}, [found.source]) : found.source);
    }
    if (observedOutcomes.indexOf(outcome) >= 0) {
      add("Expected", found.claim ? pretty(found.expected) : "(no claim)");
      add("Observed", pretty(found.observed));
    }
    if (found.explanation) {
      var why = [found.explanation], whySource = found.explanation_source, whyUrl = found.explanation_url;
      if (whySource || whyUrl) {
        why.push(" (", linkable(whyUrl) ? el("a", {href: whyUrl, rel: "noreferrer"}, [whySource || whyUrl]) : (whySource || ""), ")");
      }
      add("Why", el("span", {}, why));
    } else if (outcome === "differs from docs") {
      add("Why", el("strong", {}, ["Unexplained: no explanation from the server's or driver's own docs yet."]));
    }
    Object.keys(found.flags || {}).forEach(function (name) {
      var flag = found.flags[name] || {};
      var agrees = flag.agrees === true ? "agrees with what the server did" : flag.agrees === false ? "DISAGREES with what the server did" : "says nothing about this observation";
      add("Django flag", name + " = " + JSON.stringify(flag.value) + " (" + agrees + ")");
    });
    Object.keys(found.setup || {}).forEach(function (name) { add("Setup", name + " = " + JSON.stringify(found.setup[name])); });
    if (found.sql && found.sql.length) { add("SQL", el("div", {}, found.sql.map(function (s) { return el("pre", {}, [s]); }))); }
    if (found.failed_step) { add("Failed setup step", found.failed_step); }
    if (found.error) { add("Error", el("pre", {}, [found.error])); }
    (found.errors || []).forEach(function (error) {
      var head = [error.exception];
      if (error.driver_exception) { head.push("from " + error.driver_exception); }
      if (error.code) { head.push("code " + error.code); }
      if (error.sqlstate) { head.push("SQLSTATE " + error.sqlstate); }
      add(found.failed_step ? "Setup error" : "Observed error", el("div", {}, [el("div", {"class": "error-head"}, [head.join(" · ")]), el("pre", {}, [error.message])]));
    });
    if (found.reason) { add("Reason", found.reason); }
    if (typeof found.duration === "number") { add("Duration", Math.round(found.duration * 1000) / 1000 + " s"); }
    panel.append(dl);
  }

  // Which cell an entry is: in a check's grid, the layout says; in the grid of every cell, columns are cells.
  function entryOf(td) {
    var tr = td.parentNode;
    if (td.tagName !== "TD" || !tr) { return null; }
    var cells = tr.closest("table.cells");
    if (cells) {
      var block = layout[Array.prototype.indexOf.call(cells.tBodies, tr.parentNode)];
      var row = block && block[1][tr.sectionRowIndex - 1];
      var column = row ? row[1][td.cellIndex - 1] : undefined;
      if (column === undefined || column < 0) { return null; }
      return {column: column, r: Number(cells.closest("tbody.check").dataset.r)};
    }
    if (tr.classList.contains("check") && tr.closest("table.matrix")) {
      return {column: td.cellIndex - 1, r: Number(tr.dataset.r)};
    }
    return null;
  }
  function clickedEntry(target) {
    var td = target.closest("td");
    return td && entryOf(td) ? td : null;
  }
  document.addEventListener("click", function (event) {
    var td = clickedEntry(event.target);
    if (td) { var at = entryOf(td); showEvidence(at.column, at.r, td); }
  });
  document.addEventListener("keydown", function (event) {
    var td = clickedEntry(event.target);
    if (td && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); var at = entryOf(td); showEvidence(at.column, at.r, td); }
  });
  // Keyboard users reach a row's cells once they are in it; tens of thousands of tab stops would not help.
  document.addEventListener("focusin", function (event) {
    var tr = event.target.closest && event.target.closest("table.cells tr, table.matrix tr.check");
    if (tr && !tr.dataset.focusable) {
      tr.dataset.focusable = "1";
      Array.prototype.forEach.call(tr.cells, function (cell) { if (cell.tagName === "TD") { cell.tabIndex = 0; } });
    }
  });
  // A check's grid is drawn when its row is opened (its rows' headings are keyboard stops, then its cells).
  compat.addEventListener("toggle", function (event) {
    var body = event.target.open && event.target.closest("tbody.check");
    if (body) { cellsOf(Number(body.dataset.r)); }
  }, true);

  // A finding's cell: its check's grid opens, and the entry's evidence.
  function cellInGrid(r, column) {
    return place[column] ? gridEntry(cellsOf(r), column) : null;
  }
  document.querySelectorAll("a[data-column]").forEach(function (a) {
    a.addEventListener("click", function (event) {
      var r = Number(a.dataset.row), column = Number(a.dataset.column);
      var body = checkBodies[r];
      if (!body) { return; }
      event.preventDefault();
      body.classList.remove("hidden");
      body.querySelector("details").open = true;
      var td = cellInGrid(r, column);
      if (td) { td.scrollIntoView({block: "center", inline: "center"}); }
      showEvidence(column, r, td);
    });
  });

  // -- the grid of every cell (the second view), drawn from the page's data when asked for ----

  var grid = null, gridRows = [];
  function span(label, title, count, cols) { return el("th", {colspan: String(count), title: title, "data-cols": cols.join(",")}, [label]); }
  function buildGrid() {
    var table = el("table", {"class": "matrix"});
    var head = el("thead"), servers = el("tr"), drivers = el("tr"), djangos = el("tr");
    servers.append(el("th", {"class": "rowhead", scope: "col"}, ["Server"]));
    drivers.append(el("th", {"class": "rowhead", scope: "col"}, ["Driver"]));
    djangos.append(el("th", {"class": "rowhead", scope: "col"}, ["Check · Django"]));
    [[servers, function (c) { return c[9]; }, function (c) { return "reported: " + c[2]; }],
      [drivers, function (c) { return c[9] + "\u0000" + c[4]; }, function (c) { return c[4]; }]].forEach(function (spec) {
      var start = 0;
      for (var i = 1; i <= width; i += 1) {
        if (i === width || spec[1](columns[i]) !== spec[1](columns[start])) {
          var cols = [];
          for (var k = start; k < i; k += 1) { cols.push(k); }
          var label = spec[0] === servers ? columns[start][1] : columns[start][4];
          spec[0].append(span(label, spec[2](columns[start]), i - start, cols));
          start = i;
        }
      }
    });
    columns.forEach(function (c) { djangos.append(el("th", {title: c[7]}, [c[5] + c[8]])); });
    head.append(servers, drivers, djangos);
    table.append(head);
    var body = null;
    Array.prototype.forEach.call(compat.tBodies, function (tbody) {
      if (tbody.classList.contains("group")) {
        body = el("tbody");
        body.append(el("tr", {"class": "group"}, [el("th", {colspan: String(width + 1), scope: "rowgroup"}, [tbody.textContent.trim()])]));
        table.append(body);
        return;
      }
      var r = Number(tbody.dataset.r);
      var tr = el("tr", {"class": "check", "data-r": String(r)});
      var th = tbody.querySelector("tr.entries > th").cloneNode(true);
      th.className = "rowhead";
      tr.append(th);
      for (var i = 0; i < width; i += 1) { tr.append(entryCell(r, i)); }
      gridRows[r] = tr;
      body.append(tr);
    });
    return table;
  }
  var showGrid = document.getElementById("show-grid"), holder = document.getElementById("grid-holder");
  showGrid.hidden = false;
  showGrid.addEventListener("click", function () {
    if (!grid) { grid = buildGrid(); holder.append(grid); apply(); }
    holder.hidden = !holder.hidden;
    showGrid.setAttribute("aria-expanded", String(!holder.hidden));
  });

  // -- filters ----

  function checked(name) {
    return Array.prototype.filter.call(form.querySelectorAll('input[name="' + name + '"]'), function (i) { return i.checked; })
      .map(function (i) { return i.value; });
  }
  var texts = [];
  function rowText(r) {
    if (texts[r] === undefined) { texts[r] = checkBodies[r].querySelector("tr.entries").textContent.toLowerCase(); }
    return texts[r];
  }

  function apply() {
    var vendors = checked("vendor"), drivers = checked("driver"), djangos = checked("django"), outcomes = checked("outcome");
    var q = form.querySelector('input[name="q"]').value.trim().toLowerCase();
    var onlyDiffer = form.querySelector('input[name="differ"]').checked;
    var onlyFindings = form.querySelector('input[name="findings"]').checked;
    var onlyFlags = form.querySelector('input[name="flags"]').checked;
    var shownColumns = [];
    var visible = columns.map(function (c, i) {
      var shown = vendors.indexOf(c[3]) >= 0 && drivers.indexOf(c[4]) >= 0 && djangos.indexOf(c[5]) >= 0;
      if (shown) { shownColumns.push(i); }
      return shown;
    });
    var wanted = {};
    outcomes.forEach(function (key) { wanted[key] = 1; wanted[key.toUpperCase()] = 1; });
    // Hidden columns by one stylesheet rule each, not by touching every cell.
    var rules = [];
    vendorHeads.forEach(function (th, k) {
      if (vendors.indexOf(th.dataset.vendor) < 0) {
        rules.push("table.compat > thead > tr > :nth-child(" + (k + 2) + "), table.compat tr.entries > :nth-child(" + (k + 2) + ") { display: none; }");
      }
    });
    if (grid) {
      visible.forEach(function (shown, i) {
        if (!shown) { rules.push("table.matrix tr.check > :nth-child(" + (i + 2) + "), table.matrix thead tr:nth-child(3) > :nth-child(" + (i + 2) + ") { display: none; }"); }
      });
      grid.querySelectorAll("th[data-cols]").forEach(function (th) {
        var count = th.dataset.cols.split(",").filter(function (i) { return visible[Number(i)]; }).length;
        th.classList.toggle("hidden", count === 0);
        if (count) { th.colSpan = count; }
      });
    }
    columnStyle.textContent = rules.join("\n");
    var shownRows = 0;
    rows.forEach(function (row, r) {
      var keys = row[1], ok = false, i, k;
      for (k = 0; k < shownColumns.length && !ok; k += 1) { ok = wanted[keys[shownColumns[k]]] === 1; }
      if (ok && q) { ok = rowText(r).indexOf(q) >= 0; }
      if (ok && onlyFindings) {
        ok = false;
        for (k = 0; k < shownColumns.length && !ok; k += 1) { ok = keys[shownColumns[k]].toLowerCase() === "x"; }
      }
      if (ok && onlyFlags) {
        ok = false;
        for (k = 0; k < shownColumns.length && !ok; k += 1) { i = keys[shownColumns[k]]; ok = i !== i.toLowerCase(); }
      }
      if (ok && onlyDiffer) {
        // Observations are numbered: equal values, equal numbers.
        var first = -1;
        ok = false;
        for (k = 0; k < shownColumns.length && !ok; k += 1) {
          i = observation(r, shownColumns[k]);
          if (i >= 0) { if (first < 0) { first = i; } else if (i !== first) { ok = true; } }
        }
      }
      checkBodies[r].classList.toggle("hidden", !ok);
      if (gridRows[r]) { gridRows[r].classList.toggle("hidden", !ok); }
      if (ok) { shownRows += 1; }
    });
    // A behaviour's heading goes with its last check shown.
    var heading = null, any = false;
    Array.prototype.forEach.call(compat.tBodies, function (tbody) {
      if (tbody.classList.contains("group")) {
        if (heading) { heading.classList.toggle("hidden", !any); }
        heading = tbody;
        any = false;
      } else if (!tbody.classList.contains("hidden")) {
        any = true;
      }
    });
    if (heading) { heading.classList.toggle("hidden", !any); }
    if (grid) {
      grid.querySelectorAll("tbody").forEach(function (group) {
        group.querySelector("tr.group").classList.toggle("hidden", group.querySelector("tr.check:not(.hidden)") === null);
      });
    }
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

  // The page's own anchors (#findings, #c3, #history-0) are places, not filters.
  function filterHash() {
    var hash = window.location.hash.replace(/^#/, "");
    return hash.indexOf("=") >= 0 ? hash : "";
  }
  function readHash() {
    var params = new URLSearchParams(filterHash());
    ["vendor", "driver", "django", "outcome"].forEach(function (name) {
      var on = params.has(name) ? params.get(name).split(",") : null;
      form.querySelectorAll('input[name="' + name + '"]').forEach(function (i) { i.checked = on === null || on.indexOf(i.value) >= 0; });
    });
    form.querySelector('input[name="q"]').value = params.get("q") || "";
    ["differ", "findings", "flags"].forEach(function (name) { form.querySelector('input[name="' + name + '"]').checked = params.get(name) === "1"; });
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  var box = form.closest("details");
  box.hidden = false;
  // On a phone the filters would push the table a screen down: they start closed there.
  box.open = !window.matchMedia("(max-width: 700px)").matches;
  window.addEventListener("hashchange", function () { if (filterHash()) { readHash(); apply(); } });
  if (filterHash()) {
    readHash();
    apply();
  } else {
    // Everything is shown already; no need to walk every row of a large matrix on load.
    document.getElementById("shown").textContent = rows.length + " checks × " + width + " cells shown";
  }
})();

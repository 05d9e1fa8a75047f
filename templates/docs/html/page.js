{% raw %}
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("api-data").textContent);
  var ops = data.ops;
  var languages = data.languages;
  var byAnchor = Object.create(null);
  ops.forEach(function (op, i) { byAnchor[op.a] = i; });
  var links = Array.prototype.slice.call(document.querySelectorAll("nav li a"));
  var article = document.getElementById("operation");
  var chosen = 0;
  try {
    var saved = window.localStorage.getItem("samplegen-language");
    if (saved !== null && languages.indexOf(saved) >= 0) { chosen = languages.indexOf(saved); }
  } catch (e) { /* storage may be off (file://, private mode): the first language then */ }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function add(parent, child) { parent.appendChild(child); return child; }

  function table(head, rows) {
    var wrap = el("div", { "class": "table-wrap" });
    var t = add(wrap, el("table"));
    var tr = add(add(t, el("thead")), el("tr"));
    head.forEach(function (h) { add(tr, el("th", { scope: "col" }, h)); });
    var body = add(t, el("tbody"));
    rows.forEach(function (row) {
      var r = add(body, el("tr"));
      row.forEach(function (cell) { add(r, el("td", {}, cell)); });
    });
    return wrap;
  }

  function code(text) {
    var pre = el("pre");
    add(pre, el("code", {}, text));
    return pre;
  }

  function copyText(text, button) {
    function done(ok) {
      button.textContent = ok ? "Copied" : "Select the code and copy it";
      window.setTimeout(function () { button.textContent = "Copy"; }, 1500);
    }
    function fallback() {
      var area = el("textarea", { readonly: "", "aria-hidden": "true" });
      area.value = text;
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      return ok;
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallback()); });
    } else {
      done(fallback());
    }
  }

  function select(tabs, panels, index, focus) {
    chosen = index;
    try { window.localStorage.setItem("samplegen-language", languages[index]); } catch (e) { /* see above */ }
    tabs.forEach(function (tab, i) {
      tab.setAttribute("aria-selected", i === index ? "true" : "false");
      tab.tabIndex = i === index ? 0 : -1;
      panels[i].hidden = i !== index;
    });
    if (focus) { tabs[index].focus(); }
  }

  function codeTabs(op) {
    var box = el("div", { "class": "tabs" });
    var list = add(box, el("div", { role: "tablist", "aria-label": "Languages" }));
    var tabs = [];
    var panels = [];
    languages.forEach(function (name, i) {
      var tab = add(list, el("button", { type: "button", role: "tab", id: "tab-" + i, "aria-controls": "panel-" + i }, name));
      var panel = add(box, el("div", { role: "tabpanel", id: "panel-" + i, "aria-labelledby": "tab-" + i, tabindex: "0" }));
      var program = op.prog && op.prog[String(i)];
      if (program) {
        add(panel, el("p", { "class": "note" }, "The body of the request method; the complete program is below."));
      }
      var copy = add(panel, el("button", { type: "button", "class": "copy", "aria-label": "Copy the " + name + " code" }, "Copy"));
      add(panel, code(op.code[i]));
      copy.addEventListener("click", function () { copyText(op.code[i], copy); });
      if (program) {
        var more = add(panel, el("details"));
        add(more, el("summary", {}, "Complete program (samplegen generate writes it as " + program[0] + ")"));
        add(more, code(program[1]));
      }
      tab.addEventListener("click", function () { select(tabs, panels, i, false); });
      tab.addEventListener("keydown", function (event) {
        var next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
        if (next === undefined) { return; }
        event.preventDefault();
        select(tabs, panels, (next + tabs.length) % tabs.length, true);
      });
      tabs.push(tab);
      panels.push(panel);
    });
    if (tabs.length) { select(tabs, panels, Math.min(chosen, tabs.length - 1), false); }
    return box;
  }

  function show(index) {
    var op = ops[index];
    article.textContent = "";
    if (!op) { return; }
    add(article, el("h2", {}, op.s || op.id));
    var url = add(article, el("p", { "class": "url" }));
    add(url, el("span", { "class": "method m-" + op.m.toLowerCase() }, op.m));
    url.appendChild(document.createTextNode(" " + op.u));
    var meta = add(article, el("p", { "class": "note" }, "Operation " + op.id));
    if (op.dep) { add(meta, el("span", { "class": "deprecated" }, " (deprecated)")); }
    if (op.d) { add(article, el("p", { "class": "description" }, op.d)); }
    if (op.params) {
      add(article, el("h3", {}, "Parameters"));
      add(article, table(["Name", "In", "Required", "Type", "Description", "Example"], op.params.map(function (p) {
        return [p[0], p[1], p[2] ? "yes" : "no", p[3], p[4], p[5]];
      })));
    }
    if (op.h) {
      add(article, el("h3", {}, "Headers sent"));
      add(article, table(["Name", "Value"], op.h));
    }
    if (op.env) {
      add(article, el("h3", {}, "Environment variables the samples read"));
      add(article, table(["Variable", "What it is"], op.env));
    }
    if (op.body) {
      add(article, el("h3", {}, "Request body (" + op.body[0] + ")"));
      add(article, code(op.body[1]));
    }
    if (op.resp) {
      add(article, el("h3", {}, "Response " + op.resp[0] + (op.resp[1] ? " (" + op.resp[1] + ")" : "")));
      add(article, op.resp[2] ? code(op.resp[2]) : el("p", { "class": "note" }, "No body example."));
    }
    if (op.code.length) {
      add(article, el("h3", {}, "Code"));
      add(article, codeTabs(op));
    }
    links.forEach(function (link) {
      if (link.getAttribute("href") === "#" + op.a) { link.setAttribute("aria-current", "true"); }
      else { link.removeAttribute("aria-current"); }
    });
    document.title = (op.s || op.id) + " - " + data.title;
  }

  function current() {
    var anchor = "";
    try { anchor = decodeURIComponent(window.location.hash.slice(1)); } catch (e) { anchor = ""; }
    return anchor in byAnchor ? byAnchor[anchor] : 0;
  }

  window.addEventListener("hashchange", function () {
    show(current());
    document.getElementById("main").focus({ preventScroll: true });
  });

  var filter = document.getElementById("filter");
  var count = document.getElementById("count");
  var items = Array.prototype.slice.call(document.querySelectorAll("nav li"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("nav .group"));
  filter.addEventListener("input", function () {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item) {
      var text = item.getAttribute("data-text");
      var match = words.every(function (w) { return text.indexOf(w) >= 0; });
      item.hidden = !match;
      if (match) { shown += 1; }
    });
    groups.forEach(function (group) { group.hidden = !group.querySelector("li:not([hidden])"); });
    count.textContent = words.length ? shown + " of " + items.length + " operations" : items.length + " operations";
  });

  var themes = ["auto", "light", "dark"];
  var theme = document.getElementById("theme");
  var themeIndex = 0;
  try { themeIndex = Math.max(0, themes.indexOf(window.localStorage.getItem("samplegen-theme") || "auto")); } catch (e) { /* see above */ }
  function applyTheme() {
    var name = themes[themeIndex];
    if (name === "auto") { document.documentElement.removeAttribute("data-theme"); }
    else { document.documentElement.setAttribute("data-theme", name); }
    theme.textContent = "Theme: " + name;
    theme.setAttribute("aria-label", "Colour scheme: " + (name === "auto" ? "automatic" : name));
  }
  theme.addEventListener("click", function () {
    themeIndex = (themeIndex + 1) % themes.length;
    try { window.localStorage.setItem("samplegen-theme", themes[themeIndex]); } catch (e) { /* see above */ }
    applyTheme();
  });
  applyTheme();
  show(current());
}());
{% endraw %}

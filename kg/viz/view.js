/* kg view: the entity–event network (vis-network, positions precomputed, no physics),
   its evidence panel, filters, and a timeline drawn as SVG. Offline, no innerHTML:
   every string from the data reaches the page through textContent or an attribute. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("kg-data").textContent);
  var U = D.ui, SVG = "http://www.w3.org/2000/svg", BIG = D.nodes.length > 400;
  var byId = {}, adj = {}, edgeById = {};
  D.nodes.forEach(function (n) { byId[n.id] = n; adj[n.id] = []; });
  D.edges.forEach(function (e, i) {
    e.id = "e" + i; edgeById[e.id] = e;
    adj[e.from].push(e); adj[e.to].push(e);
  });

  // ---- small helpers ----
  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null && text !== "") e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function fmt(s, vals) { return s.replace(/\{(\w+)\}/g, function (_, k) { return String(vals[k]); }); }
  function fold(s) {  // like kg.text.normalize.fold, enough for a search box
    return String(s).toLowerCase().replace(/[\u064B-\u065F\u0670\u0640]/g, "")
      .replace(/[أإآٱ]/g, "ا").replace(/ى/g, "ي").replace(/ة/g, "ه");
  }
  function dark(hex) {
    var v = parseInt(hex.slice(1), 16), r = v >> 16, g = (v >> 8) & 255, b = v & 255;
    return 0.299 * r + 0.587 * g + 0.114 * b < 150;
  }
  function shade(hex, f) {
    var v = parseInt(hex.slice(1), 16), c = [v >> 16, (v >> 8) & 255, v & 255].map(function (x) {
      return Math.max(0, Math.min(255, Math.round(x * f)));
    });
    return "#" + c.map(function (x) { return (x < 16 ? "0" : "") + x.toString(16); }).join("");
  }
  function nodeTitle(n) { return n.kind === "event" ? n.label.replace("\n", " ") : n.name; }
  function roleText(e) { return e.roles.map(function (r) { return D.roles[r]; }).join(", "); }

  // ---- the network ----
  function visNode(n) {
    var t = D.types[n.type], tip = el("div");
    tip.appendChild(el("strong", nodeTitle(n)));
    tip.appendChild(el("div", t.label + (n.kind === "event" ? " · " + U.corroboration + ": " + n.corroboration : "")));
    var o = {id: n.id, label: n.label, shape: t.shape, x: n.x, y: n.y, title: tip,
             color: {background: t.color, border: shade(t.color, 0.65),
                     highlight: {background: t.color, border: "#000"}, hover: {background: t.color, border: "#000"}},
             borderWidth: n.seed ? 4 : 1};
    if (n.kind === "event") {
      o.size = Math.min(48, 12 + 9 * (Math.sqrt(n.corroboration) - 1));
      o.font = {size: 14, color: "#111", strokeWidth: 3, strokeColor: "#fff"};
    } else if (t.shape !== "ellipse" && t.shape !== "box") {
      o.size = 11;
      o.font = {size: 14, color: "#222", strokeWidth: 3, strokeColor: "#fff"};
    } else {
      o.font = {size: 14, color: dark(t.color) ? "#fff" : "#111"};
    }
    return o;
  }
  function visEdge(e) {
    var c = D.types[byId[e.from].type].color;
    return {id: e.id, from: e.from, to: e.to, label: roleText(e), arrows: {to: {enabled: true, scaleFactor: 0.5}},
            color: {color: c, highlight: "#000", hover: "#000", opacity: 0.55},
            font: {size: 10, color: "#444", strokeWidth: 3, strokeColor: "#fff", align: "middle"}};
  }
  var nodes = new vis.DataSet(D.nodes.map(visNode));
  var edges = new vis.DataSet(D.edges.map(visEdge));
  var network = new vis.Network($("graph"), {nodes: nodes, edges: edges}, {
    physics: false,  // positions come from the server side layout: nothing to simulate
    layout: {improvedLayout: false},
    interaction: {hover: !BIG, tooltipDelay: 200, hideEdgesOnDrag: BIG, hideEdgesOnZoom: BIG},
    // A big graph opens zoomed out: names appear once they are big enough to read, not as a smear.
    edges: {smooth: BIG ? false : {type: "continuous", roundness: 0.15}, selectionWidth: 2,
            scaling: {label: {drawThreshold: BIG ? 9 : 5}}},
    nodes: {widthConstraint: {maximum: 170}, scaling: {label: {drawThreshold: BIG ? 9 : 5}}}
  });
  var view = window.kgView = {
    network: network, nodes: nodes, edges: edges, data: D, total: D.nodes.length, ready: false,
    shown: function () { return nodes.get({filter: function (n) { return !n.hidden; }}).length; },
    domPosition: function (id) {  // where a node is drawn, in page coordinates (tests click there)
      var p = network.canvasToDOM(network.getPositions([id])[id]), r = $("graph").getBoundingClientRect();
      return {x: r.left + p.x, y: r.top + p.y};
    },
    select: select
  };
  network.once("afterDrawing", function () {
    view.ready = true; view.readyAt = performance.now(); document.body.setAttribute("data-ready", "1");
  });
  network.on("click", function (p) {
    if (p.nodes.length) showNode(byId[p.nodes[0]]);
    else if (p.edges.length) showEdge(edgeById[p.edges[0]]);
  });

  // ---- the side panel ----
  var info = $("info");
  function hint() { info.textContent = ""; info.appendChild(el("p", U.hint, "muted")); }
  function chip(type) { var s = el("span", D.types[type].label, "chip"); s.style.background = D.types[type].color; return s; }
  function evidence(c, focus) {
    var art = D.articles[c.article], div = el("div", null, "evidence"), chars = Array.from(c.text);
    div.dir = art.lang === "ar" ? "rtl" : (art.lang === "en" ? "ltr" : "auto");
    // Offsets count code points (Python), hence Array.from; segments get the classes of every mark over them.
    var cuts = [0, chars.length];
    c.marks.forEach(function (m) { cuts.push(Math.max(0, Math.min(chars.length, m[0])), Math.max(0, Math.min(chars.length, m[1]))); });
    cuts = cuts.filter(function (v, i, a) { return a.indexOf(v) === i; }).sort(function (a, b) { return a - b; });
    for (var i = 0; i + 1 < cuts.length; i++) {
      var a = cuts[i], b = cuts[i + 1], cls = [];
      c.marks.forEach(function (m) {
        if (m[0] <= a && b <= m[1]) cls.push(m[2] === "" ? "t" : (m[2] === focus ? "focus" : "m"));
      });
      var text = chars.slice(a, b).join("");
      if (!cls.length) { div.appendChild(document.createTextNode(text)); continue; }
      var mk = el("mark", text, cls.filter(function (v, j, x) { return x.indexOf(v) === j; }).join(" "));
      if (cls.indexOf("t") >= 0) mk.title = U.trigger;
      div.appendChild(mk);
    }
    return div;
  }
  function claimBlock(ci, focus) {
    var c = D.claims[ci], art = D.articles[c.article], box = el("div", null, "claim");
    var meta = el("div", null, "meta"), bits = [art.title || art.id];
    if (art.outlet) bits.push(art.outlet);
    if (art.published) bits.push(art.published);
    meta.appendChild(el("span", bits.join(" · ")));
    if (/^https?:\/\//i.test(art.url)) {  // only web links; a javascript: URL stays text
      var a = el("a", U.link); a.href = art.url; a.rel = "noopener noreferrer"; a.target = "_blank";
      meta.appendChild(document.createTextNode(" · ")); meta.appendChild(a);
    }
    box.appendChild(meta);
    box.appendChild(evidence(c, focus));
    if (c.reported_by.length) box.appendChild(el("div", U.reported_by + ": " + c.reported_by.join(" · "), "who"));
    if (c.according_to.length) box.appendChild(el("div", U.according_to + ": " + c.according_to.join(" · "), "who"));
    return box;
  }
  function nodeLink(n, text) {
    var a = el("a", text || nodeTitle(n), "ev");
    a.addEventListener("click", function () { select(n.id); });
    return a;
  }
  function showNode(n) {
    info.textContent = "";
    info.appendChild(el("h2", nodeTitle(n)));
    info.appendChild(chip(n.type));
    if (n.kind === "event") {
      info.appendChild(el("span", U.corroboration + ": " + n.corroboration, "muted"));
      if (n.dates.length > 1) info.appendChild(el("div", U.date + ": " + n.dates.join(" · "), "muted"));
      adj[n.id].forEach(function (e) { info.appendChild(nodeLink(byId[e.to], roleText(e) + ": " + byId[e.to].name)); });
      info.appendChild(el("h3", U.claims + " (" + n.claims.length + ")"));
      n.claims.forEach(function (ci) { info.appendChild(claimBlock(ci, null)); });
    } else {
      info.appendChild(el("h3", U.names));
      Object.keys(n.names).forEach(function (lang) {
        var d = el("div", lang + ": " + n.names[lang].join(" · "), "meta"); info.appendChild(d);
      });
      info.appendChild(el("h3", U.events + " (" + adj[n.id].length + ")"));
      adj[n.id].forEach(function (e) {
        var ev = byId[e.from]; info.appendChild(nodeLink(ev, nodeTitle(ev) + " — " + roleText(e)));
      });
    }
  }
  function showEdge(e) {
    var ev = byId[e.from], ent = byId[e.to];
    info.textContent = "";
    info.appendChild(el("h2", nodeTitle(ev) + " → " + ent.name));
    info.appendChild(chip(ev.type));
    info.appendChild(el("span", U.role + ": " + roleText(e), "muted"));
    info.appendChild(el("h3", U.claims + " (" + e.claims.length + ")"));
    e.claims.forEach(function (ci) { info.appendChild(claimBlock(ci, e.to)); });
  }
  function select(id) {
    var n = byId[id];
    if (!n) return;
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 0.8), animation: false});
    showNode(n);
    timeline.mark(id);
  }

  // ---- filters ----
  var on = {}, range = {from: "", to: "", undated: true}, present = {};
  D.nodes.forEach(function (n) { present[n.type] = (present[n.type] || 0) + 1; });
  Object.keys(D.types).forEach(function (t) { on[t] = true; });
  var allDates = [];
  D.nodes.forEach(function (n) { if (n.dates) allDates = allDates.concat(n.dates); });
  allDates.sort();
  function span(d, end) {  // first or last day a YYYY[-MM[-DD]] date covers
    return end ? d + "-12-31".slice(d.length - 4) : d + "-01-01".slice(d.length - 4);
  }
  function eventShown(n) {
    if (!on[n.type]) return false;
    if (!n.dates.length) return range.undated;
    if (!range.from && !range.to) return true;
    return n.dates.some(function (d) {
      return (!range.from || span(d, true) >= range.from) && (!range.to || span(d, false) <= range.to);
    });
  }
  function visible() {
    var shown = {};
    D.nodes.forEach(function (n) { if (n.kind === "event" && eventShown(n)) shown[n.id] = true; });
    D.nodes.forEach(function (n) {  // an entity stays only while one of its events does
      if (n.kind === "entity" && on[n.type] && adj[n.id].some(function (e) { return shown[e.from]; })) shown[n.id] = true;
    });
    return shown;
  }
  var shownNow = {};
  function apply() {
    shownNow = visible();
    var changes = [];
    nodes.forEach(function (v) {
      var hide = !shownNow[v.id];
      if (!!v.hidden !== hide) changes.push({id: v.id, hidden: hide});
    });
    if (changes.length) nodes.update(changes);
    $("count").textContent = fmt(U.shown, {shown: Object.keys(shownNow).length, total: D.nodes.length});
    timeline.draw();
  }
  function checkbox(label, checked, onchange, color) {
    var l = el("label"), c = el("input");
    c.type = "checkbox"; c.checked = checked;
    c.addEventListener("change", function () { onchange(c.checked); apply(); });
    if (color) { var s = el("span", "■"); s.style.color = color; l.appendChild(s); }
    l.appendChild(c); l.appendChild(document.createTextNode(label));
    return l;
  }
  function buildFilters() {
    var body = $("filter-body");
    $("filters-title").textContent = U.filters;
    [["event", U.event_types], ["entity", U.entity_types]].forEach(function (g) {
      var div = el("div", null, "fgroup");
      div.appendChild(el("h3", g[1]));
      Object.keys(D.types).forEach(function (t) {
        if (D.types[t].kind !== g[0] || !present[t]) return;
        var cb = checkbox(D.types[t].label + " (" + present[t] + ")", true, function (v) { on[t] = v; });
        cb.querySelector("input").setAttribute("data-type", t);
        div.appendChild(cb);
      });
      body.appendChild(div);
    });
    var dates = el("div", null, "fgroup");
    dates.appendChild(el("h3", U.dates));
    ["from", "to"].forEach(function (k) {
      var l = el("label", U[k]), i = el("input");
      i.type = "date"; i.id = "date-" + k;
      if (allDates.length) { i.min = span(allDates[0], false); i.max = span(allDates[allDates.length - 1], true); }
      i.addEventListener("change", function () { range[k] = i.value; apply(); });
      l.appendChild(i); dates.appendChild(l);
    });
    dates.appendChild(checkbox(U.undated, true, function (v) { range.undated = v; }));
    body.appendChild(dates);
    var reset = el("button", U.reset);
    reset.type = "button";
    reset.addEventListener("click", function () {
      Object.keys(on).forEach(function (t) { on[t] = true; });
      range.from = range.to = ""; range.undated = true;
      body.querySelectorAll("input[type=checkbox]").forEach(function (c) { c.checked = true; });
      body.querySelectorAll("input[type=date]").forEach(function (c) { c.value = ""; });
      apply();
    });
    body.appendChild(reset);
  }
  function buildLegend() {
    var legend = $("legend");
    Object.keys(D.types).forEach(function (t) {
      if (!present[t]) return;
      var item = el("span"); item.appendChild(shapeIcon(D.types[t]));
      item.appendChild(document.createTextNode(D.types[t].label));
      legend.appendChild(item);
    });
  }
  function shapeIcon(t) {
    var s = document.createElementNS(SVG, "svg"), c = 7, shape;
    s.setAttribute("width", "16"); s.setAttribute("height", "14"); s.setAttribute("viewBox", "0 0 16 14");
    function poly(points) { var p = document.createElementNS(SVG, "polygon"); p.setAttribute("points", points); return p; }
    switch (t.shape) {
      case "dot": case "circle": shape = document.createElementNS(SVG, "circle");
        shape.setAttribute("cx", "8"); shape.setAttribute("cy", c); shape.setAttribute("r", t.shape === "dot" ? "5" : "6"); break;
      case "ellipse": shape = document.createElementNS(SVG, "ellipse");
        shape.setAttribute("cx", "8"); shape.setAttribute("cy", c); shape.setAttribute("rx", "7.5"); shape.setAttribute("ry", "4.5"); break;
      case "box": case "square": case "database": shape = document.createElementNS(SVG, "rect");
        shape.setAttribute("x", t.shape === "box" ? "0.5" : "3"); shape.setAttribute("y", "2");
        shape.setAttribute("width", t.shape === "box" ? "15" : "10"); shape.setAttribute("height", "10");
        shape.setAttribute("rx", t.shape === "database" ? "3" : "1"); break;
      case "hexagon": shape = poly("4,2 12,2 15.5,7 12,12 4,12 0.5,7"); break;
      case "triangle": shape = poly("8,1 15,13 1,13"); break;
      case "triangleDown": shape = poly("1,1 15,1 8,13"); break;
      case "diamond": shape = poly("8,0.5 15,7 8,13.5 1,7"); break;
      default: shape = poly("8,0.5 10,5 15,5.3 11.2,8.5 12.5,13.5 8,10.7 3.5,13.5 4.8,8.5 1,5.3 6,5");  // star
    }
    shape.setAttribute("fill", t.color); shape.setAttribute("stroke", shade(t.color, 0.65));
    s.appendChild(shape);
    return s;
  }

  // ---- the timeline: one row per event type or per actor, SVG, no library ----
  var timeline = (function () {
    var mode = "type", selected = null, MAXROWS = 40, ROW = 26, TOP = 34;
    function parse(d) {
      var p = d.split("-").map(Number), y = p[0], m = p[1] || 1, day = p[2] || 1;
      var start = Date.UTC(y, m - 1, day);
      var end = p.length === 3 ? Date.UTC(y, m - 1, day + 1) : p.length === 2 ? Date.UTC(y, m, 1) : Date.UTC(y + 1, 0, 1);
      return [start, end];
    }
    function rows(events) {
      if (mode === "type") {
        return Object.keys(D.types).filter(function (t) { return D.types[t].kind === "event"; }).map(function (t) {
          return {label: D.types[t].label, events: events.filter(function (n) { return n.type === t; })};
        }).filter(function (r) { return r.events.length; });
      }
      var by = {};
      events.forEach(function (ev) {
        adj[ev.id].forEach(function (e) {
          if (!shownNow[e.to]) return;
          (by[e.to] = by[e.to] || []).push(ev);
        });
      });
      return Object.keys(by).sort(function (a, b) {
        return by[b].length - by[a].length || (byId[a].name < byId[b].name ? -1 : 1);
      }).map(function (id) { return {label: byId[id].label, events: by[id], id: id}; });
    }
    function svg(tag, attrs, parent) {
      var e = document.createElementNS(SVG, tag);
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
      if (parent) parent.appendChild(e);
      return e;
    }
    function ticks(t0, t1) {
      var days = (t1 - t0) / 864e5, out = [], d = new Date(t0), step, unit;
      if (days > 3 * 365) { unit = "y"; step = Math.max(1, Math.ceil(days / 365 / 12)); }
      else if (days > 90) { unit = "m"; step = Math.max(1, Math.ceil(days / 30 / 12)); }
      else { unit = "d"; step = Math.max(1, Math.ceil(days / 12)); }
      var y = d.getUTCFullYear(), m = unit === "y" ? 0 : d.getUTCMonth(), day = unit === "d" ? d.getUTCDate() : 1;
      for (var i = 0; i < 200; i++) {
        var t = Date.UTC(y, m, day);
        if (t > t1) break;
        if (t >= t0) out.push([t, unit === "y" ? String(y) : new Date(t).toISOString().slice(0, unit === "m" ? 7 : 10)]);
        if (unit === "y") y += step; else if (unit === "m") m += step; else day += step;
      }
      return out;
    }
    function draw() {
      var box = $("tl-body");
      if ($("timeline").hidden) return;
      box.textContent = "";
      var events = D.nodes.filter(function (n) { return n.kind === "event" && n.date && shownNow[n.id]; });
      if (!events.length) { box.appendChild(el("p", U.no_dates, "muted")); return; }
      var all = rows(events), list = all.slice(0, MAXROWS), t0 = Infinity, t1 = -Infinity;
      events.forEach(function (n) { var s = parse(n.date); t0 = Math.min(t0, s[0]); t1 = Math.max(t1, s[1]); });
      var pad = Math.max(864e5 * 3, (t1 - t0) * 0.03);
      t0 -= pad; t1 += pad;
      var width = Math.max(500, box.clientWidth - 4), labelW = 190, plotW = width - labelW - 16;
      var height = TOP + list.length * ROW + 8;
      var root = svg("svg", {width: width, height: height, role: "img"});
      function x(t) { return labelW + (t - t0) / (t1 - t0) * plotW; }
      list.forEach(function (r, i) {
        var y = TOP + i * ROW;
        svg("rect", {x: 0, y: y, width: width, height: ROW, "class": i % 2 ? "row odd" : "row"}, root);
        var tx = svg("text", {x: 4, y: y + ROW / 2 + 4}, root);
        tx.textContent = r.label;
      });
      var tks = ticks(t0, t1);
      if (!tks.length || x(tks[0][0]) - labelW > 70) {  // name where the axis starts when no tick is near it
        var first = new Date(t0).toISOString(), unit = tks.length ? tks[0][1].length : 4;
        tks.unshift([t0, first.slice(0, unit === 4 ? 4 : unit === 7 ? 7 : 10)]);
      }
      tks.filter(function (tk) { return x(tk[0]) < width - 60; }).forEach(function (tk) {
        svg("line", {x1: x(tk[0]), x2: x(tk[0]), y1: TOP - 6, y2: height - 8, "class": "axis", "stroke-dasharray": "2,3"}, root);
        var tx = svg("text", {x: x(tk[0]) + 2, y: TOP - 10}, root);
        tx.textContent = tk[1];
      });
      var stack = {};
      list.forEach(function (r, i) {
        r.events.forEach(function (n) {
          var s = parse(n.date), cx = x(s[0]), cy = TOP + i * ROW + ROW / 2, key = i + ":" + Math.round(cx / 8);
          var k = stack[key] = (stack[key] || 0) + 1;
          cy += ((k - 1) % 3 - ((k - 1) % 3 === 2 ? 3 : 0)) * 5;  // same row, same spot: 0, +5, -5
          var color = D.types[n.type].color, mk;
          if (n.date.length === 10) {
            mk = svg("circle", {cx: cx, cy: cy, r: Math.min(10, 4 + 2 * Math.sqrt(n.corroboration)), fill: color}, root);
          } else {  // a month or a year: a bar over the whole period it may be in
            mk = svg("rect", {x: cx, y: cy - 5, width: Math.max(4, x(s[1]) - cx), height: 10, rx: 3,
                              fill: color, "fill-opacity": 0.55}, root);
          }
          mk.setAttribute("class", "mark" + (n.id === selected ? " selected" : ""));
          mk.setAttribute("data-id", n.id);
          var title = svg("title", {}, mk); title.textContent = nodeTitle(n);
          mk.addEventListener("click", function () { select(n.id); });
        });
      });
      zoomable(root, function (px) { return t0 + (px - labelW) / plotW * (t1 - t0); }, labelW, height);
      box.appendChild(root);
      if (all.length > list.length) box.appendChild(el("p", fmt(U.more_rows, {n: all.length - list.length}), "muted"));
    }
    function zoomable(root, time, left, height) {  // drag across the plot: that span becomes the date filter
      var from = null, band = svg("rect", {y: 0, height: height, width: 0, fill: "#3d8bd6", "fill-opacity": 0.15}, root);
      function px(ev) { return ev.clientX - root.getBoundingClientRect().left; }
      root.addEventListener("mousedown", function (ev) { if (px(ev) > left) { from = px(ev); ev.preventDefault(); } });
      root.addEventListener("mousemove", function (ev) {
        if (from === null) return;
        band.setAttribute("x", Math.min(from, px(ev))); band.setAttribute("width", Math.abs(px(ev) - from));
      });
      root.addEventListener("mouseup", function (ev) {
        var to = px(ev), a = from;
        from = null;
        if (a === null || Math.abs(to - a) < 6) { band.setAttribute("width", 0); return; }
        var iso = function (t) { return new Date(t).toISOString().slice(0, 10); };
        range.from = $("date-from").value = iso(time(Math.min(a, to)));
        range.to = $("date-to").value = iso(time(Math.max(a, to)));
        apply();
      });
    }
    function controls() {
      var c = $("tl-controls");
      c.appendChild(el("strong", U.rows + ": "));
      [["type", U.by_type], ["actor", U.by_actor]].forEach(function (m) {
        var l = el("label"), r = el("input");
        r.type = "radio"; r.name = "tl-mode"; r.value = m[0]; r.checked = m[0] === mode;
        r.addEventListener("change", function () { mode = m[0]; draw(); });
        l.appendChild(r); l.appendChild(document.createTextNode(m[1])); c.appendChild(l);
      });
      c.appendChild(el("span", U.tl_hint, "muted"));
    }
    return {draw: draw, controls: controls, mark: function (id) { selected = id; draw(); }};
  })();

  // ---- tabs, search, start ----
  function showTab(name) {
    $("tab-graph").setAttribute("aria-selected", String(name === "graph"));
    $("tab-timeline").setAttribute("aria-selected", String(name === "timeline"));
    $("timeline").hidden = name !== "timeline";  // drawn over the graph, so vis keeps its size
    timeline.draw();
  }
  $("tab-graph").textContent = U.graph;
  $("tab-timeline").textContent = U.timeline;
  $("tab-graph").addEventListener("click", function () { showTab("graph"); });
  $("tab-timeline").addEventListener("click", function () { showTab("timeline"); });
  var search = $("search");
  search.placeholder = U.search;
  search.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") return;
    var q = fold(search.value.trim());
    if (!q) return;
    var hit = D.nodes.filter(function (n) {
      return shownNow[n.id] && (fold(nodeTitle(n)).indexOf(q) >= 0 || (n.names && Object.keys(n.names).some(function (l) {
        return n.names[l].some(function (s) { return fold(s).indexOf(q) >= 0; });
      })));
    })[0];
    if (hit) { showTab("graph"); select(hit.id); }
  });
  if (D.notice) { $("notice").textContent = D.notice; $("notice").hidden = false; }
  buildLegend();
  buildFilters();
  timeline.controls();
  hint();
  apply();
  window.addEventListener("resize", function () { timeline.draw(); });
})();

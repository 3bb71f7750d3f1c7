// dyad web app: five views over the HTTP API (code, events, series, network, map) plus an
// article reader. Plain DOM, no framework, no build step; the drawing libraries (ECharts,
// Cytoscape.js, topojson-client, world-atlas) are embedded in the binary and served from
// /assets/vendor/, so nothing here reaches past the server it came from.
//
// Every piece of text from the API or the user goes into the page through textContent (via
// `el`), never as HTML: article text is untrusted input.
"use strict";

// ---------------------------------------------------------------------------------------
// Small helpers

/** Builds an element: el("td", {class: "num"}, "12", childElement…). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

const $ = (sel, root = document) => root.querySelector(sel);

/** Calls the API; resolves to the JSON body, or throws an Error carrying the API's message. */
async function api(path, options) {
  let res;
  try {
    res = await fetch(path, options);
  } catch (e) {
    throw new Error(`the server did not answer (${e.message})`);
  }
  let body = null;
  try {
    body = await res.json();
  } catch (_) {
    // Non-JSON answers are reported by status below.
  }
  if (!res.ok) {
    const msg = body && body.error ? body.error.message : res.statusText;
    throw new Error(`${res.status}: ${msg}`);
  }
  return body;
}

function showError(section, err) {
  const box = $(".error", section);
  if (!box) return;
  if (err) {
    box.textContent = err.message || String(err);
    box.hidden = false;
  } else {
    box.hidden = true;
    box.textContent = "";
  }
}

const QUAD = {
  1: "verbal cooperation",
  2: "material cooperation",
  3: "verbal conflict",
  4: "material conflict",
};

function fmtGoldstein(g) {
  if (g === null || g === undefined || Number.isNaN(g)) return "–";
  return (g > 0 ? "+" : "") + (Math.round(g * 10) / 10).toString();
}

function actorLabel(a) {
  if (!a) return "—";
  const name = a.name || a.code;
  return name === a.code ? a.code : `${name} (${a.code})`;
}

/** Colour for a mean Goldstein score: red (conflict) through grey to green (cooperation). */
function goldsteinColor(g) {
  const t = Math.max(-1, Math.min(1, (g || 0) / 6));
  const grey = [150, 156, 166];
  const end = t < 0 ? [192, 57, 43] : [46, 139, 87];
  const k = Math.abs(t);
  const mix = grey.map((c, i) => Math.round(c + (end[i] - c) * k));
  return `rgb(${mix[0]},${mix[1]},${mix[2]})`;
}

/**
 * The API gives spans as UTF-8 byte offsets (what the Rust side indexes by); JavaScript strings
 * index UTF-16 code units. Returns a function from the one to the other for `text`.
 */
function byteOffsets(text) {
  const map = [];
  let u = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0);
    const bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let k = 0; k < bytes; k++) map.push(u);
    u += ch.length;
  }
  map.push(u);
  return (b) => map[Math.max(0, Math.min(b, map.length - 1))];
}

/** Reads a filter form into URLSearchParams, leaving out empty fields. */
function formParams(form) {
  const p = new URLSearchParams();
  for (const [k, v] of new FormData(form).entries()) {
    const s = String(v).trim();
    if (!s) continue;
    p.set(k, s === "on" ? "true" : s);
  }
  return p;
}

/** Fills a filter form from URLSearchParams (the part of the location after `?`). */
function fillForm(form, params) {
  for (const input of form.elements) {
    if (!input.name) continue;
    const v = params.get(input.name);
    if (input.type === "checkbox") input.checked = v === "true";
    else if (v !== null) input.value = v;
    else if (input.tagName === "SELECT") {
      const d = [...input.options].find((o) => o.defaultSelected) || input.options[0];
      input.value = d ? d.value : "";
    } else input.value = input.defaultValue;
  }
}

function libsMissing(section, what) {
  if (window.echarts && window.cytoscape && window.topojson) return false;
  showError(section, new Error(
    `This build of dyad has no ${what} library: it was built without Node.js/npm. ` +
      "Install Node.js and npm, rebuild, and the view will draw."));
  return true;
}

// ---------------------------------------------------------------------------------------
// Highlighted documents (the code view and the article view)

/**
 * Renders `text` into `container` with spans highlighted. Each span is
 * {start, end, kind: "actor"|"event"|"quote", ref, title} in byte offsets. Overlaps are fine:
 * the text is cut at every span boundary and each piece carries the classes of every span over it.
 */
function renderHighlighted(container, text, spans, onPick) {
  const toU = byteOffsets(text);
  const marks = spans
    .map((s) => ({ ...s, a: toU(s.start), b: toU(s.end) }))
    .filter((s) => s.b > s.a);
  const cuts = new Set([0, text.length]);
  for (const s of marks) {
    cuts.add(s.a);
    cuts.add(s.b);
  }
  const points = [...cuts].sort((x, y) => x - y);
  container.replaceChildren();
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const piece = text.slice(a, b);
    const over = marks.filter((s) => s.a <= a && s.b >= b);
    if (!over.length) {
      container.append(piece);
      continue;
    }
    const kinds = [...new Set(over.map((s) => s.kind))];
    const events = over.filter((s) => s.kind === "event").map((s) => s.ref);
    const node = el("span", {
      class: ["hl", ...kinds].join(" "),
      title: over.map((s) => s.title).filter(Boolean).join("\n"),
      dataset: events.length ? { events: events.join(" ") } : undefined,
    }, piece);
    if (events.length) node.addEventListener("click", () => onPick(events[0]));
    container.append(node);
  }
}

function markSelected(container, list, index) {
  for (const n of container.querySelectorAll(".hl.selected")) n.classList.remove("selected");
  for (const n of container.querySelectorAll(".hl[data-events]")) {
    if (n.dataset.events.split(" ").includes(String(index))) n.classList.add("selected");
  }
  for (const li of list.children) li.classList.toggle("selected", li.dataset.index === String(index));
}

/** The explanation of one event: what, who, when, where, and the sentence and rule behind it. */
function explainEvent(box, ev, sentenceText) {
  const rows = [];
  const row = (k, ...v) => rows.push(el("dt", {}, k), el("dd", {}, ...v));
  row("Source", actorLabel(ev.source));
  row("Target", actorLabel(ev.target));
  row("CAMEO", el("code", {}, ev.cameo), " ", ev.cameo_name || "", ev.root ? ` (root ${ev.root})` : "");
  if (ev.plover) row("PLOVER", ev.plover + (ev.plover_mode ? ` · ${ev.plover_mode}` : ""));
  row("Goldstein", fmtGoldstein(ev.goldstein));
  if (ev.quad_class) row("Quad class", `${ev.quad_class} ${QUAD[ev.quad_class] || ""}`);
  row("Date", ev.date || "unknown", ev.date_text ? ` (from “${ev.date_text}”)` : " (the article's date)");
  if (ev.place) {
    const p = ev.place;
    const where = p.lat !== null && p.lat !== undefined ? ` · ${p.lat.toFixed(2)}, ${p.lon.toFixed(2)}` : "";
    row("Place", `${p.name}${p.country ? ` (${p.country})` : ""}${where}`);
  } else {
    row("Place", "not stated");
  }
  const flags = [];
  if (ev.negated) flags.push("negated");
  if (ev.hypothetical) flags.push("hypothetical");
  if (ev.reported) flags.push("reported speech");
  if (flags.length) row("Flags", flags.join(", "));
  if (ev.confidence !== undefined) row("Confidence", String(ev.confidence));
  const sentence = el("dd", { class: "sentence" });
  if (sentenceText) {
    const at = sentenceText.indexOf(ev.evidence.text);
    if (at >= 0) {
      sentence.append(sentenceText.slice(0, at), el("mark", {}, ev.evidence.text),
        sentenceText.slice(at + ev.evidence.text.length));
    } else {
      sentence.append(sentenceText);
    }
  } else {
    sentence.append(el("mark", {}, ev.evidence.text));
  }
  rows.push(el("dt", {}, `Sentence ${ev.sentence + 1}`), sentence);
  const rule = ev.rule;
  row("Rule", el("code", { class: "rule-file" }, rule.file), " · ", el("code", {}, rule.entry),
    ` → ${rule.pattern_code}`, rule.recoded ? ` (recoded: ${rule.recoded})` : "");
  box.replaceChildren(
    el("h4", {}, `${actorLabel(ev.source)} → ${actorLabel(ev.target)}: ${ev.cameo_name || ev.cameo}`),
    el("dl", {}, rows));
  box.hidden = false;
}

function eventCard(ev, index, onPick) {
  return el("li", {
    class: `event-card q${ev.quad_class || 0}`,
    dataset: { index, cameo: ev.cameo },
    onclick: () => onPick(index),
  },
  el("div", {}, el("span", { class: "code" }, ev.cameo), " ", ev.cameo_name || ""),
  el("div", {}, actorLabel(ev.source), " → ", actorLabel(ev.target)),
  el("div", { class: "muted" }, `Goldstein ${fmtGoldstein(ev.goldstein)} · ${ev.date || "no date"}`,
    ev.negated ? " · negated" : "", ev.hypothetical ? " · hypothetical" : ""));
}

// ---------------------------------------------------------------------------------------
// View: code an article

const codeView = {
  section: null,
  enter() {},
  init() {
    const s = (this.section = $("#view-code"));
    $("#code-form").addEventListener("submit", (e) => {
      e.preventDefault();
      this.run();
    });
    $("#code-example").addEventListener("click", async () => {
      try {
        const res = await fetch("/assets/example.txt");
        $("#code-text").value = await res.text();
        $("#code-date").value = "2023-07-18";
      } catch (err) {
        showError(s, err);
      }
    });
  },
  async run() {
    const s = this.section;
    const text = $("#code-text").value;
    const date = $("#code-date").value;
    showError(s, null);
    $("#code-summary").textContent = "coding…";
    let coded;
    try {
      coded = await api("/api/code", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(date ? { text, date } : { text }),
      });
    } catch (err) {
      $("#code-summary").textContent = "";
      showError(s, err);
      return;
    }
    this.show(text, coded);
  },
  show(text, coded) {
    const toU = byteOffsets(text);
    const sentence = (i) => {
      const sn = coded.sentences[i];
      return sn ? text.slice(toU(sn.start), toU(sn.end)) : "";
    };
    const spans = [];
    coded.actors.forEach((a) => {
      for (const m of a.mentions) {
        spans.push({ start: m.start, end: m.end, kind: "actor", title: `${a.name} · ${a.code}` });
      }
    });
    coded.quotes.forEach((q) => {
      spans.push({ start: q.start, end: q.end, kind: "quote",
        title: `quote${q.speaker ? ` by ${q.speaker.name}` : ""}` });
    });
    coded.events.forEach((ev, i) => {
      spans.push({ start: ev.evidence.start, end: ev.evidence.end, kind: "event", ref: i,
        title: `${ev.cameo} ${ev.cameo_name || ""}` });
    });
    const doc = $("#code-doc");
    const list = $("#code-events");
    const pick = (i) => {
      explainEvent($("#code-explain"), coded.events[i], sentence(coded.events[i].sentence));
      markSelected(doc, list, i);
    };
    renderHighlighted(doc, text, spans, pick);
    list.replaceChildren(...coded.events.map((ev, i) => eventCard(ev, i, pick)));
    $("#code-explain").hidden = true;

    const tbody = $("#code-actors tbody");
    tbody.replaceChildren(...coded.actors.map((a) => el("tr", {},
      el("td", {}, a.name), el("td", { class: "mono" }, a.code), el("td", {}, a.kind || ""),
      el("td", {}, a.title || ""), el("td", { class: "num" }, a.mentions.length))));
    $("#code-quotes").replaceChildren(...coded.quotes.map((q) => el("li", {},
      q.direct ? `“${q.text}”` : q.text,
      el("span", { class: "muted" }, ` — ${q.speaker ? actorLabel(q.speaker) : "unattributed"}`,
        q.direct ? "" : " (indirect)"))));
    $("#code-summary").textContent =
      `${coded.events.length} events, ${coded.actors.length} actors, ${coded.quotes.length} quotes`;
    $("#code-result").hidden = false;
  },
};

// ---------------------------------------------------------------------------------------
// View: event explorer

const PAGE = 50;

const eventsView = {
  section: null,
  params: new URLSearchParams(),
  init() {
    this.section = $("#view-events");
    const form = $("#events-form");
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      location.hash = `#/events?${formParams(form)}`;
    });
    form.addEventListener("reset", () => setTimeout(() => { location.hash = "#/events"; }, 0));
    $("#events-prev").addEventListener("click", () => this.page(-1));
    $("#events-next").addEventListener("click", () => this.page(1));
  },
  page(dir) {
    const p = new URLSearchParams(this.params);
    const offset = Math.max(0, Number(p.get("offset") || 0) + dir * PAGE);
    if (offset) p.set("offset", String(offset));
    else p.delete("offset");
    location.hash = `#/events?${p}`;
  },
  async enter(params) {
    this.params = params;
    const form = $("#events-form");
    fillForm(form, params);
    const q = new URLSearchParams(params);
    q.set("limit", String(PAGE));
    const table = $("#events-table");
    table.dataset.ready = "0";
    showError(this.section, null);
    let page;
    try {
      page = await api(`/api/events?${q}`);
    } catch (err) {
      showError(this.section, err);
      $("#events-table tbody").replaceChildren();
      return;
    }
    const first = page.total ? page.offset + 1 : 0;
    const last = page.offset + page.events.length;
    $("#events-range").textContent = `${first}–${last} of ${page.total} events`;
    $("#events-prev").disabled = page.offset === 0;
    $("#events-next").disabled = last >= page.total;
    $("#events-table tbody").replaceChildren(...page.events.map((ev) => this.row(ev)));
    table.dataset.rows = String(page.events.length);
    table.dataset.total = String(page.total);
    table.dataset.ready = "1";
  },
  row(ev) {
    const m = ev.mention;
    const g = ev.goldstein;
    const evidence = el("td", { class: "evidence" });
    if (m) {
      evidence.append(
        el("div", {}, m.evidence.text),
        el("div", { class: "rule" }, el("code", {}, m.rule.file), " · ", m.rule.entry, " · ",
          el("a", { href: `#/article/${m.article_id}?event=${ev.event_id}` },
            m.title || m.article_key || m.article_name),
          m.outlet ? ` (${m.outlet})` : ""));
    }
    return el("tr", { dataset: { event: ev.event_id, source: ev.source ? ev.source.code : "",
      target: ev.target ? ev.target.code : "" } },
    el("td", {}, ev.date || ""),
    el("td", {}, actorLabel(ev.source)),
    el("td", {}, el("code", {}, ev.cameo), " ", ev.cameo_name || "",
      ev.negated ? " (negated)" : "", ev.hypothetical ? " (hypothetical)" : ""),
    el("td", {}, actorLabel(ev.target)),
    el("td", { class: `num ${g < 0 ? "neg" : g > 0 ? "pos" : ""}` }, fmtGoldstein(g)),
    el("td", {}, ev.place ? ev.place.name : ""),
    el("td", { class: "num" }, `${ev.num_mentions} / ${ev.num_articles} / ${ev.num_sources}`),
    evidence);
  },
};

// ---------------------------------------------------------------------------------------
// View: one stored article

const articleView = {
  section: null,
  init() {
    this.section = $("#view-article");
  },
  async enter(params, id) {
    showError(this.section, null);
    let a;
    try {
      a = await api(`/api/articles/${encodeURIComponent(id)}`);
    } catch (err) {
      showError(this.section, err);
      return;
    }
    const head = $("#article-head");
    head.replaceChildren(
      el("h2", {}, a.title || a.key || a.name),
      el("div", { class: "muted" }, [a.source, a.date, a.origin].filter(Boolean).join(" · "), " ",
        a.url ? el("a", { href: a.url, rel: "noreferrer noopener", target: "_blank" }, a.url) : ""));
    const toU = byteOffsets(a.text);
    const sentence = (i) => {
      const sn = a.sentences[i];
      return sn ? a.text.slice(toU(sn[0]), toU(sn[1])) : "";
    };
    // The stored mention has the codes and rule; shape it like the coder's event to explain it.
    const events = a.events.map((m) => ({
      source: { code: m.source_code, name: m.source_name },
      target: { code: m.target_code, name: m.target_name },
      cameo: m.cameo, cameo_name: m.cameo_name, sentence: m.sentence,
      evidence: m.evidence, rule: m.rule, event_id: m.event_id,
    }));
    const spans = [
      ...a.quotes.map((q) => ({ start: q.start, end: q.end, kind: "quote",
        title: `quote${q.speaker_name ? ` by ${q.speaker_name}` : ""}` })),
      ...events.map((ev, i) => ({ start: ev.evidence.start, end: ev.evidence.end, kind: "event",
        ref: i, title: `${ev.cameo} ${ev.cameo_name || ""}` })),
    ];
    const doc = $("#article-doc");
    const list = $("#article-events");
    const pick = (i) => {
      const ev = events[i];
      explainEvent($("#article-explain"), ev, sentence(ev.sentence));
      const link = el("p", {}, el("a", { href: `#/events?${new URLSearchParams({
        source: ev.source.code || "", target: ev.target.code || "", cameo: ev.cameo })}` },
      "Events with the same actors and code"));
      $("#article-explain").append(link);
      markSelected(doc, list, i);
    };
    renderHighlighted(doc, a.text, spans, pick);
    list.replaceChildren(...events.map((ev, i) => eventCard(ev, i, pick)));
    $("#article-explain").hidden = true;
    $("#article-quotes").replaceChildren(...a.quotes.map((q) => el("li", {},
      q.direct ? `“${q.text}”` : q.text,
      el("span", { class: "muted" }, ` — ${q.speaker_name || "unattributed"}`))));
    const wanted = params.get("event");
    const at = events.findIndex((ev) => String(ev.event_id) === wanted);
    if (at >= 0) pick(at);
  },
};

// ---------------------------------------------------------------------------------------
// View: time series

/**
 * The API returns only buckets that have events; a time series must show the quiet weeks as
 * zero, not close them up. Periods are the first day of their bucket (UTC dates).
 */
function fillGaps(points, bucket) {
  if (points.length < 2) return points;
  const byPeriod = new Map(points.map((p) => [p.period, p]));
  const next = (d) => {
    if (bucket === "month") d.setUTCMonth(d.getUTCMonth() + 1);
    else d.setUTCDate(d.getUTCDate() + (bucket === "week" ? 7 : 1));
  };
  const out = [];
  const end = points[points.length - 1].period;
  // A bound on the walk: twenty years of days.
  for (let d = new Date(`${points[0].period}T00:00:00Z`); out.length < 7400; next(d)) {
    const period = d.toISOString().slice(0, 10);
    out.push(byPeriod.get(period) || { period, events: 0, mentions: 0, goldstein_sum: 0 });
    if (period >= end) break;
  }
  return out;
}

const seriesView = {
  section: null,
  chart: null,
  init() {
    this.section = $("#view-series");
    const form = $("#series-form");
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      location.hash = `#/series?${formParams(form)}`;
    });
  },
  async enter(params) {
    const s = this.section;
    const box = $("#series-chart");
    box.dataset.ready = "0";
    fillForm($("#series-form"), params);
    showError(s, null);
    if (libsMissing(s, "charting")) return;
    let data;
    try {
      data = await api(`/api/series?${params}`);
    } catch (err) {
      showError(s, err);
      return;
    }
    const pts = fillGaps(data.points, data.bucket);
    const who = params.get("source") || params.get("target")
      ? `${params.get("source") || "any"} → ${params.get("target") || "any"}${params.get("either") ? " (either way)" : ""}`
      : params.get("actor") || "all actors";
    this.chart = this.chart || echarts.init(box);
    this.chart.setOption({
      title: { text: `Events per ${data.bucket}: ${who}`, left: 8, top: 4, textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      legend: { top: 6, left: "center" },
      grid: { left: 56, right: 56, top: 48, bottom: 64 },
      dataZoom: [{ type: "inside" }, { type: "slider", height: 18, bottom: 12 }],
      xAxis: { type: "category", data: pts.map((p) => p.period) },
      yAxis: [
        { type: "value", name: "events", minInterval: 1 },
        { type: "value", name: "mean Goldstein", min: -10, max: 10 },
      ],
      series: [
        { name: "events", type: "bar", data: pts.map((p) => p.events), itemStyle: { color: "#1f5fbf" } },
        { name: "mean Goldstein", type: "line", yAxisIndex: 1, symbolSize: 5,
          data: pts.map((p) => (p.events ? Math.round((p.goldstein_sum / p.events) * 100) / 100 : null)),
          itemStyle: { color: "#c0392b" } },
      ],
    }, true);
    if (!pts.length) showError(s, new Error("No events match these filters."));
    box.dataset.points = String(pts.length);
    box.dataset.ready = "1";
  },
  resize() {
    if (this.chart) this.chart.resize();
  },
};

// ---------------------------------------------------------------------------------------
// View: actor network

const networkView = {
  section: null,
  cy: null,
  init() {
    this.section = $("#view-network");
    const form = $("#network-form");
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      location.hash = `#/network?${formParams(form)}`;
    });
  },
  async enter(params) {
    const s = this.section;
    const box = $("#network-graph");
    box.dataset.ready = "0";
    fillForm($("#network-form"), params);
    showError(s, null);
    if (libsMissing(s, "network")) return;
    const q = new URLSearchParams(params);
    if (!q.get("limit")) q.set("limit", "80");
    let data;
    try {
      data = await api(`/api/dyads/top?${q}`);
    } catch (err) {
      showError(s, err);
      return;
    }
    const totals = new Map();
    for (const d of data.dyads) {
      totals.set(d.source_code, (totals.get(d.source_code) || 0) + d.events);
      totals.set(d.target_code, (totals.get(d.target_code) || 0) + d.events);
    }
    const maxNode = Math.max(1, ...totals.values());
    const maxEdge = Math.max(1, ...data.dyads.map((d) => d.events));
    const elements = [
      ...[...totals].map(([code, n]) => ({ data: { id: code, label: code, events: n,
        size: 18 + 42 * Math.sqrt(n / maxNode) } })),
      ...data.dyads.map((d, i) => ({ data: { id: `e${i}`, source: d.source_code, target: d.target_code,
        events: d.events, width: 1 + 9 * (d.events / maxEdge),
        color: goldsteinColor(d.goldstein_sum / d.events),
        label: `${d.events}` } })),
    ];
    if (this.cy) this.cy.destroy();
    this.cy = cytoscape({
      container: box,
      elements,
      wheelSensitivity: 0.3,
      layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 9000, idealEdgeLength: 110 },
      style: [
        { selector: "node", style: { label: "data(label)", width: "data(size)", height: "data(size)",
          "background-color": "#1f5fbf", color: "#1d2330", "font-size": 13, "font-weight": 600,
          "text-valign": "bottom", "text-halign": "center", "text-margin-y": 3,
          "text-outline-color": "#fff", "text-outline-width": 2 } },
        { selector: "edge", style: { width: "data(width)", "line-color": "data(color)",
          "target-arrow-color": "data(color)", "target-arrow-shape": "triangle",
          "curve-style": "bezier", opacity: 0.85 } },
      ],
    });
    this.cy.on("tap", "node", (e) => {
      location.hash = `#/events?${new URLSearchParams({ actor: e.target.id() })}`;
    });
    this.cy.on("tap", "edge", (e) => {
      const d = e.target.data();
      location.hash = `#/events?${new URLSearchParams({ source: d.source, target: d.target })}`;
    });
    if (!data.dyads.length) showError(s, new Error("No source→target pairs match these filters."));
    box.dataset.nodes = String(totals.size);
    box.dataset.edges = String(data.dyads.length);
    box.dataset.ready = "1";
  },
  resize() {
    if (this.cy) this.cy.resize();
  },
};

// ---------------------------------------------------------------------------------------
// View: map

const mapView = {
  section: null,
  chart: null,
  registered: false,
  init() {
    this.section = $("#view-map");
    const form = $("#map-form");
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      location.hash = `#/map?${formParams(form)}`;
    });
  },
  async enter(params) {
    const s = this.section;
    const box = $("#map-chart");
    box.dataset.ready = "0";
    fillForm($("#map-form"), params);
    showError(s, null);
    if (libsMissing(s, "map")) return;
    let data;
    try {
      if (!this.registered) {
        // world-atlas ships TopoJSON; ECharts draws GeoJSON.
        const world = await api("/assets/vendor/countries-110m.json");
        echarts.registerMap("world", topojson.feature(world, world.objects.countries));
        this.registered = true;
      }
      const q = new URLSearchParams(params);
      q.set("limit", "500");
      data = await api(`/api/places/top?${q}`);
    } catch (err) {
      showError(s, err);
      return;
    }
    const max = Math.max(1, ...data.places.map((p) => p.events));
    this.chart = this.chart || echarts.init(box);
    this.chart.setOption({
      tooltip: {
        trigger: "item",
        formatter: (it) => {
          if (!it.data || !it.data.place) return it.name || "";
          const p = it.data.place;
          const esc = (t) => String(t).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
          return `${esc(p.name)}${p.country ? ` (${esc(p.country)})` : ""}<br>${p.events} events · mean Goldstein ${fmtGoldstein(p.goldstein_sum / p.events)}`;
        },
      },
      geo: { map: "world", roam: true, itemStyle: { areaColor: "#eef0f4", borderColor: "#b8bfcc" },
        emphasis: { itemStyle: { areaColor: "#dfe4ec" }, label: { show: false } } },
      series: [{
        type: "scatter",
        coordinateSystem: "geo",
        data: data.places.map((p) => ({
          name: p.name,
          value: [p.lon, p.lat, p.events],
          place: p,
          symbolSize: 6 + 26 * Math.sqrt(p.events / max),
          itemStyle: { color: goldsteinColor(p.goldstein_sum / p.events), opacity: 0.8,
            borderColor: "#fff", borderWidth: 1 },
        })),
      }],
    }, true);
    this.chart.off("click");
    this.chart.on("click", (it) => {
      if (it.data && it.data.place) {
        location.hash = `#/events?${new URLSearchParams({ place: it.data.place.name })}`;
      }
    });
    if (!data.places.length) showError(s, new Error("No located events match these filters."));
    box.dataset.points = String(data.places.length);
    box.dataset.ready = "1";
  },
  resize() {
    if (this.chart) this.chart.resize();
  },
};

// ---------------------------------------------------------------------------------------
// Routing: #/view?filters, #/article/ID?event=ID

const VIEWS = { code: codeView, events: eventsView, article: articleView, series: seriesView,
  network: networkView, map: mapView };

function route() {
  const raw = location.hash.replace(/^#\/?/, "") || "code";
  const [path, query] = raw.split("?", 2);
  const [name, arg] = path.split("/", 2);
  const view = VIEWS[name] ? name : "code";
  for (const [n, v] of Object.entries(VIEWS)) v.section.hidden = n !== view;
  for (const a of document.querySelectorAll(".top nav a")) {
    a.classList.toggle("active", a.dataset.view === view || (view === "article" && a.dataset.view === "events"));
  }
  const v = VIEWS[view];
  Promise.resolve(v.enter(new URLSearchParams(query || ""), arg)).then(() => {
    if (v.resize) v.resize();
  });
}

async function loadStats() {
  try {
    const st = await api("/api/stats");
    $("#store-stats").textContent =
      `${st.events.toLocaleString()} events · ${st.articles.toLocaleString()} articles · ${st.mentions.toLocaleString()} mentions`;
  } catch (err) {
    $("#store-stats").textContent = `store unavailable: ${err.message}`;
  }
}

async function checkHealth() {
  try {
    const h = await api("/health");
    if (h.web_libraries_missing) {
      const n = $("#notice");
      n.textContent = `Charts, network and map are off in this build: ${h.web_libraries_missing}`;
      n.hidden = false;
    }
  } catch (_) {
    // loadStats reports an unreachable server.
  }
}

document.addEventListener("DOMContentLoaded", () => {
  for (const v of Object.values(VIEWS)) v.init();
  window.addEventListener("hashchange", route);
  window.addEventListener("resize", () => {
    for (const v of Object.values(VIEWS)) if (v.resize && !v.section.hidden) v.resize();
  });
  loadStats();
  checkHealth();
  route();
});

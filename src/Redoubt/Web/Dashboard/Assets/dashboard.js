// Redoubt's dashboard: one resource at a time, redrawn from the live feed (/api/live, server-sent events).
// Plain script, no build step; every text from the server goes in through textContent, never as HTML.
"use strict";

const state = {
  resources: new Map(),   // key -> view
  selected: null,
  lastMaster: new Map(),  // key -> master address last drawn
  knownFailovers: new Map(), // key -> Set of failover ids already drawn
  knownEvents: new Map(),
  restart: null,          // { key, mark } while a rolling restart asked from here is followed
  latencies: [],
};
window.redoubtDashboard = state;

const $ = (id) => document.getElementById(id);

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null) continue;
    if (name === "class") node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function clock(iso) {
  const d = new Date(iso);
  return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false }) +
    "." + String(d.getMilliseconds()).padStart(3, "0");
}

function bytes(n) {
  if (n === undefined || n === null) return "—";
  if (n < 1024) return n + " B";
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + " KiB";
  return (n / 1024 / 1024).toFixed(1) + " MiB";
}

function nodeNameOf(view, address) {
  if (!address) return null;
  const node = view.nodes.find((n) => n.address === address);
  return node ? node.name : address;
}

/**
 * The master as the page shows it: the status's (the node the Sentinels agree on) or, while they catch up after a
 * failover, the one node that answers as master. `agreed` says which.
 */
function masterOf(view) {
  if (view.master) return { address: view.master, agreed: true };
  const masters = view.nodes.filter((n) => n.role === "master");
  return masters.length === 1 ? { address: masters[0].address, agreed: false } : { address: null, agreed: false };
}

function healthClass(health) {
  if (health === "ok") return "ok";
  if (health.startsWith("down")) return "bad";
  return "other";
}

// ---- the live feed ----

function connect() {
  const live = $("live");
  const source = new EventSource("/api/live");
  source.addEventListener("open", () => setLive("live", "live"));
  source.addEventListener("error", () => setLive("lost", "reconnecting"));
  source.addEventListener("snapshot", (message) => {
    const snapshot = JSON.parse(message.data);
    state.resources = new Map(snapshot.resources.map((view) => [view.key, view]));
    render();
  });
  source.addEventListener("resource", (message) => {
    const view = JSON.parse(message.data);
    state.resources.set(view.key, view);
    if (view.key === selectedKey()) render();
    else renderPicker();
    if (view.changedAt) measure(view.changedAt);
  });
  source.addEventListener("removed", (message) => {
    state.resources.delete(JSON.parse(message.data).key);
    render();
  });
  function setLive(which, text) {
    live.dataset.state = which;
    live.querySelector("span").textContent = text;
  }
}

function measure(changedAt) {
  // Both clocks are this machine's: the dashboard is served on loopback by default.
  requestAnimationFrame(() => {
    const ms = Date.now() - Date.parse(changedAt);
    state.latencies.push(ms);
    $("latency").textContent = `last update drawn ${ms} ms after the status changed`;
  });
}

// ---- drawing ----

function selectedKey() {
  if (state.selected && state.resources.has(state.selected)) return state.selected;
  const fromHash = decodeURIComponent(location.hash.slice(1));
  if (state.resources.has(fromHash)) return (state.selected = fromHash);
  const first = [...state.resources.keys()].sort()[0];
  return (state.selected = first || null);
}

function render() {
  renderPicker();
  const key = selectedKey();
  const view = key ? state.resources.get(key) : null;
  $("empty").hidden = !!view;
  $("switchover").disabled = !view || $("switchover").classList.contains("busy");
  $("restart").disabled = !view || $("restart").classList.contains("busy");
  if (!view) {
    $("zones").replaceChildren();
    $("arrows").replaceChildren();
    return;
  }
  document.title = `${view.name} · Redoubt`;
  const phase = $("phase");
  phase.textContent = view.phase;
  phase.dataset.phase = view.phase;
  const master = masterOf(view);
  $("master-name").textContent = nodeNameOf(view, master.address) || "none";
  $("master-note").textContent = master.address && !master.agreed ? "promoted; Sentinels catching up" : "";
  $("version").textContent = view.redisVersion ? `Redis ${view.redisVersion} · ${view.masterName}` : "";
  $("endpoint").textContent = view.endpoint ? `endpoint ${view.endpoint}` : "";

  const promoted = noticeFailover(view);
  renderZones(view, promoted);
  renderConditions(view);
  renderTimeline(view);
  renderEvents(view);
  followRestart(view);
  requestAnimationFrame(() => drawArrows(view));
}

function renderPicker() {
  const picker = $("picker");
  const keys = [...state.resources.keys()].sort();
  const current = selectedKey();
  if (picker.options.length !== keys.length || keys.some((k, i) => picker.options[i].value !== k)) {
    picker.replaceChildren(...keys.map((k) => el("option", { value: k }, k)));
  }
  picker.value = current || "";
  picker.parentElement.hidden = keys.length < 2;
}

/** The master's name when it moved since the last drawing of this resource: that card is highlighted. */
function noticeFailover(view) {
  const master = masterOf(view).address;
  const before = state.lastMaster.get(view.key);
  if (master) state.lastMaster.set(view.key, master);
  if (before === undefined || !master || before === master) return state.promoted?.key === view.key ? state.promoted.name : null;
  const from = nodeNameOf(view, before) || before;
  const to = nodeNameOf(view, master);
  state.promoted = { key: view.key, name: to };
  const banner = $("banner");
  banner.textContent = `Failover: the master moved from ${from} to ${to}`;
  banner.hidden = false;
  clearTimeout(state.bannerTimer);
  state.bannerTimer = setTimeout(() => { banner.hidden = true; state.promoted = null; render(); }, 12000);
  return to;
}

function renderZones(view, promoted) {
  const zones = $("zones");
  zones.style.setProperty("--zones", Math.max(1, view.zones.length));
  zones.replaceChildren(...view.zones.map((zone) => {
    const nodes = view.nodes.filter((n) => n.zone === zone.name);
    const sentinels = view.sentinels.filter((s) => s.zone === zone.name);
    return el("div", { class: "zone", "data-zone": zone.name },
      el("h3", {}, zone.label, el("small", {}, zone.name)),
      nodes.map((n) => nodeCard(view, n, promoted)),
      el("div", { class: "sentinels" }, sentinels.map((s) => sentinelCard(view, s))));
  }));
}

function nodeCard(view, node, promoted) {
  const isMaster = node.role === "master";
  return el("div", {
      class: "node" + (isMaster && node.name === promoted ? " promoted" : ""),
      "data-node": node.name, "data-role": node.role, "data-address": node.address,
    },
    el("div", { class: "head" }, el("span", { class: "name" }, node.name), el("span", { class: "role" }, node.role)),
    el("div", { class: "detail" },
      el("span", {}, node.address || "no address"),
      node.pid ? el("span", {}, `pid ${node.pid}`) : null,
      isMaster ? el("span", {}, `offset ${node.replicationOffset}`) : el("span", {}, `lag ${bytes(node.lagBytes)}`)),
    el("div", { class: "health " + healthClass(node.health) }, node.health));
}

function sentinelCard(view, sentinel) {
  const sees = nodeNameOf(view, sentinel.monitoredMaster);
  return el("div", { class: "sentinel" + (sentinel.health.startsWith("down") ? " down" : ""), "data-sentinel": sentinel.name, title: sentinel.health },
    el("span", { class: "eye" }),
    el("span", {}, sentinel.name),
    el("span", { class: "sees" }, sees ? ["sees ", el("b", {}, sees)] : "sees no master"));
}

function drawArrows(view) {
  const svg = $("arrows");
  const box = svg.getBoundingClientRect();
  const card = (name) => document.querySelector(`.node[data-node="${CSS.escape(name)}"]`);
  const master = view.nodes.find((n) => n.role === "master");
  const ns = "http://www.w3.org/2000/svg";
  const parts = [];
  const defs = document.createElementNS(ns, "defs");
  defs.innerHTML = '<marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#4fd1c5"/></marker>';
  parts.push(defs);
  const from = master && card(master.name);
  if (from) {
    const a = from.getBoundingClientRect();
    for (const replica of view.nodes.filter((n) => n.role === "replica" && n.lagBytes !== undefined && n.lagBytes !== null)) {
      const to = card(replica.name);
      if (!to) continue;
      const b = to.getBoundingClientRect();
      // An arc under the cards, from the master's bottom edge to the replica's: farther replicas get deeper arcs, so
      // the arcs nest instead of crossing the cards.
      const dx = (b.left + b.width / 2) - (a.left + a.width / 2);
      const side = Math.sign(dx) || 1;
      const x1 = a.left + a.width / 2 - box.left + side * Math.min(60, a.width / 4), y1 = a.bottom - box.top;
      const x2 = b.left + b.width / 2 - box.left, y2 = b.bottom - box.top;
      const depth = 26 + Math.min(58, Math.abs(dx) * 0.07) + Math.max(0, Math.max(y1, y2) - Math.min(y1, y2)) * 0.3;
      const low = Math.max(y1, y2) + depth;
      const path = document.createElementNS(ns, "path");
      path.setAttribute("d", `M${x1},${y1} C${x1},${low} ${x2},${low} ${x2},${y2 + 3}`);
      path.setAttribute("marker-end", "url(#head)");
      path.setAttribute("data-replica", replica.name);
      if (replica.lagBytes > 0) path.classList.add("lagging");
      const label = document.createElementNS(ns, "text");
      label.setAttribute("x", (x1 + x2) / 2);
      // Just above the arc's lowest point, inside it, so the line never runs through the text.
      label.setAttribute("y", Math.max(y1, y2) + depth * 0.75 - 6);
      label.setAttribute("text-anchor", "middle");
      label.textContent = `lag ${bytes(replica.lagBytes)}`;
      parts.push(path, label);
    }
  }
  svg.replaceChildren(...parts);
}

function renderConditions(view) {
  $("conditions").replaceChildren(...view.conditions.map((c) =>
    el("li", { "data-status": c.status, "data-type": c.type, title: `${c.reason}: ${c.message}` },
      el("span", { class: "dot" }), el("span", { class: "type" }, c.type), el("span", { class: "msg" }, c.message || c.reason))));
}

function renderTimeline(view) {
  const known = state.knownFailovers.get(view.key);
  const ids = new Set();
  const items = view.failovers.map((f) => {
    const id = `${f.time}|${f.to}`;
    ids.add(id);
    return el("li", { class: "failover" + (known && !known.has(id) ? " fresh" : ""), "data-from": f.from, "data-to": f.to },
      el("div", { class: "move" }, f.from, " → ", el("span", { class: "to" }, f.to)),
      el("div", { class: "meta" }, `${clock(f.time)} · ${Math.round(f.durationMs)} ms · ${f.cause}`));
  });
  state.knownFailovers.set(view.key, ids);
  $("timeline").replaceChildren(...items);
  $("timeline-empty").hidden = items.length > 0;
}

function renderEvents(view) {
  const known = state.knownEvents.get(view.key);
  const ids = new Set();
  const rows = [...view.events].reverse().map((e) => {
    const id = `${e.time}|${e.reason}|${e.message}`;
    ids.add(id);
    return el("tr", { "data-type": e.type, class: known && !known.has(id) ? "fresh" : null },
      el("td", { class: "time" }, clock(e.time)), el("td", { class: "reason" }, e.reason), el("td", {}, e.message));
  });
  state.knownEvents.set(view.key, ids);
  $("events").tBodies[0].replaceChildren(...rows);
}

// ---- actions ----

function showAction(outcome, text) {
  const box = $("action-status");
  box.hidden = false;
  box.dataset.outcome = outcome;
  box.textContent = text;
}

async function act(button, path, running) {
  const view = state.resources.get(selectedKey());
  if (!view) return null;
  button.classList.add("busy");
  button.disabled = true;
  showAction("running", running(view));
  try {
    const response = await fetch(`/api/resources/${encodeURIComponent(view.namespace)}/${encodeURIComponent(view.name)}/${path}`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-Redoubt-Action": "dashboard" },
    });
    const body = await response.json().catch(() => ({ message: `HTTP ${response.status}` }));
    return { ok: response.ok, body, view };
  } catch (error) {
    return { ok: false, body: { message: String(error) }, view };
  } finally {
    button.classList.remove("busy");
    button.disabled = false;
  }
}

$("switchover").addEventListener("click", async (event) => {
  const result = await act(event.currentTarget, "switchover", (v) => `Switching over ${v.name}: promoting the most caught-up replica…`);
  if (!result) return;
  if (result.ok && result.body.succeeded) {
    showAction("ok", `Switchover done: ${result.body.from} → ${result.body.to}, writes paused ${Math.round(result.body.writePauseMs)} ms`);
  } else {
    showAction("failed", `Switchover failed: ${result.body.message}`);
  }
});

$("restart").addEventListener("click", async (event) => {
  const result = await act(event.currentTarget, "restart", (v) => `Asking for a rolling restart of ${v.name}…`);
  if (!result) return;
  if (result.ok) {
    state.restart = { key: result.view.key, mark: result.body.requested, seenPending: false };
    showAction("running", `Rolling restart requested at ${result.body.requested}: Sentinels, then replicas, then the master after a switchover…`);
    render();
  } else {
    showAction("failed", `Rolling restart not started: ${result.body.message}`);
  }
});

/** Follows a rolling restart asked from this page through the UpToDate condition until every node has restarted. */
function followRestart(view) {
  const restart = state.restart;
  if (!restart || restart.key !== view.key) return;
  const upToDate = view.conditions.find((c) => c.type === "UpToDate");
  if (!upToDate) return;
  if (upToDate.status !== "True") {
    restart.seenPending = true;
    showAction("running", `Rolling restart in progress: ${upToDate.message || upToDate.reason}`);
  } else if (restart.seenPending || Date.parse(upToDate.lastTransitionTime) >= Date.parse(restart.mark)) {
    state.restart = null;
    showAction("ok", `Rolling restart done: every node restarted; master ${nodeNameOf(view, view.master)}`);
  }
}

$("picker").addEventListener("change", (event) => {
  state.selected = event.target.value;
  history.replaceState(null, "", "#" + encodeURIComponent(state.selected));
  render();
});

window.addEventListener("resize", () => {
  const view = state.resources.get(selectedKey());
  if (view) drawArrows(view);
});

connect();

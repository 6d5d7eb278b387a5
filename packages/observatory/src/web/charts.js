// The observatory's charts, drawn as inline SVG from the view data (see view-data.ts). One source
// for propagation.html and the live dashboard: the page embeds this file as it is.
(() => {
  const SVG = "http://www.w3.org/2000/svg";
  const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"];
  const MARGIN = { left: 56, right: 16, top: 16, bottom: 40 };

  function el(name, attrs, parent) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
    if (parent) parent.appendChild(node);
    return node;
  }

  function text(parent, x, y, content, attrs = {}) {
    const node = el("text", { x, y, "font-size": 12, fill: "#222", ...attrs }, parent);
    node.textContent = content;
    return node;
  }

  function clear(svg, width, height) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("width", String(width));
    svg.setAttribute("height", String(height));
  }

  function niceMax(value) {
    if (!(value > 0)) return 1;
    const step = 10 ** Math.floor(Math.log10(value));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= value) return m * step;
    return 10 * step;
  }

  function axes(svg, width, height, xMax, yMax, xLabel, yLabel, yFormat) {
    const w = width - MARGIN.left - MARGIN.right;
    const h = height - MARGIN.top - MARGIN.bottom;
    const g = el("g", { class: "axes" }, svg);
    el(
      "line",
      {
        x1: MARGIN.left,
        y1: MARGIN.top + h,
        x2: MARGIN.left + w,
        y2: MARGIN.top + h,
        stroke: "#444",
      },
      g,
    );
    el(
      "line",
      { x1: MARGIN.left, y1: MARGIN.top, x2: MARGIN.left, y2: MARGIN.top + h, stroke: "#444" },
      g,
    );
    for (let i = 0; i <= 5; i++) {
      const x = MARGIN.left + (w * i) / 5;
      const y = MARGIN.top + h - (h * i) / 5;
      el("line", { x1: x, y1: MARGIN.top + h, x2: x, y2: MARGIN.top + h + 4, stroke: "#444" }, g);
      text(g, x, MARGIN.top + h + 16, String(Math.round((xMax * i) / 5)), {
        "text-anchor": "middle",
        "font-size": 11,
      });
      el("line", { x1: MARGIN.left, y1: y, x2: MARGIN.left + w, y2: y, stroke: "#eee" }, g);
      text(g, MARGIN.left - 6, y + 4, yFormat((yMax * i) / 5), {
        "text-anchor": "end",
        "font-size": 11,
      });
    }
    text(g, MARGIN.left + w / 2, height - 6, xLabel, { "text-anchor": "middle" });
    const yl = text(g, 14, MARGIN.top + h / 2, yLabel, { "text-anchor": "middle" });
    yl.setAttribute("transform", `rotate(-90 14 ${MARGIN.top + h / 2})`);
    return {
      x: (v) => MARGIN.left + (w * v) / xMax,
      y: (v) => MARGIN.top + h - (h * v) / yMax,
      w,
      h,
    };
  }

  function legend(svg, x, y, entries) {
    const g = el("g", { class: "legend" }, svg);
    entries.forEach((entry, i) => {
      el("rect", { x, y: y + i * 18, width: 12, height: 12, fill: entry.color }, g);
      text(g, x + 18, y + i * 18 + 10, entry.label);
    });
  }

  function message(svg, width, height, content) {
    clear(svg, width, height);
    text(svg, width / 2, height / 2, content, {
      "text-anchor": "middle",
      fill: "#777",
      class: "empty",
    });
  }

  /** Delay CDF: one step line per block size class, one for transactions. */
  function drawCdf(svg, data) {
    const width = 640;
    const height = 320;
    const series = [];
    for (const cls of data.sizeClasses) {
      const delays = [];
      for (const b of data.blocks) {
        if (!b.settled || b.sizeClass !== cls.id) continue;
        for (const [node, d] of Object.entries(b.delaysMs)) if (node !== b.origin) delays.push(d);
      }
      series.push({ id: `blocks-${cls.id}`, label: `blocks ${cls.label}`, delays });
    }
    series.push({ id: "txs", label: "transactions", delays: data.txDelaysMs.slice() });
    const present = series.filter((s) => s.delays.length > 0);
    if (present.length === 0) return message(svg, width, height, "no settled deliveries yet");
    clear(svg, width, height);
    let max = 0;
    for (const s of present) for (const d of s.delays) max = Math.max(max, d);
    const xMax = niceMax(max);
    const scale = axes(
      svg,
      width,
      height,
      xMax,
      1,
      "delay after origin (ms)",
      "share of deliveries",
      (v) => `${Math.round(v * 100)}%`,
    );
    const entries = [];
    present.forEach((s) => {
      const color = COLORS[series.indexOf(s) % COLORS.length];
      const sorted = s.delays.slice().sort((a, b) => a - b);
      let d = `M${scale.x(0)},${scale.y(0)}`;
      sorted.forEach((v, k) => {
        const x = scale.x(Math.max(0, v));
        d += ` H${x} V${scale.y((k + 1) / sorted.length)}`;
      });
      d += ` H${scale.x(xMax)}`;
      el(
        "path",
        {
          d,
          fill: "none",
          stroke: color,
          "stroke-width": 2,
          "data-series": s.id,
          "data-points": sorted.length,
        },
        svg,
      );
      entries.push({ color, label: `${s.label} (n=${sorted.length})` });
    });
    legend(
      svg,
      MARGIN.left + scale.w - 190,
      MARGIN.top + scale.h - entries.length * 18 - 8,
      entries,
    );
  }

  /** Arrival timeline of one block: one row per node, a dot at its delay after the origin. */
  function drawTimeline(svg, data, block) {
    const width = 640;
    if (!block) return message(svg, width, 200, "no block selected");
    const rows = Object.entries(block.delaysMs).sort((a, b) => a[1] - b[1]);
    const missing = data.nodes.map((n) => n.name).filter((n) => block.delaysMs[n] === undefined);
    // Rows start below a one-line legend; labels right of the dots need room on the right.
    const top = MARGIN.top + 24;
    const height = top + MARGIN.bottom + 22 * (rows.length + missing.length) + 10;
    clear(svg, width, height);
    const xMax = niceMax(Math.max(1, ...rows.map((r) => r[1])));
    const left = MARGIN.left + 60;
    const w = width - left - 230;
    const x = (v) => left + (w * Math.max(0, v)) / xMax;
    const bottom = height - MARGIN.bottom;
    el("line", { x1: left, y1: bottom, x2: left + w, y2: bottom, stroke: "#444" }, svg);
    for (let i = 0; i <= 5; i++) {
      const xv = left + (w * i) / 5;
      el("line", { x1: xv, y1: top, x2: xv, y2: bottom, stroke: "#eee" }, svg);
      text(svg, xv, bottom + 16, String(Math.round((xMax * i) / 5)), {
        "text-anchor": "middle",
        "font-size": 11,
      });
    }
    text(svg, left + w / 2, height - 6, "first sight after the origin (ms)", {
      "text-anchor": "middle",
    });
    rows.forEach(([node, delay], i) => {
      const y = top + 11 + i * 22;
      const via = block.via[node] || "";
      const hops = block.hops[node];
      const checked = block.validationMs[node];
      const validation = checked === null || checked === undefined ? "" : ` · valid. ${checked} ms`;
      text(svg, left - 6, y + 4, node, { "text-anchor": "end" });
      el(
        "line",
        { x1: x(0), y1: y, x2: x(delay), y2: y, stroke: "#9ecae1", "stroke-width": 6 },
        svg,
      );
      const color = node === block.origin ? "#d62728" : via === "gossip" ? "#1f77b4" : "#ff7f0e";
      el(
        "circle",
        { cx: x(delay), cy: y, r: 5, fill: color, "data-node": node, "data-delay": delay },
        svg,
      );
      const label =
        node === block.origin
          ? "origin"
          : `${Math.round(delay)} ms · ${via}${hops === undefined ? "" : ` · ${hops} hop${hops === 1 ? "" : "s"}`}${validation}`;
      text(svg, x(delay) + 9, y + 4, label, { "font-size": 11, fill: "#555" });
    });
    missing.forEach((node, i) => {
      const y = top + 11 + (rows.length + i) * 22;
      text(svg, left - 6, y + 4, node, { "text-anchor": "end", fill: "#999" });
      text(svg, left + 4, y + 4, "not reached", { fill: "#999", "font-size": 11 });
    });
    const kinds = [
      { color: "#d62728", label: "origin" },
      { color: "#1f77b4", label: "first came by gossip" },
      { color: "#ff7f0e", label: "first came by sync" },
    ];
    kinds.forEach((entry, i) => {
      legend(svg, left + i * 150, MARGIN.top - 4, [entry]);
    });
  }

  /** The block's propagation tree: a column per hop depth, an edge from each node's parent. */
  function drawTree(svg, block) {
    const width = 640;
    if (!block) return message(svg, width, 200, "no block selected");
    const columns = new Map();
    for (const node of Object.keys(block.delaysMs)) {
      const depth = block.hops[node];
      const key = depth === undefined ? "?" : depth;
      if (!columns.has(key)) columns.set(key, []);
      columns.get(key).push(node);
    }
    const keys = [...columns.keys()].sort((a, b) => (a === "?" ? 1 : b === "?" ? -1 : a - b));
    const tallest = Math.max(1, ...[...columns.values()].map((c) => c.length));
    const height = Math.max(200, 60 + tallest * 48);
    clear(svg, width, height);
    const pos = new Map();
    const colWidth = (width - 80) / Math.max(1, keys.length);
    keys.forEach((key, i) => {
      const cx = 40 + colWidth * (i + 0.5);
      text(svg, cx, 18, key === "?" ? "path unknown" : `hop ${key}`, {
        "text-anchor": "middle",
        "font-weight": "bold",
      });
      const nodes = columns.get(key).sort((a, b) => block.delaysMs[a] - block.delaysMs[b]);
      nodes.forEach((node, j) => {
        pos.set(node, { x: cx, y: 40 + ((height - 50) * (j + 0.5)) / nodes.length });
      });
    });
    for (const [node, parent] of Object.entries(block.parents)) {
      if (parent === null || !pos.has(parent) || !pos.has(node)) continue;
      const a = pos.get(parent);
      const b = pos.get(node);
      const mx = (a.x + b.x) / 2;
      el(
        "path",
        {
          d: `M${a.x},${a.y} C${mx},${a.y} ${mx},${b.y} ${b.x},${b.y}`,
          fill: "none",
          stroke: "#888",
          "stroke-width": 1.5,
          "data-edge": `${parent}->${node}`,
        },
        svg,
      );
    }
    for (const [node, p] of pos) {
      const color =
        node === block.origin ? "#d62728" : block.hops[node] === undefined ? "#bbb" : "#1f77b4";
      el(
        "circle",
        {
          cx: p.x,
          cy: p.y,
          r: 9,
          fill: color,
          "data-node": node,
          "data-hops": block.hops[node] ?? "",
        },
        svg,
      );
      text(svg, p.x, p.y + 22, `${node} (+${Math.round(block.delaysMs[node])} ms)`, {
        "text-anchor": "middle",
        "font-size": 11,
      });
    }
  }

  /** Who is connected to whom among the observed nodes, on a circle. */
  function drawTopology(svg, data) {
    const count = data.nodes.length;
    // The circle grows with the node count so that neighbouring labels do not overlap.
    const radius = Math.max(150, count * 13);
    const width = Math.max(640, 2 * radius + 220);
    const height = 2 * radius + 110;
    if (count === 0) return message(svg, width, 420, "no nodes");
    clear(svg, width, height);
    const cx = width / 2;
    const cy = height / 2 + 10;
    const pos = new Map();
    data.nodes.forEach((n, i) => {
      const angle = (2 * Math.PI * i) / count - Math.PI / 2;
      pos.set(n.name, {
        angle,
        x: cx + radius * Math.cos(angle),
        y: cy + radius * Math.sin(angle),
      });
    });
    for (const edge of data.topology.edges) {
      const a = pos.get(edge.from);
      const b = pos.get(edge.to);
      if (!a || !b) continue;
      el(
        "line",
        {
          x1: a.x,
          y1: a.y,
          x2: b.x,
          y2: b.y,
          stroke: "#888",
          "stroke-width": 1.5,
          "data-edge": `${edge.from}->${edge.to}`,
        },
        svg,
      );
    }
    for (const n of data.nodes) {
      const p = pos.get(n.name);
      const circle = el(
        "circle",
        {
          cx: p.x,
          cy: p.y,
          r: 10,
          fill: n.reachable ? "#2ca02c" : "#bbb",
          stroke: "#fff",
          "data-node": n.name,
        },
        svg,
      );
      const outside = n.externalPeers > 0 ? ` +${n.externalPeers} ext` : "";
      el("title", {}, circle).textContent = `${n.name}: ${n.peers} peers${outside}`;
      // Labels sit outside the circle, on the node's own ray.
      const lx = cx + (radius + 18) * Math.cos(p.angle);
      const ly = cy + (radius + 18) * Math.sin(p.angle);
      const cos = Math.cos(p.angle);
      const anchor = cos > 0.3 ? "start" : cos < -0.3 ? "end" : "middle";
      const dy = Math.sin(p.angle) > 0.3 ? 10 : Math.sin(p.angle) < -0.3 ? -2 : 4;
      text(svg, lx, ly + dy, `${n.name} (${n.peers}${outside})`, {
        "text-anchor": anchor,
        "font-size": 11,
      });
    }
    legend(svg, 10, 10, [
      { color: "#2ca02c", label: "reachable" },
      { color: "#bbb", label: "unreachable" },
    ]);
    text(svg, 10, 56, "(n) = peers", { "font-size": 11, fill: "#555" });
  }

  function cell(row, content) {
    const td = document.createElement("td");
    td.textContent = content;
    row.appendChild(td);
  }

  function drawNodeTable(table, data) {
    while (table.rows.length > 1) table.deleteRow(1);
    for (const n of data.nodes) {
      const row = table.insertRow();
      row.setAttribute("data-node", n.name);
      cell(row, n.name);
      cell(row, n.reachable ? "up" : `down${n.lastError ? `: ${n.lastError}` : ""}`);
      cell(row, n.height === null ? "–" : String(n.height));
      cell(row, String(n.peers));
      cell(
        row,
        n.mempoolSize === null
          ? "–"
          : `${n.mempoolSize} tx / ${(n.mempoolBytes / 1000).toFixed(1)} kB`,
      );
      cell(row, n.duplicates === null ? "–" : `${n.duplicates.block} / ${n.duplicates.tx}`);
    }
  }

  function fmt(value, unit) {
    return value === null || value === undefined ? "–" : `${Math.round(value * 100) / 100}${unit}`;
  }

  function drawSummary(root, data) {
    const s = data.summary;
    const line = (k) =>
      `${k.count} · coverage ${k.coverage === null ? "–" : `${(k.coverage * 100).toFixed(1)}%`} · p50 ${fmt(k.p50Ms, " ms")} · p90 ${fmt(k.p90Ms, " ms")} · p99 ${fmt(k.p99Ms, " ms")} · max ${fmt(k.maxMs, " ms")} · hops mean ${fmt(k.meanHops, "")} max ${fmt(k.maxHops, "")}`;
    root.querySelector("#summary-blocks").textContent = line(s.blocks);
    root.querySelector("#summary-txs").textContent = line(s.txs);
    root.querySelector("#summary-chain").textContent =
      `orphan rate ${(s.orphanRate * 100).toFixed(1)}% · reorgs ${s.reorgs} · observed ${data.durationS.toFixed(0)} s`;
  }

  function fillBlockSelect(select, data) {
    const previous = select.value;
    while (select.options.length > 0) select.remove(0);
    for (const b of data.blocks.slice().reverse()) {
      const option = document.createElement("option");
      option.value = b.hash;
      option.textContent = `#${b.height === null ? "?" : b.height} ${b.hash.slice(0, 12)}… from ${b.origin} · ${(b.bytes / 1000).toFixed(1)} kB · ${(b.coverage * 100).toFixed(0)}%`;
      select.appendChild(option);
    }
    if (previous && data.blocks.some((b) => b.hash === previous)) select.value = previous;
  }

  function render(root, data) {
    drawSummary(root, data);
    drawCdf(root.querySelector("#cdf"), data);
    const select = root.querySelector("#block-select");
    fillBlockSelect(select, data);
    const block = data.blocks.find((b) => b.hash === select.value);
    drawTimeline(root.querySelector("#timeline"), data, block);
    drawTree(root.querySelector("#tree"), block);
    drawTopology(root.querySelector("#topology"), data);
    drawNodeTable(root.querySelector("#nodes"), data);
    if (!select.dataset.wired) {
      select.dataset.wired = "1";
      select.addEventListener("change", () => render(root, window.StarlingObservatory.data));
    }
  }

  window.StarlingObservatory = { data: null, render };
})();

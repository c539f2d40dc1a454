// The command centre's charts, drawn as SVG at the size of their frame: the epidemic curve, the county
// map and the transmission chain's shapes. Three small drawings need no chart library: the page stays
// light on a phone (nothing to download or evaluate before the first chart), labels are SVG text in
// the DOM (screen readers, browser tests), and every chart has its data as a table next to it.
// A chart is drawn when it comes near the screen, and again when its frame changes size.
window.fkCharts = (function () {
  const NS = 'http://www.w3.org/2000/svg';

  // An SVG element with its attributes, appended to parent when given.
  function el(tag, attrs, parent) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) { if (v !== undefined && v !== null) { e.setAttribute(k, String(v)); } }
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function text(parent, x, y, content, attrs) {
    const t = el('text', Object.assign({ x, y }, attrs || {}), parent);
    t.textContent = content;
    return t;
  }

  function title(parent, content) { const t = el('title', {}, parent); t.textContent = content; return t; }

  // A fresh SVG filling the frame; returns it with the frame's size in pixels.
  function canvas(frame) {
    frame.querySelectorAll(':scope > svg').forEach(s => s.remove());
    const w = Math.max(120, frame.clientWidth), h = Math.max(120, frame.clientHeight);
    const svg = el('svg', { width: w, height: h, viewBox: `0 0 ${w} ${h}`, 'aria-hidden': 'true', focusable: 'false' });
    frame.appendChild(svg);
    return { svg, w, h };
  }

  // A round step for an axis from 0 to max with about `ticks` ticks.
  function niceStep(max, ticks) {
    const raw = Math.max(1, max / ticks), p = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / p;
    return Math.max(1, (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p);
  }

  // Cases by onset day (bars) and by report day (a line), with a legend and axes.
  function curve(frame, points, labels, opts) {
    const { svg, w, h } = canvas(frame);
    const size = opts.fontSize;
    const left = size * 3.4, right = 12, top = size * 2.6, bottom = size * 2.2;
    const pw = w - left - right, ph = h - top - bottom;
    const max = Math.max(1, ...points.map(p => Math.max(p.onset, p.report)));
    const step = niceStep(max, 5), ceil = Math.ceil(max / step) * step;
    const y = v => top + ph - (v / ceil) * ph;
    const axis = el('g', { class: 'axis', 'font-size': size, fill: '#52606d' }, svg);
    for (let v = 0; v <= ceil; v += step) {
      el('line', { x1: left, x2: left + pw, y1: y(v), y2: y(v), stroke: v === 0 ? '#9aa5b1' : '#e4e7eb' }, axis);
      text(axis, left - 6, y(v) + size * 0.35, String(v), { 'text-anchor': 'end' });
    }
    const band = pw / Math.max(1, points.length);
    const every = Math.max(1, Math.ceil(points.length / Math.max(1, Math.floor(pw / (size * 3.6)))));
    points.forEach((p, i) => {
      if (i % every === 0) { text(axis, left + band * (i + 0.5), top + ph + size * 1.4, p.date.slice(5), { 'text-anchor': 'middle' }); }
    });
    const bars = el('g', { fill: '#5470c6' }, svg);
    points.forEach((p, i) => {
      if (p.onset <= 0) { return; }
      const r = el('rect', { x: left + band * i + band * 0.2, y: y(p.onset), width: Math.max(1, band * 0.6), height: top + ph - y(p.onset) }, bars);
      title(r, `${p.date} ${labels.onset}: ${p.onset}`);
    });
    const line = el('g', { stroke: '#e07a1f', fill: '#e07a1f' }, svg);
    el('polyline', { points: points.map((p, i) => `${left + band * (i + 0.5)},${y(p.report)}`).join(' '), fill: 'none', 'stroke-width': 2 }, line);
    points.forEach((p, i) => {
      const c = el('circle', { cx: left + band * (i + 0.5), cy: y(p.report), r: Math.min(4, Math.max(2, band / 5)) }, line);
      title(c, `${p.date} ${labels.report}: ${p.report}`);
    });
    const legend = el('g', { 'font-size': size, fill: '#1f2933' }, svg);
    const ly = size * 1.1;
    el('rect', { x: left, y: ly - size * 0.8, width: size * 1.6, height: size * 0.9, fill: '#5470c6' }, legend);
    const t1 = text(legend, left + size * 2, ly, labels.onset);
    const x2 = left + size * 2 + t1.getComputedTextLength() + size * 1.5;
    el('line', { x1: x2, x2: x2 + size * 1.6, y1: ly - size * 0.35, y2: ly - size * 0.35, stroke: '#e07a1f', 'stroke-width': 2 }, legend);
    text(legend, x2 + size * 2, ly, labels.report);
    if (points.length === 0) { text(svg, w / 2, h / 2, labels.none, { 'text-anchor': 'middle', 'font-size': size, fill: '#52606d' }); }
    return svg;
  }

  // Every ring of a GeoJSON polygon or multipolygon.
  function rings(geometry) {
    return geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
  }

  // A choropleth of the counties: each county filled by its count, a link to its list, its name at its
  // label point unless it would overlap a name already placed (the larger counts are placed first).
  function choropleth(frame, geo, values, opts) {
    const { svg, w, h } = canvas(frame);
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    geo.features.forEach(f => rings(f.geometry).forEach(r => r.forEach(([x, y]) => {
      minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
    })));
    // Longitude shrunk by the cosine of the middle latitude, so that the shapes keep their proportions.
    const kx = Math.cos(((minY + maxY) / 2) * Math.PI / 180), pad = 8, legendW = opts.fontSize * 3;
    const scale = Math.min((w - 2 * pad - legendW) / ((maxX - minX) * kx), (h - 2 * pad) / (maxY - minY));
    const ox = legendW + pad + ((w - 2 * pad - legendW) - (maxX - minX) * kx * scale) / 2, oy = pad + ((h - 2 * pad) - (maxY - minY) * scale) / 2;
    const project = ([x, y]) => [ox + (x - minX) * kx * scale, oy + (maxY - y) * scale];
    const max = Math.max(1, ...geo.features.map(f => values[f.id] || 0));
    const colour = v => {
      // White to salmon to red as the count rises.
      const stops = [[244, 247, 251], [242, 184, 160], [192, 57, 43]], t = Math.min(1, v / max) * 2, i = Math.min(1, Math.floor(t)), f = t - i;
      return 'rgb(' + [0, 1, 2].map(c => Math.round(stops[i][c] + (stops[i + 1][c] - stops[i][c]) * f)).join(',') + ')';
    };
    const shapes = el('g', { stroke: '#7b8794', 'stroke-width': 0.8 }, svg);
    const labels = [];
    geo.features.forEach(f => {
      const v = values[f.id] || 0;
      const d = rings(f.geometry).map(r => 'M' + r.map(p => project(p).map(n => n.toFixed(1)).join(',')).join('L') + 'Z').join('');
      // A click opens the county's list; keyboards reach the same lists through the table beside the map.
      const shape = el('path', { d, fill: colour(v), 'data-code': f.id, class: 'clickable' }, shapes);
      shape.addEventListener('click', () => { window.location.href = opts.link + encodeURIComponent(f.id); });
      title(shape, `${f.properties.name}: ${v}`);
      const [lx, ly] = project(f.properties.cp || f.properties.center || [(minX + maxX) / 2, (minY + maxY) / 2]);
      labels.push({ name: f.properties.name, v, x: lx, y: ly });
    });
    const names = el('g', { 'font-size': opts.fontSize, fill: '#1f2933', 'text-anchor': 'middle', 'pointer-events': 'none' }, svg);
    const placed = [];
    labels.sort((a, b) => b.v - a.v).forEach(l => {
      const t = text(names, l.x, l.y + opts.fontSize * 0.35, l.name);
      const b = t.getBBox(), m = 1;
      if (placed.some(p => b.x < p.x + p.width + m && p.x < b.x + b.width + m && b.y < p.y + p.height + m && p.y < b.y + b.height + m)) { t.remove(); return; }
      placed.push(b);
    });
    // The scale: 0 at the bottom, the largest count at the top.
    const grad = el('linearGradient', { id: frame.id + '-scale', x1: 0, y1: 1, x2: 0, y2: 0 }, el('defs', {}, svg));
    [0, 0.5, 1].forEach(o => el('stop', { offset: o, 'stop-color': colour(o * max) }, grad));
    const sy = h - pad - opts.fontSize * 8, sh = opts.fontSize * 6;
    el('rect', { x: pad, y: sy, width: opts.fontSize, height: sh, fill: `url(#${frame.id}-scale)`, stroke: '#9aa5b1' }, svg);
    text(svg, pad, sy - 4, String(max), { 'font-size': opts.fontSize, fill: '#52606d' });
    text(svg, pad, sy + sh + opts.fontSize + 2, '0', { 'font-size': opts.fontSize, fill: '#52606d' });
    return svg;
  }

  // Draws now if the frame is near the screen, or once it comes near; and again after a resize.
  function whenVisible(frame, draw) {
    const go = () => {
      draw();
      frame.dataset.rendered = 'true';
      let last = frame.clientWidth + 'x' + frame.clientHeight;
      if ('ResizeObserver' in window) {
        new ResizeObserver(() => {
          const now = frame.clientWidth + 'x' + frame.clientHeight;
          if (now !== last) { last = now; draw(); }
        }).observe(frame);
      }
    };
    if (!('IntersectionObserver' in window)) { go(); return; }
    const seen = new IntersectionObserver(entries => {
      if (entries.some(e => e.isIntersecting)) { seen.disconnect(); go(); }
    }, { rootMargin: '100px' });
    seen.observe(frame);
  }

  return { el, text, title, canvas, curve, choropleth, whenVisible };
})();

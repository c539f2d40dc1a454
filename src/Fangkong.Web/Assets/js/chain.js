// The transmission chain of a case: case → case links first (the case it was traced from, this case,
// the cases traced from it), each labelled with its report day; the contacts as one count per tier,
// which a click expands into its first members (and a second click folds). Positions are laid out
// here on a fixed plan and fitted to the frame; sizes and text stay in pixels (js/charts.js draws).
(function () {
  const data = JSON.parse(document.getElementById('chain-data').textContent);
  const frame = document.getElementById('chain');
  const { el, text, title, canvas } = fkCharts;
  const expanded = new Set();
  const red = '#b42318', grey = '#9aa5b1';

  function plan() {
    const nodes = [], links = [];
    const onwardCount = data.onward.length + (data.onwardMore > 0 ? 1 : 0);
    nodes.push({ id: data.self.key, name: data.self.label, x: 300, y: 100, r: 17, fill: red });
    if (data.source) {
      nodes.push({ id: data.source.key, name: data.source.label, x: 60, y: 100, r: 13, fill: red, href: '/cases/' + encodeURIComponent(data.source.key) });
      links.push({ from: data.source.key, to: data.self.key, width: 3, colour: red });
    }
    data.onward.forEach((c, i) => {
      const y = onwardCount <= 1 ? 100 : 20 + i * (160 / Math.max(1, onwardCount - 1));
      nodes.push({ id: c.key, name: c.label, x: 560, y, r: 11, fill: red, href: '/cases/' + encodeURIComponent(c.key) });
      links.push({ from: data.self.key, to: c.key, width: 3, colour: red });
    });
    if (data.onwardMore > 0) {
      nodes.push({ id: 'more', name: data.labels.more.replace('{0}', data.onwardMore), x: 560, y: 180, r: 7, fill: grey });
      links.push({ from: data.self.key, to: 'more' });
    }
    data.tiers.forEach((t, i) => {
      const id = 'tier-' + t.tier, x = 200 + i * 200, y = 230;
      const open = expanded.has(t.tier);
      nodes.push({ id, name: t.label + (t.members.length > 0 ? (open ? ' ▴' : ' ▾') : ''), x, y, box: true, fill: i === 0 ? '#f2b8a0' : '#f6dcc8', tier: t.members.length > 0 ? t.tier : null });
      links.push({ from: i === 0 ? data.self.key : 'tier-close', to: id, dashed: true });
      if (open) {
        t.members.forEach((m, j) => {
          const col = j % 8, row = Math.floor(j / 8);
          nodes.push({ id: t.tier + ':' + m.key, name: m.key, x: x - 140 + col * 40, y: y + 50 + row * 28, r: 4, fill: '#52606d', small: true, href: '/control/' + encodeURIComponent(m.key) });
          links.push({ from: id, to: t.tier + ':' + m.key, faint: true });
        });
      }
    });
    return { nodes, links };
  }

  function draw() {
    const { svg, w, h } = canvas(frame);
    const { nodes, links } = plan();
    // The plan's extent fitted into the frame, leaving room for the labels around it.
    const xs = nodes.map(n => n.x), ys = nodes.map(n => n.y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const left = 90, right = 90, top = 24, bottom = 40;
    const px = x => x1 === x0 ? w / 2 : left + (x - x0) / (x1 - x0) * (w - left - right);
    const py = y => y1 === y0 ? h / 2 : top + (y - y0) / (y1 - y0) * (h - top - bottom);
    const at = Object.fromEntries(nodes.map(n => [n.id, n]));
    const marker = el('marker', { id: 'chain-arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, el('defs', {}, svg));
    el('path', { d: 'M0,0L10,5L0,10Z', fill: grey }, marker);
    const edges = el('g', { fill: 'none' }, svg);
    links.forEach(l => {
      const a = at[l.from], b = at[l.to];
      const ax = px(a.x), ay = py(a.y), bx = px(b.x), by = py(b.y), len = Math.hypot(bx - ax, by - ay) || 1;
      const stop = b.box ? 14 : b.r + 2;
      el('line', { x1: ax, y1: ay, x2: bx - (bx - ax) / len * stop, y2: by - (by - ay) / len * stop, stroke: l.colour || grey, 'stroke-width': l.width || 1.5,
        'stroke-dasharray': l.dashed ? '5 4' : null, 'stroke-opacity': l.faint ? 0.3 : null, 'marker-end': l.faint ? null : 'url(#chain-arrow)' }, edges);
    });
    nodes.forEach(n => {
      // Clicks open a case or a contact; keyboards reach the same pages through the list beside the chain.
      const parent = el('g', n.href ? { class: 'clickable' } : {}, svg);
      if (n.href) { parent.addEventListener('click', () => { window.location.href = n.href; }); }
      const x = px(n.x), y = py(n.y);
      if (n.box) {
        const t = text(parent, x, y + 4, n.name, { 'text-anchor': 'middle', 'font-size': 12, fill: '#1f2933' });
        const bw = Math.max(60, t.getComputedTextLength() + 20);
        parent.insertBefore(el('rect', { x: x - bw / 2, y: y - 13, width: bw, height: 26, rx: 5, fill: n.fill }), t);
      } else {
        el('circle', { cx: x, cy: y, r: n.r, fill: n.fill }, parent);
        text(parent, x, y + n.r + (n.small ? 10 : 15), n.name, { 'text-anchor': 'middle', 'font-size': n.small ? 9 : 12, fill: '#1f2933' });
      }
      title(parent, n.name);
      if (n.tier) {
        parent.setAttribute('class', 'chain-tier clickable');
        parent.addEventListener('click', () => {
          if (expanded.has(n.tier)) { expanded.delete(n.tier); } else { expanded.add(n.tier); }
          draw();
        });
      }
    });
  }

  fkCharts.whenVisible(frame, draw);
})();

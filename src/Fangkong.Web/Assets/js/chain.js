// The transmission chain of a case: case → case links first (the case it was traced from, this case,
// the cases traced from it), each labelled with its report day; the contacts as one count per tier,
// which a click expands into its first members (and a second click folds). Positions are laid out
// here, so the whole chain fits its frame; nothing is placed by a simulation.
(function () {
  const data = JSON.parse(document.getElementById('chain-data').textContent);
  const el = document.getElementById('chain');
  fkCharts.whenVisible(el, echarts => {
  const chart = echarts.init(el, null, { renderer: 'svg' });
  const expanded = new Set();
  const caseStyle = { color: '#b42318' };

  function build() {
    const nodes = [], links = [];
    const onwardCount = data.onward.length + (data.onwardMore > 0 ? 1 : 0);
    nodes.push({ id: data.self.key, name: data.self.label, x: 300, y: 100, symbolSize: 34, itemStyle: caseStyle, category: 0, href: null });
    if (data.source) {
      nodes.push({ id: data.source.key, name: data.source.label, x: 60, y: 100, symbolSize: 26, itemStyle: caseStyle, category: 0, href: '/cases/' + encodeURIComponent(data.source.key) });
      links.push({ source: data.source.key, target: data.self.key, lineStyle: { width: 3, color: '#b42318' } });
    }
    data.onward.forEach((c, i) => {
      const y = onwardCount <= 1 ? 100 : 20 + i * (160 / Math.max(1, onwardCount - 1));
      nodes.push({ id: c.key, name: c.label, x: 560, y, symbolSize: 22, itemStyle: caseStyle, category: 0, href: '/cases/' + encodeURIComponent(c.key) });
      links.push({ source: data.self.key, target: c.key, lineStyle: { width: 3, color: '#b42318' } });
    });
    if (data.onwardMore > 0) {
      nodes.push({ id: 'more', name: data.labels.more.replace('{0}', data.onwardMore), x: 560, y: 180, symbolSize: 14, category: 0, href: null });
      links.push({ source: data.self.key, target: 'more' });
    }
    data.tiers.forEach((t, i) => {
      const id = 'tier-' + t.tier, x = 200 + i * 200, y = 230;
      nodes.push({ id, name: t.label + (t.members.length > 0 ? (expanded.has(t.tier) ? ' ▴' : ' ▾') : ''), x, y, symbol: 'roundRect', symbolSize: [Math.max(60, t.label.length * 14), 26],
        itemStyle: { color: i === 0 ? '#f2b8a0' : '#f6dcc8' }, category: 1, tier: t.tier, href: null, label: { position: 'inside', color: '#1f2933' } });
      links.push({ source: i === 0 ? data.self.key : 'tier-close', target: id, lineStyle: { type: 'dashed' } });
      if (expanded.has(t.tier)) {
        t.members.forEach((m, j) => {
          const col = j % 8, row = Math.floor(j / 8);
          nodes.push({ id: t.tier + ':' + m.key, name: m.key, x: x - 140 + col * 40, y: y + 50 + row * 28, symbolSize: 8, category: 1, href: '/control/' + encodeURIComponent(m.key),
            label: { show: true, position: 'bottom', fontSize: 9 } });
          links.push({ source: id, target: t.tier + ':' + m.key, lineStyle: { opacity: 0.3 } });
        });
      }
    });
    chart.setOption({
      animation: false,
      tooltip: { formatter: p => p.dataType === 'node' ? p.data.name : '' },
      series: [{
        type: 'graph', layout: 'none', roam: false, left: 90, right: 90, top: 20, bottom: 40,
        categories: [{ name: data.labels.cases }, { name: data.labels.contacts }],
        data: nodes, links, edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 7,
        label: { show: true, position: 'bottom', fontSize: 12, formatter: p => p.data.name },
        lineStyle: { color: '#9aa5b1', width: 1.5, curveness: 0 }
      }]
    }, true);
  }

  chart.on('click', p => {
    if (p.dataType !== 'node') { return; }
    if (p.data.tier) {
      if (expanded.has(p.data.tier)) { expanded.delete(p.data.tier); } else { expanded.add(p.data.tier); }
      build();
      return;
    }
    if (p.data.href) { window.location.href = p.data.href; }
  });
  build();
  el.dataset.rendered = 'true';
  window.addEventListener('resize', () => chart.resize());
  });
})();

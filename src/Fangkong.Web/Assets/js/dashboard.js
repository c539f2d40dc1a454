// The dashboard's epidemic curve and county map. Data comes from the page (#dashboard-data);
// the map from the app's own copy of the schematic county boundaries. SVG rendering keeps
// labels in the DOM for accessibility and browser tests.
(function () {
  const data = JSON.parse(document.getElementById('dashboard-data').textContent);
  const wall = document.body.classList.contains('wall');
  const curveEl = document.getElementById('curve');
  fkCharts.whenVisible(curveEl, echarts => {
  const curve = echarts.init(curveEl, null, { renderer: 'svg' });
  // On a wall screen: larger text, and no animation (a wall is looked at, not watched being drawn).
  const size = wall ? 16 : 12;
  curve.setOption({
    animation: !wall,
    textStyle: { fontSize: size },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [data.labels.onset, data.labels.report], textStyle: { fontSize: size } },
    grid: { left: wall ? 48 : 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: data.curve.map(p => p.date), axisLabel: { fontSize: size } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: size } },
    series: [
      { name: data.labels.onset, type: 'bar', data: data.curve.map(p => p.onset) },
      { name: data.labels.report, type: 'line', data: data.curve.map(p => p.report) }
    ]
  });
  curveEl.dataset.rendered = 'true';
  window.addEventListener('resize', () => curve.resize());
  });

  const mapEl = document.getElementById('map');
  fkCharts.whenVisible(mapEl, echarts => fetch(mapEl.dataset.geo).then(r => r.json()).then(geo => {
    echarts.registerMap('ningxia', geo);
    const byCode = Object.fromEntries(data.counties.map(c => [c.code, c.cases]));
    const values = geo.features.map(f => ({ name: f.properties.name, value: byCode[f.id] || 0, code: f.id }));
    const max = Math.max(1, ...values.map(v => v.value));
    const map = echarts.init(mapEl, null, { renderer: 'svg' });
    map.setOption({
      animation: !wall,
      tooltip: { trigger: 'item', formatter: p => `${p.name}: ${p.value || 0}` },
      visualMap: { min: 0, max: max, left: 8, bottom: 8, text: [String(max), '0'], calculable: false, inRange: { color: ['#f4f7fb', '#f2b8a0', '#c0392b'] } },
      series: [{ type: 'map', map: 'ningxia', roam: false, layoutCenter: ['55%', '50%'], layoutSize: '100%', label: { show: true, fontSize: wall ? 16 : 11 }, labelLayout: { hideOverlap: true }, data: values, name: data.labels.cases }]
    });
    // A county opens the list of its cases.
    map.on('click', p => { if (p.data && p.data.code) { window.location.href = data.casesLink + encodeURIComponent(p.data.code); } });
    mapEl.dataset.rendered = 'true';
    window.addEventListener('resize', () => map.resize());
  }));
})();

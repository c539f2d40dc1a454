// The dashboard's epidemic curve and county map. Data comes from the page (#dashboard-data);
// the map from the app's own copy of the schematic county boundaries. SVG rendering keeps
// labels in the DOM for accessibility and browser tests.
(function () {
  const data = JSON.parse(document.getElementById('dashboard-data').textContent);
  const curveEl = document.getElementById('curve');
  const curve = echarts.init(curveEl, null, { renderer: 'svg' });
  curve.setOption({
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [data.labels.onset, data.labels.report] },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: data.curve.map(p => p.date) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: data.labels.onset, type: 'bar', data: data.curve.map(p => p.onset) },
      { name: data.labels.report, type: 'line', data: data.curve.map(p => p.report) }
    ]
  });
  curveEl.dataset.rendered = 'true';

  const mapEl = document.getElementById('map');
  fetch(mapEl.dataset.geo).then(r => r.json()).then(geo => {
    echarts.registerMap('ningxia', geo);
    const byCode = Object.fromEntries(data.counties.map(c => [c.code, c.cases]));
    const values = geo.features.map(f => ({ name: f.properties.name, value: byCode[f.id] || 0 }));
    const max = Math.max(1, ...values.map(v => v.value));
    const map = echarts.init(mapEl, null, { renderer: 'svg' });
    map.setOption({
      tooltip: { trigger: 'item', formatter: p => `${p.name}: ${p.value || 0}` },
      visualMap: { min: 0, max: max, left: 8, bottom: 8, text: [String(max), '0'], calculable: false, inRange: { color: ['#f4f7fb', '#f2b8a0', '#c0392b'] } },
      series: [{ type: 'map', map: 'ningxia', roam: false, layoutCenter: ['55%', '50%'], layoutSize: '100%', label: { show: true, fontSize: 10 }, data: values, name: data.labels.cases }]
    });
    mapEl.dataset.rendered = 'true';
    window.addEventListener('resize', () => map.resize());
  });
  window.addEventListener('resize', () => curve.resize());
})();

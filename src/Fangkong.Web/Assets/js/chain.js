// The transmission chain of a case as a force-directed graph: the case, its close contacts, and
// their secondary contacts linked through the close contact they were exposed to.
(function () {
  const data = JSON.parse(document.getElementById('chain-data').textContent);
  const el = document.getElementById('chain');
  const chart = echarts.init(el, null, { renderer: 'svg' });
  chart.setOption({
    tooltip: {},
    legend: [{ data: data.categories }],
    series: [{
      type: 'graph', layout: 'force', roam: true, draggable: true,
      categories: data.categories.map(name => ({ name })),
      data: data.nodes, links: data.links,
      label: { show: data.nodes.length <= 40, position: 'right', fontSize: 10 },
      force: { repulsion: 60, edgeLength: [20, 60] },
      lineStyle: { opacity: 0.6 }
    }]
  });
  el.dataset.rendered = 'true';
  window.addEventListener('resize', () => chart.resize());
})();

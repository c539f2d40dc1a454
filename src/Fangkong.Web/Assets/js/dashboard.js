// The dashboard's epidemic curve and county map (js/charts.js). Data comes from the page
// (#dashboard-data); the map from the app's own copy of the schematic county boundaries, fetched once.
(function () {
  const data = JSON.parse(document.getElementById('dashboard-data').textContent);
  // On a wall screen: larger text, read across a room.
  const size = document.body.classList.contains('wall') ? 16 : 12;
  const curveEl = document.getElementById('curve');
  fkCharts.whenVisible(curveEl, () => fkCharts.curve(curveEl, data.curve, data.labels, { fontSize: size }));

  const mapEl = document.getElementById('map');
  const values = Object.fromEntries(data.counties.map(c => [c.code, c.cases]));
  let geo = null;
  fetch(mapEl.dataset.geo).then(r => r.json()).then(g => {
    geo = g;
    // A county opens the list of its cases (each county is a link).
    fkCharts.whenVisible(mapEl, () => fkCharts.choropleth(mapEl, geo, values, { fontSize: size, link: data.casesLink }));
  });
})();

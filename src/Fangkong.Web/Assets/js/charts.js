// Draws a chart when it comes near the screen, loading the chart library once, the first time one
// is needed: a phone's first screen shows the figures, and the library waits until the reader
// scrolls to a chart. The library's address (fingerprinted) is on the chart's element.
window.fkCharts = (function () {
  let loading = null;
  function library(src) {
    if (window.echarts) { return Promise.resolve(window.echarts); }
    if (!loading) {
      loading = new Promise((resolve, reject) => {
        const s = document.createElement('script');
        s.src = src;
        s.onload = () => resolve(window.echarts);
        s.onerror = reject;
        document.head.appendChild(s);
      });
    }
    return loading;
  }
  function whenVisible(el, draw) {
    // Each chart is drawn in a task of its own, so that the page keeps answering between them.
    const go = () => library(el.dataset.echarts).then(echarts => new Promise(done => setTimeout(() => done(draw(echarts)), 0)));
    if (!('IntersectionObserver' in window)) { go(); return; }
    const seen = new IntersectionObserver(entries => {
      if (entries.some(e => e.isIntersecting)) { seen.disconnect(); go(); }
    }, { rootMargin: '100px' });
    seen.observe(el);
  }
  return { whenVisible };
})();

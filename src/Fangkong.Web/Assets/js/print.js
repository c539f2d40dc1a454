// A printable document's "print" button (the page's own stylesheet lays it out on A4).
(function () {
  document.querySelectorAll('[data-print]').forEach(b => b.addEventListener('click', () => window.print()));
})();

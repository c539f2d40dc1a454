// The task board's selection: "select all" ticks every task of the page that a bulk action takes,
// and the bulk form's legend counts the selection. Without script each box is ticked by hand.
(function () {
  const all = document.querySelector('[data-select-all]');
  const boxes = () => Array.from(document.querySelectorAll('input[type=checkbox][name=ids][form=bulk]'));
  const count = document.querySelector('[data-selected-count]');
  function update() {
    const picked = boxes().filter(b => b.checked).length;
    if (count) { count.textContent = picked > 0 ? count.dataset.text.replace('{0}', picked) : ''; }
    if (all) {
      all.checked = picked > 0 && picked === boxes().length;
      all.indeterminate = picked > 0 && picked < boxes().length;
    }
  }
  if (all) {
    all.addEventListener('change', () => { boxes().forEach(b => { b.checked = all.checked; }); update(); });
  }
  boxes().forEach(b => b.addEventListener('change', update));
  update();
})();

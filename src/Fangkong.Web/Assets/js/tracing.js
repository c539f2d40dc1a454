// While a re-trace runs behind the case page, asks every few seconds whether it is done; then says so
// in the banner (a status region, read out by screen readers) and leaves the refresh link to the reader,
// so that nothing typed on the page is lost to a reload.
(function () {
  const banner = document.querySelector('[data-poll]');
  if (!banner) { return; }
  const ask = () => fetch(banner.dataset.poll, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
    .then(r => r.ok ? r.json() : { pending: true })
    .then(state => {
      if (state.pending) { setTimeout(ask, 3000); return; }
      banner.querySelector('span').textContent = banner.dataset.done;
      banner.classList.replace('note', 'ok');
      banner.dataset.state = 'done';
    })
    .catch(() => setTimeout(ask, 10000));
  setTimeout(ask, 2000);
})();

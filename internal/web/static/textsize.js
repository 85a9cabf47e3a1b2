// The reader's text size (A- A A+ on the news pages), applied before the
// page is painted: this script is loaded in <head> without "defer", so the
// page never shows at one size and then jumps to another. news.js sets it.
(function () {
  try {
    var v = window.localStorage.getItem('motcua.textSize');
    if (v === '-1' || v === '1' || v === '2') {
      document.documentElement.setAttribute('data-text-size', v);
    }
  } catch (e) { /* storage off: the default size */ }
})();

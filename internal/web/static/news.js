// An article's reading tools: text size (remembered in localStorage; see
// textsize.js), reading aloud with the browser's Vietnamese voice when it
// has one (the button stays hidden and a line says so otherwise), and
// copying the article's link. Nothing here is needed to read the page.
(function () {
  var root = document.documentElement, KEY = 'motcua.textSize';

  function size() { return parseInt(root.getAttribute('data-text-size') || '0', 10) || 0; }
  function setSize(n) {
    n = Math.max(-1, Math.min(2, n));
    if (n === 0) { root.removeAttribute('data-text-size'); } else { root.setAttribute('data-text-size', String(n)); }
    try {
      if (n === 0) { localStorage.removeItem(KEY); } else { localStorage.setItem(KEY, String(n)); }
    } catch (e) { /* not remembered */ }
  }
  document.querySelectorAll('button[data-text-size]').forEach(function (b) {
    b.addEventListener('click', function () {
      var step = parseInt(b.getAttribute('data-text-size'), 10);
      setSize(step === 0 ? 0 : size() + step);
    });
  });

  var btn = document.getElementById('read-aloud'), none = document.getElementById('read-aloud-none');
  if (btn && none) {
    var synth = window.speechSynthesis;
    var viVoice = function () {
      var vs = synth.getVoices();
      for (var i = 0; i < vs.length; i++) {
        if (/^vi([-_]|$)/i.test(vs[i].lang)) { return vs[i]; }
      }
      return null;
    };
    if (!synth || !window.SpeechSynthesisUtterance) {
      none.hidden = false;
    } else {
      var offer = function () { var v = viVoice(); btn.hidden = !v; none.hidden = !!v; };
      offer();
      if (synth.addEventListener) { synth.addEventListener('voiceschanged', offer); }
      btn.addEventListener('click', function () {
        if (synth.speaking) {
          synth.cancel();
          btn.textContent = btn.getAttribute('data-read');
          return;
        }
        // One utterance per block: some engines stop reading long texts.
        var parts = [], voice = viVoice();
        ['article-title', 'article-summary'].forEach(function (id) {
          var el = document.getElementById(id);
          if (el) { parts.push(el.innerText); }
        });
        document.querySelectorAll('#article-body p, #article-body li, #article-body h2, #article-body h3, #article-body td, #article-body blockquote').forEach(function (el) {
          parts.push(el.innerText);
        });
        parts.forEach(function (text, i) {
          var u = new SpeechSynthesisUtterance(text);
          u.lang = 'vi-VN';
          if (voice) { u.voice = voice; }
          if (i === parts.length - 1) { u.onend = function () { btn.textContent = btn.getAttribute('data-read'); }; }
          synth.speak(u);
        });
        btn.textContent = btn.getAttribute('data-stop');
      });
    }
  }

  document.querySelectorAll('a.copy-link').forEach(function (a) {
    a.addEventListener('click', function (e) {
      if (!navigator.clipboard) { return; }
      e.preventDefault();
      navigator.clipboard.writeText(a.href).then(function () { a.textContent = a.getAttribute('data-copied'); });
    });
  });
})();

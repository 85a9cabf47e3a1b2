// The modern counter's pages: the kiosk's ticket goes back to the kiosk,
// waiting pages refresh their live part, and the calling board follows the
// board stream with a chime and the number read aloud. Every page works
// without it, only less live.
(function () {
  "use strict";

  // [data-return]: go back to that address after data-after seconds
  // (the kiosk's ticket after a minute, the tablet's thanks after a few).
  function returns(root) {
    root.querySelectorAll("[data-return]").forEach(function (el) {
      var after = parseInt(el.getAttribute("data-after") || "60", 10);
      setTimeout(function () { location.href = el.getAttribute("data-return"); }, after * 1000);
    });
  }

  // [data-refresh][id]: every data-refresh seconds read this page again
  // (or data-src: a page shown in answer to a form) and put the new part in place; when the new page has no such part
  // (the state changed: a ticket to rate, a ticket called), the whole
  // main content is replaced. Nothing is replaced while the reader types.
  function refreshes(root) {
    root.querySelectorAll("[data-refresh][id]").forEach(function (el) {
      var id = el.id, every = parseInt(el.getAttribute("data-refresh"), 10) * 1000;
      var src = el.getAttribute("data-src") || location.href;
      var timer = setInterval(function () {
        var cur = document.getElementById(id);
        if (!cur) { clearInterval(timer); return; }
        var a = document.activeElement;
        if (a && (a.tagName === "INPUT" || a.tagName === "TEXTAREA" || a.tagName === "SELECT")) { return; }
        fetch(src, { credentials: "same-origin", headers: { "Accept": "text/html" } }).then(function (res) {
          return res.ok ? res.text() : null;
        }).then(function (html) {
          if (!html) { return; }
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById(id);
          if (fresh) {
            cur.replaceWith(document.importNode(fresh, true));
            return;
          }
          clearInterval(timer);
          var main = document.getElementById("main"), next = doc.getElementById("main");
          if (main && next) {
            main.innerHTML = next.innerHTML;
            init(main);
          }
        }).catch(function () {});
      }, every);
    });
  }

  // The board's sound: a two-tone chime (WebAudio), and the number read
  // aloud in the page's language where the browser has such a voice.
  var audio;
  function chime() {
    var AC = window.AudioContext || window.webkitAudioContext;
    if (!AC) { return; }
    audio = audio || new AC();
    [880, 660].forEach(function (f, i) {
      var o = audio.createOscillator(), g = audio.createGain(), t = audio.currentTime + i * 0.35;
      o.frequency.value = f;
      o.connect(g);
      g.connect(audio.destination);
      g.gain.setValueAtTime(0.0001, t);
      g.gain.exponentialRampToValueAtTime(0.4, t + 0.02);
      g.gain.exponentialRampToValueAtTime(0.0001, t + 0.6);
      o.start(t);
      o.stop(t + 0.65);
    });
  }

  function say(text) {
    if (!window.speechSynthesis) { return false; }
    var lang = document.documentElement.lang;
    var voice = speechSynthesis.getVoices().filter(function (v) { return v.lang.toLowerCase().indexOf(lang) === 0; })[0];
    if (!voice) { return false; }
    var u = new SpeechSynthesisUtterance(text);
    u.voice = voice;
    u.lang = voice.lang;
    u.rate = 0.9;
    speechSynthesis.speak(u);
    return true;
  }

  // spoken is a number as it is read: A001 → "A 1".
  function spoken(number) { return number.replace(/^([A-Z])0*(\d+)$/, "$1 $2"); }

  function fill(tpl, a, b) { return tpl.replace("{0}", a).replace("{1}", b); }

  function board(el) {
    var unit = el.getAttribute("data-unit"), last = el.getAttribute("data-last");
    var state = document.getElementById("board-state"), sound = document.getElementById("board-sound");
    var sayTpl = document.getElementById("board-say").innerHTML, toTpl = document.getElementById("board-to").innerHTML;
    var recent = document.getElementById("board-recent");
    if (window.speechSynthesis) { speechSynthesis.getVoices(); } // the list loads in the background

    function row(deskID) { return el.querySelector('tr[data-desk="' + deskID + '"] .board-num'); }

    function called(e) {
      var cell = row(e.desk_id);
      if (cell) {
        cell.textContent = e.number;
        var tr = cell.parentNode;
        tr.classList.remove("fresh");
        void tr.offsetWidth; // restart the highlight
        tr.classList.add("fresh");
      }
      var li = document.createElement("li"), num = document.createElement("span");
      num.className = "board-num";
      num.textContent = e.number;
      li.appendChild(num);
      li.appendChild(document.createTextNode(" → " + fill(toTpl, e.desk_number)));
      recent.insertBefore(li, recent.firstChild);
      while (recent.children.length > 6) { recent.removeChild(recent.lastChild); }
      var text = fill(sayTpl, spoken(e.number), e.desk_number);
      try { chime(); } catch (err) { /* no sound device */ }
      el.setAttribute("data-announced", text + (say(text) ? " (voice)" : ""));
      if (audio && audio.state === "suspended") { sound.hidden = false; }
    }

    function ended(e) {
      var cell = row(e.desk_id);
      if (cell && cell.textContent === e.number) { cell.textContent = ""; }
    }

    sound.addEventListener("click", function () {
      if (audio) { audio.resume(); }
      sound.hidden = true;
    });

    function connect() {
      var es = new EventSource("/api/v1/board/events?unit=" + encodeURIComponent(unit) + "&last_event_id=" + encodeURIComponent(last));
      es.onopen = function () { state.hidden = true; el.classList.remove("offline"); el.setAttribute("data-live", "open"); };
      es.onerror = function () {
        state.hidden = false;
        el.classList.add("offline");
        el.setAttribute("data-live", "reconnecting");
        if (es.readyState === EventSource.CLOSED) { // refused, not dropped: the browser gives up, so we try again
          setTimeout(connect, 5000);
        }
      };
      function on(names, fn) {
        names.forEach(function (n) {
          es.addEventListener(n, function (m) {
            if (m.lastEventId) { last = m.lastEventId; }
            fn(JSON.parse(m.data));
          });
        });
      }
      on(["call", "recall"], called);
      on(["serve", "skip", "transfer"], ended);
    }
    connect();
  }

  function init(root) {
    returns(root);
    refreshes(root);
    if (root === document) { return; } // app.js has done the page's own
    root.querySelectorAll("[data-print]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
  }

  init(document);
  var b = document.getElementById("board");
  if (b) { board(b); }
})();

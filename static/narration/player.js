// The article's audio player: play/pause, ±15 s, speed, position and duration, with the
// paragraph being read highlighted. Without this script the page keeps <audio controls>.
(function () {
  "use strict";

  var SPEEDS = [1, 1.25, 1.5, 2];
  var READABLE = [
    ".body > p", ".body > h2", ".body > h3", ".body > h4",
    ".body > ul > li", ".body > ol > li", ".body > blockquote > p",
  ].join(", ");

  function clock(seconds) {
    seconds = Math.max(0, Math.round(seconds || 0));
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function storage() {
    try { return window.localStorage; } catch (error) { return null; }
  }

  function setUp(player) {
    var audio = player.querySelector("audio");
    var controls = player.querySelector(".player__controls");
    var play = player.querySelector("[data-play]");
    var speed = player.querySelector("[data-speed]");
    var seek = player.querySelector("[data-seek]");
    var position = player.querySelector("[data-position]");
    var length = player.querySelector("[data-length]");
    var key = player.dataset.key;
    var timings = [];
    try { timings = JSON.parse(player.dataset.timings || "[]"); } catch (error) { timings = []; }
    var article = player.closest("article") || document;
    var paragraphs = article.querySelectorAll(READABLE);
    var reading = null;
    var lastSaved = 0;

    audio.controls = false;
    controls.hidden = false;
    player.classList.add("player--scripted");

    function duration() {
      return isFinite(audio.duration) && audio.duration > 0
        ? audio.duration : parseFloat(player.dataset.duration || "0");
    }

    function showLength() {
      length.textContent = clock(duration());
      seek.max = String(Math.round(duration()));
    }

    function highlight(time) {
      var now = null;
      for (var i = 0; i < timings.length; i++) {
        if (time >= timings[i][1] && time < timings[i][2]) { now = paragraphs[timings[i][0]] || null; break; }
      }
      if (now === reading) return;
      if (reading) reading.classList.remove("is-being-read");
      if (now) now.classList.add("is-being-read");
      reading = now;
    }

    function save(force) {
      var store = storage();
      if (!store) return;
      var stamp = Date.now();
      if (!force && stamp - lastSaved < 2000) return;
      lastSaved = stamp;
      if (audio.ended) store.removeItem(key);
      else store.setItem(key, String(Math.floor(audio.currentTime)));
    }

    function restore() {
      var store = storage();
      var saved = store ? parseFloat(store.getItem(key) || "0") : 0;
      if (saved > 0 && saved < duration() - 5) audio.currentTime = saved;
    }

    play.addEventListener("click", function () {
      if (audio.paused) audio.play(); else audio.pause();
    });
    player.querySelectorAll("[data-skip]").forEach(function (button) {
      button.addEventListener("click", function () {
        var to = audio.currentTime + parseFloat(button.dataset.skip);
        audio.currentTime = Math.min(Math.max(0, to), duration() || to);
      });
    });
    speed.addEventListener("click", function () {
      var next = SPEEDS[(SPEEDS.indexOf(audio.playbackRate) + 1) % SPEEDS.length];
      audio.playbackRate = next;
    });
    seek.addEventListener("input", function () { audio.currentTime = parseFloat(seek.value); });

    audio.addEventListener("play", function () { play.textContent = "Pause"; });
    audio.addEventListener("pause", function () { play.textContent = "Play"; save(true); });
    audio.addEventListener("ended", function () { save(true); highlight(-1); });
    audio.addEventListener("ratechange", function () {
      var label = String(audio.playbackRate) + "×";
      speed.textContent = label;
      speed.setAttribute("aria-label", "Playback speed " + label + ", change");
    });
    audio.addEventListener("loadedmetadata", function () { showLength(); restore(); });
    audio.addEventListener("durationchange", showLength);
    audio.addEventListener("timeupdate", function () {
      position.textContent = clock(audio.currentTime);
      seek.value = String(Math.floor(audio.currentTime));
      highlight(audio.currentTime);
      save(false);
    });
    if (audio.readyState >= 1) { showLength(); restore(); }
    window.addEventListener("pagehide", function () { save(true); });
  }

  document.querySelectorAll("[data-player]").forEach(setUp);
})();

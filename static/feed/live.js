// Keeps every [data-feed-live] element on the page (the /feed/ page, the News Feed box)
// up to date by polling its data-updates-url with If-None-Match. The server answers 304
// while nothing changed and says in each answer how long to wait before asking again.
//
// What makes sure no item is missed (tests/feed/test_polling.py follows the same rules):
// - after each answer, the next poll sends after=<the answer's "cursor">, never a time of
//   ours: the server knows which changes it has sent, in commit order (feed/changes.py);
// - the list follows all of an answer's "next" pages before applying it, and keeps the
//   cursor of the first (the box, which shows only the newest few, takes the first page);
// - the server may send an item again: one already shown with the same updated_at is left
//   as it is, one with another is replaced.
// What arrives is told to screen readers through the list's polite status line
// ([data-feed-status], role=status): never by moving the focus, never interrupting.
(function () {
  "use strict";

  if (window.newsroomFeedLive) return; // the script may be included more than once
  window.newsroomFeedLive = true;

  var HIDDEN_SLOWDOWN = 4;
  var MAX_BACKOFF = 300;
  var baseTitle = document.title;
  var feeds = [];

  function updateTitle() {
    var waiting = feeds.reduce(function (sum, feed) { return sum + feed.pending.length; }, 0);
    document.title = waiting ? "(" + waiting + ") " + baseTitle : baseTitle;
  }

  function LiveFeed(root) {
    this.root = root;
    this.list = root.querySelector("[data-feed-list]");
    this.url = new URL(root.dataset.updatesUrl, window.location.href);
    this.interval = Number(root.dataset.pollInterval) || 10;
    this.failures = 0;
    this.etag = null;
    this.timer = null;
    this.pending = [];
    this.isBox = root.hasAttribute("data-feed-box");
    this.maxItems = Number(root.dataset.maxItems) || 0;
    this.timeZone = root.dataset.timeZone || undefined;
    this.button = null;
    this.status = root.querySelector("[data-feed-status]");
    this.arrived = [];
  }

  function updatesText(count) {
    return count + (count === 1 ? " new update" : " new updates");
  }

  // Say `text` in the status line; the same words again are said again.
  LiveFeed.prototype.announce = function (text) {
    if (!this.status) return;
    var status = this.status;
    status.textContent = "";
    setTimeout(function () { status.textContent = text; }, 50);
  };

  LiveFeed.prototype.start = function () {
    var self = this;
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) self.poll();
    });
    this.schedule();
  };

  LiveFeed.prototype.schedule = function () {
    var seconds = this.interval * (document.hidden ? HIDDEN_SLOWDOWN : 1);
    if (this.failures) seconds = Math.min(MAX_BACKOFF, seconds * Math.pow(2, this.failures));
    clearTimeout(this.timer);
    this.timer = setTimeout(this.poll.bind(this), seconds * 1000);
  };

  LiveFeed.prototype.poll = function () {
    var self = this;
    clearTimeout(this.timer);
    var headers = this.etag ? { "If-None-Match": this.etag } : {};
    fetch(this.url, { headers: headers, cache: "no-store", credentials: "omit" })
      .then(function (response) {
        var interval = Number(response.headers.get("X-Poll-Interval"));
        if (interval > 0) self.interval = interval;
        if (response.status === 304) return null;
        if (!response.ok) throw new Error("feed updates answered " + response.status);
        self.etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (data) {
        return data && self.rest(data);
      })
      .then(function (data) {
        self.failures = 0;
        if (data) self.apply(data);
      })
      .catch(function () {
        self.failures += 1;
      })
      .then(function () {
        self.schedule();
      });
  };

  // More changes than one answer holds: follow its "next" links before applying.
  LiveFeed.prototype.rest = function (data) {
    var self = this;
    if (!data.next || this.maxItems) return data;
    return fetch(data.next, { cache: "no-store", credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error("feed updates answered " + response.status);
        return response.json();
      })
      .then(function (more) {
        return self.rest({
          items: data.items.concat(more.items),
          removed: data.removed,
          poll_interval: data.poll_interval,
          cursor: data.cursor,
          next: more.next,
        });
      });
  };

  LiveFeed.prototype.apply = function (data) {
    var self = this;
    if (data.poll_interval > 0) this.interval = data.poll_interval;
    data.removed.forEach(function (id) { self.remove(id); });
    data.items.slice().reverse().forEach(function (item) { self.receive(item); });
    if (data.cursor) {
      this.url.searchParams.set("after", data.cursor);
      this.url.searchParams.delete("since"); // a page drawn before cursors: from now on, after=
    }
    this.trim();
    var pendingBefore = this.shownPending || 0;
    this.showPending();
    if (this.arrived.length) {
      var headlines = this.arrived.join("; ");
      this.announce(this.arrived.length === 1 ? "New update: " + headlines : updatesText(this.arrived.length) + ": " + headlines);
      this.arrived = [];
    } else if (this.pending.length > pendingBefore) {
      this.announce(updatesText(this.pending.length) + " above. Use the button at the top of the feed to show them.");
    }
  };

  LiveFeed.prototype.find = function (id) {
    return this.root.querySelector('.feed-item[data-id="' + id + '"]');
  };

  LiveFeed.prototype.receive = function (item) {
    var existing = this.find(item.id);
    var waiting = this.pending.findIndex(function (el) { return el.dataset.id === String(item.id); });
    if (waiting >= 0) {
      this.pending[waiting] = this.build(item);
      return;
    }
    if (existing) {
      if (existing.dataset.updated && new Date(existing.dataset.updated).getTime() === new Date(item.updated_at).getTime()) return;
      var wasPinned = existing.classList.contains("feed-item--pinned");
      var fresh = this.build(item);
      if (wasPinned === item.pinned || this.isBox) {
        existing.replaceWith(fresh);
      } else {
        this.remove(item.id);
        this.place(fresh);
      }
      return;
    }
    var element = this.build(item);
    if (!this.isNewest(item)) {
      if (this.isWithinShown(item)) this.place(element);
      return;
    }
    if (this.readerIsAtTop()) {
      this.place(element);
      this.arrived.push(item.headline);
    } else this.pending.push(element);
  };

  LiveFeed.prototype.items = function () {
    return Array.prototype.slice.call(this.list.querySelectorAll(".feed-item"));
  };

  LiveFeed.prototype.isNewest = function (item) {
    var first = this.items()[0];
    return !first || new Date(item.published_at) >= new Date(first.querySelector("time").dateTime);
  };

  LiveFeed.prototype.isWithinShown = function (item) {
    var shown = this.items();
    var last = shown[shown.length - 1];
    return last && new Date(item.published_at) >= new Date(last.querySelector("time").dateTime);
  };

  LiveFeed.prototype.readerIsAtTop = function () {
    return this.list.getBoundingClientRect().top > -20;
  };

  LiveFeed.prototype.dayKey = function (date) {
    return new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: this.timeZone }).format(date);
  };

  LiveFeed.prototype.dayText = function (date) {
    return new Intl.DateTimeFormat("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: this.timeZone }).format(date);
  };

  // The server draws each item with the same template as the page around it, in the
  // variant this list asked for (?variant=compact in the box's address): insert that as it is.
  LiveFeed.prototype.build = function (item) {
    var template = document.createElement("template");
    template.innerHTML = item.html;
    var element = template.content.querySelector(".feed-item");
    if (!element) throw new Error("feed item " + item.id + " came without its html");
    element.classList.add("feed-item--fresh");
    return element;
  };

  LiveFeed.prototype.pinnedBox = function () {
    var box = this.root.querySelector(".feed-pinned");
    if (!box) {
      box = document.createElement("section");
      box.className = "feed-pinned";
      box.setAttribute("aria-labelledby", "feed-pinned-heading");
      var heading = document.createElement("h2");
      heading.id = "feed-pinned-heading";
      heading.className = "feed-pinned__heading";
      heading.textContent = "Pinned updates";
      box.appendChild(heading);
      this.list.parentNode.insertBefore(box, this.list);
    }
    return box;
  };

  LiveFeed.prototype.header = function (date) {
    var header = document.createElement("h2");
    header.className = "day";
    header.dataset.day = this.dayKey(date);
    header.textContent = this.dayText(date);
    return header;
  };

  // Put an item where its time says, with a day header above it when its day has none yet.
  LiveFeed.prototype.place = function (element) {
    var empty = this.root.querySelector(".feed-empty");
    if (empty) empty.remove();
    if (element.classList.contains("feed-item--pinned")) {
      var box = this.pinnedBox();
      var heading = box.querySelector(".feed-pinned__heading");
      box.insertBefore(element, heading ? heading.nextSibling : box.firstChild);
      return;
    }
    var published = new Date(element.querySelector("time").dateTime);
    var target = this.items().find(function (other) {
      return new Date(other.querySelector("time").dateTime) < published;
    });
    if (this.isBox) {
      this.list.insertBefore(element, target || null);
      return;
    }
    var day = this.dayKey(published);
    if (!target) {
      var headers = this.list.querySelectorAll("h2.day");
      var lastHeader = headers[headers.length - 1];
      if (!lastHeader || lastHeader.dataset.day !== day) this.list.appendChild(this.header(published));
      this.list.appendChild(element);
      return;
    }
    var before = target.previousElementSibling;
    if (before && before.matches("h2.day") && before.dataset.day !== day) {
      this.list.insertBefore(this.header(published), before);
      this.list.insertBefore(element, before);
    } else {
      this.list.insertBefore(element, target);
    }
  };

  LiveFeed.prototype.remove = function (id) {
    this.pending = this.pending.filter(function (el) { return el.dataset.id !== String(id); });
    var element = this.find(id);
    if (!element) return;
    var header = element.previousElementSibling;
    element.remove();
    if (header && header.matches("h2.day")) {
      var next = header.nextElementSibling;
      if (!next || next.matches("h2.day")) header.remove();
    }
    var pinned = this.root.querySelector(".feed-pinned");
    if (pinned && !pinned.querySelector(".feed-item")) pinned.remove();
  };

  LiveFeed.prototype.trim = function () {
    if (!this.maxItems) return;
    this.items().slice(this.maxItems).forEach(function (element) { element.remove(); });
  };

  LiveFeed.prototype.showPending = function () {
    var count = this.pending.length;
    if (count && !this.button) {
      this.button = document.createElement("button");
      this.button.type = "button";
      this.button.className = "feed-new";
      this.button.addEventListener("click", this.flush.bind(this));
      this.root.insertBefore(this.button, this.root.firstChild);
    }
    if (this.button) {
      if (count) this.button.textContent = updatesText(count);
      else { this.button.remove(); this.button = null; }
    }
    this.shownPending = count;
    updateTitle();
  };

  // The reader asked for the waiting updates: show them, and put the focus on the first,
  // where the button they pressed was, rather than leave it on a button that is gone.
  LiveFeed.prototype.flush = function () {
    var self = this;
    var waiting = this.pending;
    this.pending = [];
    waiting.forEach(function (element) { self.place(element); });
    this.trim();
    this.showPending();
    var first = waiting[waiting.length - 1];
    if (first && first.isConnected) {
      first.setAttribute("tabindex", "-1");
      first.focus({ preventScroll: true });
    }
    this.root.scrollIntoView({ behavior: "smooth", block: "start" });
    this.announce("Showing " + updatesText(waiting.length));
  };

  // "Load more" appends the next page in place; without this script the link still works.
  function loadMore(event) {
    var link = event.target.closest(".feed-more a");
    var stream = document.querySelector(".feed-page .feed-stream");
    if (!link || !stream || event.button !== 0 || event.metaKey || event.ctrlKey) return;
    event.preventDefault();
    link.setAttribute("aria-busy", "true");
    fetch(link.href, { credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error("next page answered " + response.status);
        return response.text();
      })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html");
        var headers = stream.querySelectorAll("h2.day");
        var lastDay = headers.length ? headers[headers.length - 1].dataset.day : null;
        var incoming = next.querySelector(".feed-stream");
        Array.prototype.slice.call(incoming ? incoming.children : []).forEach(function (node, index) {
          if (index === 0 && node.matches("h2.day") && node.dataset.day === lastDay) return;
          if (node.dataset.id && stream.querySelector('.feed-item[data-id="' + node.dataset.id + '"]')) return;
          stream.appendChild(document.adoptNode(node));
        });
        var nav = link.closest(".feed-more");
        var nextNav = next.querySelector(".feed-more");
        if (nextNav) nav.replaceWith(document.adoptNode(nextNav));
        else nav.remove();
      })
      .catch(function () {
        window.location.href = link.href;
      });
  }

  function start() {
    document.addEventListener("click", loadMore);
    document.querySelectorAll("[data-feed-live]").forEach(function (root) {
      if (!root.dataset.updatesUrl || !root.querySelector("[data-feed-list]")) return;
      var feed = new LiveFeed(root);
      feeds.push(feed);
      feed.start();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

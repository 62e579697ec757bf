/* The article change form on the editors' desk: live preview, length counters, the byline's
   order, autosave, who else is here, review notes and the picture picker.
   Everything here improves a form that works without it. */
(function () {
  "use strict";

  function csrfToken() {
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function post(url, fields) {
    const data = new FormData();
    data.append("csrfmiddlewaretoken", csrfToken());
    Object.entries(fields).forEach(([name, value]) => data.append(name, value));
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then((response) => response.json().then((json) => ({ ok: response.ok, json })));
  }

  function debounce(wait, work) {
    let timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(work, wait);
    };
  }

  /* Length counters: "72 / 110", marked once past what search engines show. */
  const KNOWN_LIMITS = {
    id_seo_title: [60, "Search results show about 60 characters of a title."],
    id_seo_description: [160, "Search results show about 160 characters of a description."],
    id_meta_description: [160, "Search results show about 160 characters of a description."],
  };

  function addCounter(input, limit, why) {
    const counter = document.createElement("span");
    counter.className = "desk-counter";
    counter.id = input.id + "_counter";
    const describedBy = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (describedBy ? describedBy + " " : "") + counter.id);
    input.insertAdjacentElement("afterend", counter);
    function update() {
      const length = input.value.length;
      const over = length > limit;
      counter.textContent = `${length} / ${limit}` + (over ? ` — too long: ${why}` : "");
      counter.classList.toggle("desk-counter--over", over);
    }
    input.addEventListener("input", update);
    update();
  }

  function counters() {
    document.querySelectorAll("[data-limit]").forEach((input) => {
      addCounter(input, Number(input.dataset.limit), input.dataset.limitWhy || "");
    });
    Object.entries(KNOWN_LIMITS).forEach(([id, [limit, why]]) => {
      const input = document.getElementById(id);
      if (input && !input.dataset.limit) addCounter(input, limit, why);
    });
  }

  /* The slug's help shows the address readers will use, as it is typed. */
  function slugAddress() {
    const slug = document.getElementById("id_slug");
    const shown = document.querySelector(".slug-address");
    if (!slug || !shown) return;
    const update = () => {
      shown.textContent = slug.value || "…";
    };
    ["input", "change", "keyup"].forEach((name) => slug.addEventListener(name, update));
    // The admin's own script fills the slug from the headline without an input event.
    const headline = document.getElementById("id_headline");
    if (headline) {
      ["input", "keyup", "change"].forEach((name) =>
        headline.addEventListener(name, () => setTimeout(update, 0))
      );
    }
  }

  /* The body as readers will see it, drawn by the server's renderer as the editor types. */
  function livePreview() {
    const body = document.getElementById("id_body");
    const pane = document.getElementById("live-preview");
    if (!body || !pane) return;
    let sent = null;
    const refresh = debounce(400, () => {
      if (body.value === sent) return;
      sent = body.value;
      post(pane.dataset.url, { body: body.value })
        .then(({ ok, json }) => {
          if (!ok) return;
          pane.innerHTML = json.html || '<p class="help">Nothing to show yet.</p>';
          pane.classList.toggle("live-preview--errors", (json.errors || []).length > 0);
        })
        .catch(() => {
          pane.classList.add("live-preview--offline");
        });
    });
    body.addEventListener("input", refresh);
    refresh();
  }

  /* Bylines: drag a row, or press its arrows, to change the order; positions follow. */
  function bylines() {
    const group = document.getElementById("bylines-group");
    if (!group) return;
    const table = group.querySelector("table");
    if (!table) return;
    const live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    group.appendChild(live);
    const head = table.querySelector("thead tr");
    if (head) {
      const th = document.createElement("th");
      th.textContent = "Order";
      head.insertBefore(th, head.firstElementChild);
    }

    function rows() {
      return Array.from(table.querySelectorAll("tbody tr.form-row")).filter(
        (row) => !row.classList.contains("empty-form")
      );
    }
    function authorName(row) {
      const select = row.querySelector("select[name$='-author']");
      const option = select && select.selectedOptions[0];
      return option && option.value ? option.textContent.trim() : "this author";
    }
    function number() {
      rows().forEach((row, index) => {
        const position = row.querySelector("input[name$='-position']");
        if (position) position.value = index;
        const name = authorName(row);
        const up = row.querySelector(".byline-up");
        const down = row.querySelector(".byline-down");
        if (up) up.setAttribute("aria-label", `Move ${name} up`);
        if (down) down.setAttribute("aria-label", `Move ${name} down`);
      });
    }
    function controls(row) {
      if (row.querySelector(".byline-move")) return;
      const cell = document.createElement("td");
      cell.className = "byline-move";
      cell.innerHTML =
        '<span class="byline-handle" aria-hidden="true" title="Drag to reorder">⠿</span>' +
        '<button type="button" class="byline-up">↑</button>' +
        '<button type="button" class="byline-down">↓</button>';
      row.insertBefore(cell, row.firstElementChild);
      row.draggable = true;
    }
    table.querySelectorAll("tbody tr.form-row").forEach(controls);
    number();

    function announce(row) {
      const list = rows();
      live.textContent = `${authorName(row)} is now number ${list.indexOf(row) + 1} of ${list.length}.`;
    }
    group.addEventListener("click", (event) => {
      const button = event.target.closest(".byline-up, .byline-down");
      if (!button) return;
      const row = button.closest("tr");
      const list = rows();
      const index = list.indexOf(row);
      if (button.classList.contains("byline-up") && index > 0) {
        list[index - 1].before(row);
      } else if (button.classList.contains("byline-down") && index < list.length - 1) {
        list[index + 1].after(row);
      }
      number();
      button.focus();
      announce(row);
    });

    let dragged = null;
    group.addEventListener("dragstart", (event) => {
      const row = event.target.closest && event.target.closest("tr.form-row");
      if (!row) return;
      dragged = row;
      row.classList.add("byline-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "");
    });
    group.addEventListener("dragover", (event) => {
      const row = event.target.closest && event.target.closest("tr.form-row");
      if (!dragged || !row || row === dragged || row.classList.contains("empty-form")) return;
      event.preventDefault();
      const box = row.getBoundingClientRect();
      if (event.clientY < box.top + box.height / 2) row.before(dragged);
      else row.after(dragged);
    });
    group.addEventListener("dragend", () => {
      if (!dragged) return;
      dragged.classList.remove("byline-dragging");
      number();
      announce(dragged);
      dragged = null;
    });
    group.addEventListener("change", number);
    document.addEventListener("formset:added", (event) => {
      if (event.target && event.target.matches && event.target.matches("tr.form-row")) {
        controls(event.target);
      }
      number();
    });
    const form = group.closest("form");
    if (form) form.addEventListener("submit", number);
  }

  /* Autosave: what was typed is kept as the person's unsaved copy, never as the article. */
  const AUTOSAVED = ["headline", "slug", "dek", "body", "excerpt"];

  function autosave(desk) {
    const form = document.querySelector("#article_form");
    if (!form) return;
    const status = document.getElementById("autosave-status");
    const url = desk.dataset.autosaveUrl;
    const fields = AUTOSAVED.map((name) => form.elements.namedItem(name)).filter(Boolean);
    let dirty = false;
    let leaving = false;
    fields.forEach((field) => field.addEventListener("input", () => (dirty = true)));

    function values() {
      const data = { article: desk.dataset.article || "" };
      fields.forEach((field) => (data[field.name] = field.value));
      return data;
    }
    function save() {
      if (!dirty) return;
      dirty = false;
      post(url, values())
        .then(({ ok, json }) => {
          if (status) status.textContent = ok ? json.text : json.error || "Not kept.";
          if (!ok) dirty = true;
        })
        .catch(() => {
          dirty = true;
          if (status) status.textContent = "Could not keep your changes: no connection.";
        });
    }
    setInterval(save, Number(desk.dataset.autosaveSeconds || 5) * 1000);
    function keepOnLeave() {
      if (!dirty || leaving) return;
      const data = new FormData();
      data.append("csrfmiddlewaretoken", csrfToken());
      Object.entries(values()).forEach(([name, value]) => data.append(name, value));
      navigator.sendBeacon(url, data);
      dirty = false;
    }
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") keepOnLeave();
    });
    window.addEventListener("pagehide", keepOnLeave);
    // Saving the form itself keeps everything: nothing to keep on the way out.
    form.addEventListener("submit", () => (leaving = true));

    const restore = document.getElementById("autosave-restore");
    if (!restore) return;
    const kept = JSON.parse(restore.dataset.fields || "{}");
    document.getElementById("restore-draft").addEventListener("click", () => {
      fields.forEach((field) => {
        if (field.name in kept) {
          field.value = kept[field.name];
          field.dispatchEvent(new Event("input", { bubbles: true }));
        }
      });
      restore.hidden = true;
      if (status) status.textContent = "Your unsaved text is back. Save to keep it.";
    });
    document.getElementById("discard-draft").addEventListener("click", () => {
      post(url, { article: desk.dataset.article || "", discard: "1" }).then(() => {
        restore.hidden = true;
      });
    });
  }

  /* Presence: say "still here" now and then; show who else has the article open. */
  function presence(desk) {
    const url = desk.dataset.presenceUrl;
    const banner = document.getElementById("presence");
    if (!url || !banner) return;
    function beat() {
      post(url, {})
        .then(({ ok, json }) => {
          if (!ok) return;
          banner.textContent = json.text || "";
          banner.hidden = !json.text;
        })
        .catch(() => {});
    }
    setInterval(beat, Number(desk.dataset.heartbeatSeconds || 15) * 1000);
    window.addEventListener("pagehide", () => {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", csrfToken());
      data.append("leave", "1");
      navigator.sendBeacon(url, data);
    });
  }

  /* Review notes: added without leaving the page (the form posts normally without this). */
  function notes() {
    const form = document.getElementById("review-note-form");
    const list = document.getElementById("review-notes-list");
    const text = document.getElementById("id_note_text");
    if (!form || !list || !text) return;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      post(form.action, { text: text.value }).then(({ ok, json }) => {
        if (!ok) {
          text.setCustomValidity(json.error || "Not added.");
          text.reportValidity();
          return;
        }
        text.setCustomValidity("");
        const empty = list.querySelector(".desk-notes__empty");
        if (empty) empty.remove();
        list.insertAdjacentHTML("beforeend", json.html);
        text.value = "";
      });
    });
    text.addEventListener("input", () => text.setCustomValidity(""));
  }

  /* The picture picker puts an :::image block where the cursor is in the body. */
  function picker(desk) {
    const open = document.getElementById("insert-picture");
    const dialog = document.getElementById("picture-picker");
    const body = document.getElementById("id_body");
    if (!open || !dialog || !body) return;
    const search = document.getElementById("picker-search");
    const results = document.getElementById("picker-results");
    let cursor = 0;

    function load() {
      const url = `${desk.dataset.picturesUrl}?q=${encodeURIComponent(search.value)}`;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => response.json())
        .then((json) => {
          results.replaceChildren();
          (json.pictures || []).forEach((picture) => {
            const item = document.createElement("li");
            const button = document.createElement("button");
            button.type = "button";
            button.className = "desk-picker__choice";
            button.dataset.block = picture.block;
            if (picture.thumbnail) {
              const img = document.createElement("img");
              img.src = picture.thumbnail;
              img.alt = "";
              img.width = 80;
              button.appendChild(img);
            }
            const label = document.createElement("span");
            label.textContent = `#${picture.id}: ${picture.alt}`;
            button.appendChild(label);
            item.appendChild(button);
            results.appendChild(item);
          });
          if (!results.children.length) {
            const item = document.createElement("li");
            item.textContent = "No pictures found.";
            results.appendChild(item);
          }
        });
    }
    open.addEventListener("click", () => {
      cursor = body.selectionStart || body.value.length;
      dialog.showModal();
      search.focus();
      load();
    });
    search.addEventListener("input", debounce(250, load));
    results.addEventListener("click", (event) => {
      const choice = event.target.closest(".desk-picker__choice");
      if (!choice) return;
      const before = body.value.slice(0, cursor).replace(/\s*$/, "");
      const after = body.value.slice(cursor).replace(/^\s*/, "");
      const block = choice.dataset.block;
      body.value = (before ? before + "\n\n" : "") + block + "\n\n" + after;
      const end = (before ? before.length + 2 : 0) + block.length;
      dialog.close();
      body.focus();
      body.setSelectionRange(end, end);
      body.dispatchEvent(new Event("input", { bubbles: true }));
    });
    document.getElementById("picker-close").addEventListener("click", () => dialog.close());
  }

  function selectOnFocus() {
    document.querySelectorAll(".desk-select-on-focus").forEach((input) => {
      input.addEventListener("focus", () => input.select());
    });
  }

  function start() {
    const desk = document.getElementById("desk");
    counters();
    slugAddress();
    livePreview();
    bylines();
    notes();
    selectOnFocus();
    if (desk) {
      autosave(desk);
      presence(desk);
      picker(desk);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

/*
 * The application form (templates/grants/apply/step_base.html): nothing typed is lost.
 *
 * - Autosave: a few seconds after typing stops, and when the page is hidden or left, the step's
 *   form is posted to its autosave address (data-autosave-url), which saves the fields that
 *   validate and answers {saved: [...], errors: {...}, saved_at: "14:32"}.
 * - A copy in the browser: until the server has saved it, what is typed is kept in localStorage
 *   (data-storage-key) and offered again when the page is opened, e.g. after the session expired.
 * - A warning before leaving the page only when something is not saved.
 * - The budget: "add a line" by cloning the formset's empty row, and the totals and the amount
 *   applied for computed as you type.
 * Without this script the form still works: every button saves, and the budget has empty lines.
 */
(function () {
  "use strict";

  var SAVE_DELAY_MS = 3000;
  var TOTALS_DELAY_MS = 400;
  var SKIPPED_FIELDS = ["csrfmiddlewaretoken", "action"];
  var lang = document.documentElement.lang === "en" ? "en-GB" : "sv-SE";
  var strings = readStrings();

  function readStrings() {
    var element = document.getElementById("application-form-strings");
    try {
      return element ? JSON.parse(element.textContent) : {};
    } catch (error) {
      return {};
    }
  }

  function text(key, values) {
    var result = strings[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      result = result.split("%(" + name + ")s").join(values[name]);
    });
    return result;
  }

  function formatTime(date) {
    return date.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
  }

  /* The form's values as [name, value] pairs, files and the buttons left out. */
  function entriesOf(form) {
    var entries = [];
    new FormData(form).forEach(function (value, name) {
      if (SKIPPED_FIELDS.indexOf(name) === -1 && typeof value === "string") {
        entries.push([name, value]);
      }
    });
    return entries;
  }

  function serialise(entries) {
    return JSON.stringify(entries);
  }

  /* Put [name, value] pairs back into the form: boxes ticked by value, other fields in order. */
  function applyEntries(form, entries) {
    var byName = {};
    entries.forEach(function (entry) {
      (byName[entry[0]] = byName[entry[0]] || []).push(entry[1]);
    });
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || SKIPPED_FIELDS.indexOf(element.name) !== -1 || element.type === "file") {
        return;
      }
      if (element.type === "submit" || element.type === "button") {
        return;
      }
      var values = byName[element.name] || [];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = values.indexOf(element.value) !== -1;
      } else if (element.tagName === "SELECT" && element.multiple) {
        Array.prototype.forEach.call(element.options, function (option) {
          option.selected = values.indexOf(option.value) !== -1;
        });
      } else {
        element.value = values.length ? values.shift() : "";
      }
    });
  }

  /* Budget: rows, totals and "add a line". */

  function parseAmount(value) {
    var cleaned = String(value || "")
      .replace(/[\s\u00a0\u202f\u2009]/g, "")
      .replace(/kr$/i, "")
      .replace(",", ".");
    var number = Number(cleaned);
    return cleaned === "" || !isFinite(number) ? 0 : number;
  }

  function formatAmount(number) {
    return new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(number);
  }

  function setUpBudget(form, onChange) {
    var budget = form.querySelector("[data-budget]");
    if (!budget) {
      return null;
    }
    var sections = Array.prototype.slice.call(budget.querySelectorAll("[data-budget-formset]"));
    var timer = null;

    function totalFormsInput(section) {
      return section.querySelector('input[name="' + section.dataset.budgetFormset + '-TOTAL_FORMS"]');
    }

    function addRow(section) {
      var total = totalFormsInput(section);
      var index = Number(total.value);
      var template = section.querySelector("template[data-empty-row]");
      var html = template.innerHTML
        .replace(/__prefix__/g, String(index))
        .replace(/__number__/g, String(index + 1));
      section.querySelector("[data-budget-rows]").insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var rows = section.querySelectorAll("[data-budget-row]");
      return rows[rows.length - 1];
    }

    function sum(section) {
      var total = 0;
      section.querySelectorAll("[data-budget-row]").forEach(function (row) {
        var removed = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
        var amount = row.querySelector('input[name$="-amount"]');
        if (amount && !(removed && removed.checked)) {
          total += parseAmount(amount.value);
        }
      });
      return Math.round(total * 100) / 100;
    }

    function updateTotals() {
      var totals = { cost: 0, income: 0 };
      sections.forEach(function (section) {
        totals[section.dataset.kind] = sum(section);
      });
      var requested = Math.round((totals.cost - totals.income) * 100) / 100;
      var shown = { cost: totals.cost, income: totals.income, requested: requested };
      Object.keys(shown).forEach(function (key) {
        var element = budget.querySelector('[data-total="' + key + '"]');
        if (element) {
          element.textContent = formatAmount(shown[key]);
        }
      });
      var min = Number(budget.dataset.min);
      var max = Number(budget.dataset.max);
      var share = Number(budget.dataset.share) || 0;
      var limitWarning = budget.querySelector("[data-limit-warning]");
      if (limitWarning) {
        limitWarning.hidden = !(requested > 0 && (requested < min || requested > max));
      }
      var shareWarning = budget.querySelector("[data-cofinancing-warning]");
      if (shareWarning) {
        shareWarning.hidden = !(share && totals.cost > 0 && totals.income < totals.cost * share - 0.005);
      }
    }

    function scheduleTotals() {
      window.clearTimeout(timer);
      timer = window.setTimeout(updateTotals, TOTALS_DELAY_MS);
    }

    sections.forEach(function (section) {
      var addRowParagraph = section.querySelector("[data-add-line-row]");
      var hint = section.querySelector("[data-no-js-hint]");
      if (addRowParagraph) {
        addRowParagraph.hidden = false;
      }
      if (hint) {
        hint.hidden = true;
      }
      var button = section.querySelector("[data-add-line]");
      if (button) {
        button.addEventListener("click", function () {
          var row = addRow(section);
          var first = row.querySelector("select, input");
          if (first) {
            first.focus();
          }
          onChange();
        });
      }
    });
    budget.addEventListener("input", scheduleTotals);
    budget.addEventListener("change", scheduleTotals);

    return {
      /* Make room for as many rows as a saved copy of the form holds. */
      ensureRows: function (entries) {
        sections.forEach(function (section) {
          var name = section.dataset.budgetFormset + "-TOTAL_FORMS";
          var wanted = 0;
          entries.forEach(function (entry) {
            if (entry[0] === name) {
              wanted = Number(entry[1]);
            }
          });
          while (Number(totalFormsInput(section).value) < wanted) {
            addRow(section);
          }
        });
      },
      updateTotals: updateTotals,
    };
  }

  /* Autosave and the copy in the browser. */

  function setUp(form) {
    var url = form.dataset.autosaveUrl;
    var storageKey = form.dataset.storageKey;
    var serverUpdated = Date.parse(form.dataset.serverUpdated || "") || 0;
    var status = form.querySelector("[data-autosave-status]");
    var csrfInput = form.querySelector('input[name="csrfmiddlewaretoken"]');
    var saveTimer = null;
    var submitting = false;
    var saving = false;
    var budget = setUpBudget(form, changed);
    var serverEntries = entriesOf(form);
    /* A form shown again with errors, or after a login, holds what the server has not saved. */
    var unsaved = form.hasAttribute("data-form-unsaved");
    var lastSaved = unsaved ? "" : serialise(serverEntries);

    function isDirty() {
      return serialise(entriesOf(form)) !== lastSaved;
    }

    function showStatus(message, link) {
      if (!status) {
        return;
      }
      status.textContent = message;
      if (link) {
        var anchor = document.createElement("a");
        anchor.href = link.href;
        anchor.textContent = link.text;
        status.appendChild(document.createTextNode(" "));
        status.appendChild(anchor);
      }
    }

    function storage() {
      try {
        return window.localStorage;
      } catch (error) {
        return null;
      }
    }

    function keepCopy() {
      var store = storage();
      if (!store) {
        return;
      }
      try {
        store.setItem(storageKey, JSON.stringify({ at: Date.now(), entries: entriesOf(form) }));
      } catch (error) {
        /* The browser's storage is full or off: the autosave still runs. */
      }
    }

    function readCopy() {
      var store = storage();
      if (!store) {
        return null;
      }
      try {
        var copy = JSON.parse(store.getItem(storageKey) || "null");
        return copy && Array.isArray(copy.entries) ? copy : null;
      } catch (error) {
        return null;
      }
    }

    function dropCopy() {
      var store = storage();
      if (store) {
        store.removeItem(storageKey);
      }
    }

    function labelOf(name) {
      var field = form.querySelector('[name="' + name + '"]');
      var label = field && field.id ? form.querySelector('label[for="' + field.id + '"]') : null;
      if (!label && field) {
        var fieldset = field.closest("fieldset");
        label = fieldset ? fieldset.querySelector("legend") : null;
      }
      return label ? label.textContent.trim() : name;
    }

    function save() {
      window.clearTimeout(saveTimer);
      if (saving || !isDirty()) {
        return;
      }
      saving = true;
      var snapshot = serialise(entriesOf(form));
      var body = new FormData(form);
      body.delete("action");
      showStatus(text("saving"));
      fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfInput ? csrfInput.value : "", Accept: "application/json" },
      })
        .then(function (response) {
          return response
            .json()
            .catch(function () {
              return {};
            })
            .then(function (answer) {
              return { response: response, answer: answer };
            });
        })
        .then(function (result) {
          var answer = result.answer;
          if (result.response.status === 401) {
            showStatus(text("loggedOut"), { href: answer.login_url || "/", text: text("logIn") });
            return;
          }
          if (!result.response.ok) {
            showStatus((answer.errors && answer.errors.__all__ && answer.errors.__all__[0]) || text("failed"));
            return;
          }
          var failed = Object.keys(answer.errors || {});
          if (!failed.length) {
            lastSaved = snapshot;
            if (!isDirty()) {
              dropCopy();
            }
            showStatus(text("saved", { time: answer.saved_at }));
          } else {
            var fields = failed
              .map(function (name) {
                return name === "__all__" ? answer.errors.__all__.join(" ") : labelOf(name);
              })
              .join(", ");
            showStatus(
              answer.saved_at
                ? text("savedExcept", { time: answer.saved_at, fields: fields })
                : text("notSaved", { fields: fields })
            );
          }
        })
        .catch(function () {
          showStatus(text("failed"));
        })
        .then(function () {
          saving = false;
        });
    }

    function changed() {
      keepCopy();
      window.clearTimeout(saveTimer);
      saveTimer = window.setTimeout(save, SAVE_DELAY_MS);
    }

    function saveOnLeaving() {
      if (submitting || !isDirty()) {
        return;
      }
      keepCopy();
      if (navigator.sendBeacon) {
        var body = new FormData(form);
        body.delete("action");
        navigator.sendBeacon(url, body);
      }
    }

    function offerCopy() {
      var copy = readCopy();
      if (!copy) {
        return;
      }
      if (serialise(copy.entries) === serialise(serverEntries)) {
        if (!unsaved) {
          dropCopy(); /* the server has what the copy holds */
        }
        return;
      }
      var newerOnServer = serverUpdated > copy.at;
      var notice = document.createElement("div");
      notice.className = "notice warning local-copy";
      notice.setAttribute("role", "status");
      var message = document.createElement("p");
      var when = formatTime(new Date(copy.at)) + " " + new Date(copy.at).toLocaleDateString(lang);
      message.textContent = text(newerOnServer ? "copyOlder" : "copyRestored", { time: when });
      notice.appendChild(message);
      var buttons = document.createElement("p");
      buttons.className = "button-row";
      notice.appendChild(buttons);

      function button(label, className, action) {
        var element = document.createElement("button");
        element.type = "button";
        element.className = className;
        element.textContent = label;
        element.addEventListener("click", action);
        buttons.appendChild(element);
        return element;
      }

      function restore() {
        if (budget) {
          budget.ensureRows(copy.entries);
        }
        applyEntries(form, copy.entries);
        if (budget) {
          budget.updateTotals();
        }
      }

      function discard() {
        applyEntries(form, serverEntries);
        if (budget) {
          budget.updateTotals();
        }
        dropCopy();
        message.textContent = text("discarded");
        buttons.remove();
      }

      if (newerOnServer) {
        button(text("restore"), "button secondary", function () {
          restore();
          message.textContent = text("copyRestored", { time: when });
          buttons.textContent = "";
          button(text("discard"), "button secondary", discard);
        });
        button(text("discard"), "button secondary", discard);
      } else {
        restore();
        button(text("discard"), "button secondary", discard);
      }
      form.parentNode.insertBefore(notice, form);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () {
      submitting = true;
      keepCopy();
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        saveOnLeaving();
      }
    });
    window.addEventListener("pagehide", saveOnLeaving);
    window.addEventListener("beforeunload", function (event) {
      if (!submitting && isDirty()) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        submitting = false; /* back from the browser's cache after a submit */
      }
    });
    offerCopy();
    if (unsaved) {
      keepCopy();
    }
  }

  document.querySelectorAll("form[data-autosave-url]").forEach(setUp);
})();

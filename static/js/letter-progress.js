/*
 * The decision letters of a recorded committee decision
 * (templates/casework/includes/committee_letters.html). While letters or the decision list are
 * being produced, ask deciding:committee_letters every 2 seconds how far they have come, and fill
 * in the progress, its labels, each case's letter link and the decision list's link without
 * reloading. Only milestones go to the status (aria-live="polite"): every letter produced, the
 * decision list produced, and otherwise how far they have come at most every 10 seconds. A failed
 * request waits longer before the next (up to 30 seconds); after 10 minutes, or when the session
 * has ended, the page stops asking and offers "Check again" (a reload), as it does without this
 * script.
 */
(function () {
  "use strict";

  var INTERVAL_MS = 2000;
  var LONGEST_INTERVAL_MS = 30000;
  var ANNOUNCE_EVERY_MS = 10000;
  var GIVE_UP_AFTER_MS = 10 * 60 * 1000;

  var section = document.getElementById("letters");
  var url = section && section.getAttribute("data-letters-url");
  var stringsNode = document.getElementById("letter-strings");
  if (!url || !stringsNode) {
    return;
  }
  var strings = JSON.parse(stringsNode.textContent);
  var progress = document.getElementById("letters-progress");
  var labels = document.querySelectorAll(".letters-label");
  var status = document.getElementById("letters-status");
  var checkAgain = document.getElementById("letters-check-again");
  var listState = document.getElementById("decision-list-state");
  var cells = {};
  section.querySelectorAll("[data-letter-case]").forEach(function (cell) {
    cells[cell.getAttribute("data-letter-case")] = cell;
  });

  var started = Date.now();
  var delay = INTERVAL_MS;
  var failing = false;
  var total = parseInt(progress.getAttribute("max"), 10) || 0;
  var announcedDone = parseInt(progress.getAttribute("value"), 10) || 0;
  var announcedAt = started;
  var lettersComplete = announcedDone >= total;
  var listProduced = !listState || listState.querySelector("a") !== null;

  // The page follows the letters itself; "Check again" comes back if it stops.
  if (checkAgain) {
    checkAgain.parentNode.hidden = true;
  }

  function announce(message) {
    status.textContent = message;
    announcedAt = Date.now();
  }

  function label(done) {
    return strings.label.replace("%(done)s", String(done));
  }

  function link(href, text) {
    var anchor = document.createElement("a");
    anchor.href = href;
    anchor.textContent = text;
    return anchor;
  }

  function showLetter(caseNumber, href) {
    var cell = cells[caseNumber];
    if (!cell || cell.querySelector("a")) {
      return;
    }
    var anchor = link(href, strings.open);
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " " + caseNumber;
    anchor.appendChild(hidden);
    cell.replaceChildren(anchor);
  }

  function update(data) {
    total = data.total;
    progress.max = data.total;
    progress.value = data.done;
    progress.textContent = label(data.done);
    labels.forEach(function (element) {
      element.textContent = label(data.done);
    });
    data.letters.forEach(function (letter) {
      if (letter.url) {
        showLetter(letter.case_number, letter.url);
      }
    });
    var milestones = [];
    if (data.complete && !lettersComplete) {
      lettersComplete = true;
      milestones.push(strings.all_done);
    }
    if (data.decision_list && !listProduced) {
      listProduced = true;
      listState.replaceChildren(link(data.decision_list, strings.decision_list));
      milestones.push(strings.decision_list_done);
    }
    if (milestones.length) {
      announcedDone = data.done;
      announce(milestones.join(" "));
    } else if (
      data.done !== announcedDone &&
      !lettersComplete &&
      Date.now() - announcedAt >= ANNOUNCE_EVERY_MS
    ) {
      announcedDone = data.done;
      announce(label(data.done));
    }
  }

  function stop(message) {
    if (checkAgain) {
      checkAgain.parentNode.hidden = false;
    }
    status.classList.remove("visually-hidden");
    announce(message);
  }

  function finish() {
    if (checkAgain) {
      checkAgain.parentNode.remove();
    }
  }

  function schedule() {
    if (Date.now() - started >= GIVE_UP_AFTER_MS) {
      stop(strings.stopped);
      return;
    }
    window.setTimeout(poll, delay);
  }

  function poll() {
    // A tab in the background need not ask; it catches up when it is looked at again.
    if (document.hidden) {
      schedule();
      return;
    }
    fetch(url, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    })
      .then(function (response) {
        // Sent to the login page (the session ended) or refused: asking again will not help.
        if (response.redirected || response.status === 403 || response.status === 404) {
          return null;
        }
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(
        function (data) {
          if (data === null) {
            stop(strings.stopped);
            return;
          }
          delay = INTERVAL_MS;
          failing = false;
          update(data);
          if (data.complete && data.decision_list) {
            finish();
          } else {
            schedule();
          }
        },
        function () {
          delay = Math.min(delay * 2, LONGEST_INTERVAL_MS);
          if (!failing) {
            failing = true;
            announce(strings.retrying);
          }
          schedule();
        }
      );
  }

  schedule();
})();

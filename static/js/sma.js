/*
 * SMA front-end helpers. No dependencies; loaded with `defer` from templates/base.html.
 * Everything here is an enhancement: every page works without JavaScript.
 */
(function () {
  "use strict";

  // Selects marked data-sma-autosubmit submit their form on change (the language switcher).
  // Their plain submit button, the no-JS fallback, is then hidden.
  function initAutosubmit(root) {
    root.querySelectorAll("select[data-sma-autosubmit]").forEach(function (select) {
      if (select.dataset.smaReady) {
        return;
      }
      select.dataset.smaReady = "1";
      var form = select.form;
      if (!form) {
        return;
      }
      form.querySelectorAll("[data-sma-autosubmit-fallback]").forEach(function (button) {
        button.classList.add("visually-hidden");
      });
      select.addEventListener("change", function () {
        if (typeof form.requestSubmit === "function") {
          form.requestSubmit();
        } else {
          form.submit();
        }
      });
    });
  }

  // Forms that change something carry a one-time token ({% form_token %}); they, and forms marked
  // data-sma-once, disable their submit buttons once sent. The server makes one change per token
  // anyway: this only spares the user a second wait.
  function isOnce(form) {
    return form instanceof HTMLFormElement && (
      form.hasAttribute("data-sma-once") || form.querySelector("input[name=_form_token]") !== null
    );
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!isOnce(form)) {
      return;
    }
    if (form.dataset.smaSubmitted) {
      event.preventDefault();
      return;
    }
    form.dataset.smaSubmitted = "1";
    // Disable after the submission has been built, so a named button still sends its value.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
        button.disabled = true;
        button.setAttribute("aria-disabled", "true");
      });
    }, 0);
  });

  // Coming back with the browser's back button may restore a page from the bfcache with its
  // buttons still disabled.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll("form").forEach(function (form) {
      if (!isOnce(form)) {
        return;
      }
      delete form.dataset.smaSubmitted;
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
        button.disabled = false;
        button.removeAttribute("aria-disabled");
      });
    });
  });

  function init(root) {
    initAutosubmit(root);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }

  // Content swapped in by htmx gets the same treatment.
  document.addEventListener("htmx:load", function (event) {
    init(event.target);
  });

  // Canned replies: a select marked data-sma-canned="<textarea id>" inserts the chosen reply
  // (already filled in by the server) at the textarea's cursor, then goes back to its prompt.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.dataset.smaCanned) {
      return;
    }
    var option = select.options[select.selectedIndex];
    var area = document.getElementById(select.dataset.smaCanned);
    if (!option || !option.value || !area) {
      return;
    }
    var text = option.getAttribute("data-text") || "";
    var start = typeof area.selectionStart === "number" ? area.selectionStart : area.value.length;
    var end = typeof area.selectionEnd === "number" ? area.selectionEnd : area.value.length;
    area.value = area.value.slice(0, start) + text + area.value.slice(end);
    area.focus();
    area.selectionStart = area.selectionEnd = start + text.length;
    select.value = "";
  });
})();

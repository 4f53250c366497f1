/* A submit button marked data-once is disabled once its form is sent, so a double tap sends
   one request. The server is idempotent anyway (a one-time token); this only saves a trip. */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("button[data-once]"), function (button) {
    var form = button.form;
    if (!form) return;
    form.addEventListener("submit", function () {
      window.setTimeout(function () { button.disabled = true; }, 0);
    });
  });
})();

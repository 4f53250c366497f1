/* Checks a GB 11643 ID number as it is typed: the same rules and messages as the server
   (sunshine.core.ids / families.idcheck), shown beside the field. The server decides. */
(function (root) {
  "use strict";
  var WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var CHECK = "10X98765432";  // check character for (sum mod 11) = 0..10

  // The kind of mistake in a normalised number, or null when it is valid.
  function problem(v) {
    if (!v) return "empty";
    if (v.length !== 18) return "length";
    if (!/^[0-9]{17}[0-9X]$/.test(v)) return "digits";
    var y = +v.slice(6, 10), m = +v.slice(10, 12), d = +v.slice(12, 14);
    var date = new Date(Date.UTC(2000, m - 1, d));  // a leap year, then the real one below
    date.setUTCFullYear(y);
    if (y < 1 || m < 1 || m > 12 || d < 1 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
      return "date";
    }
    var sum = 0;
    for (var i = 0; i < 17; i++) sum += (+v[i]) * WEIGHTS[i];
    if (CHECK[sum % 11] !== v[17]) return "check";
    return null;
  }
  root.sunshineIdProblem = problem;  // for the parity test against the server's rules

  var labelsNode = root.document && root.document.getElementById("idcheck-labels");
  if (!labelsNode) return;
  var L = JSON.parse(labelsNode.textContent);

  function message(v) {
    var p = problem(v);
    if (!p) return null;
    return p === "length" ? L.length.replace("%(n)s", String(v.length)) : L[p];
  }

  function describe(v) {
    var gender = (+v[16]) % 2 ? L.male : L.female;
    return L.ok + " · " + L.born + " " + v.slice(6, 10) + "-" + v.slice(10, 12) + "-" +
      v.slice(12, 14) + " · " + gender;
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-idcheck]"), function (input) {
    var out = document.getElementById("idcheck-" + input.name);
    if (!out) return;
    input.setAttribute("aria-describedby", out.id);
    function check(final) {
      var v = input.value.replace(/\s+/g, "").toUpperCase();
      if (!v && !final) { out.textContent = ""; out.className = "idcheck"; return; }
      // While typing, stay quiet until the number is complete, then say what is wrong.
      if (!final && v.length < 18 && /^[0-9]*$/.test(v)) { out.textContent = ""; return; }
      var p = message(v);
      out.textContent = p || describe(v);
      out.className = "idcheck " + (p ? "bad" : "ok");
      input.setAttribute("aria-invalid", p ? "true" : "false");
    }
    input.addEventListener("input", function () { check(false); });
    input.addEventListener("blur", function () { check(input.value !== ""); });
    if (input.value) check(true);
  });
})(typeof window !== "undefined" ? window : globalThis);

// German numbers as the server reads them: the rule of kimportal/numbers.py (see its docstring), for live
// sums in the browser. tests/test_number_parsing.py runs both on the same inputs and expects the same answer.
//   kimportalNumbers.parse("1.141.046,80", 2) -> "1141046.80"   (a canonical decimal string)
//   kimportalNumbers.parse("1.141.046.80", 2) -> null            (refused, as the server refuses it)
// Plain JavaScript, no framework; loadable in a page (window.kimportalNumbers) and in Node (module.exports).
(function (root) {
  "use strict";
  var TRIM = /^[ \t\r\n\u00a0\u202f]+|[ \t\r\n\u00a0\u202f]+$/g;
  var DIGITS = /^[0-9]+$/;
  var LEAD_GROUP = /^[1-9][0-9]{0,2}$/;
  var GERMAN = /^([0-9]+|[1-9][0-9]{0,2}([. \u00a0\u202f])[0-9]{3}(?:\2[0-9]{3})*)?(?:,([0-9]+))?$/;
  var NUMBER_LIKE = /^[0-9., \u00a0\u202f]*[0-9][0-9., \u00a0\u202f]*$/;
  var SEPARATORS = /[. \u00a0\u202f]/g;

  // [integer digits, decimal digits] of an unsigned number, or null where the server refuses it.
  function read(body, places) {
    if (body.indexOf(",") < 0 && body.split(".").length === 2) {
      var parts = body.split(".");
      var whole = parts[0], frac = parts[1];
      if ((whole === "" || DIGITS.test(whole)) && DIGITS.test(frac)) {
        if (frac.length === 3 && LEAD_GROUP.test(whole)) {
          // 1.375: a thousands group where the field keeps fewer than three places, else ambiguous.
          return places === null || places >= 3 ? null : [whole + frac, ""];
        }
        return [whole || "0", frac];
      }
    }
    var match = GERMAN.exec(body);
    if (match && (match[1] || match[3])) {
      return [(match[1] || "0").replace(SEPARATORS, ""), match[3] || ""];
    }
    return null;
  }

  // The value of ``text`` as a decimal string ("-5.5", "0.375", "1375"), or null if it is refused.
  // places: the decimal places the field keeps (null: any); currency: a trailing "€" is allowed.
  function parse(text, places, currency) {
    if (places === undefined) { places = 2; }
    var body = String(text === null || text === undefined ? "" : text).replace(TRIM, "");
    if (currency && body.charAt(body.length - 1) === "€") { body = body.slice(0, -1).replace(TRIM, ""); }
    var negative = body.charAt(0) === "-" || body.charAt(0) === "\u2212";
    if (negative) { body = body.slice(1); }
    if (!NUMBER_LIKE.test(body)) { return null; }
    var parts = read(body, places);
    if (parts === null || (places !== null && parts[1].length > places)) { return null; }
    var whole = parts[0].replace(/^0+(?=[0-9])/, "");
    var value = parts[1] ? whole + "." + parts[1] : whole;
    return negative && /[1-9]/.test(value) ? "-" + value : value;
  }

  var api = { parse: parse };
  root.kimportalNumbers = api;
  if (typeof module !== "undefined" && module.exports) { module.exports = api; }
}(typeof window !== "undefined" ? window : globalThis));

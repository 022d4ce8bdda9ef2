// Palisade console, the one script of its own (served from /static, as the Content-Security-Policy requires):
// the live timeline keeps its newest 500 rows, so a page left open for days stays light. htmx's SSE extension
// inserts each new row at the top and then fires htmx:sseMessage on the table body.
(function () {
  'use strict';
  var MAX_ROWS = 500;
  document.addEventListener('htmx:sseMessage', function (event) {
    var body = event.target;
    if (!body || body.id !== 'timeline') {
      return;
    }
    while (body.rows.length > MAX_ROWS) {
      body.deleteRow(body.rows.length - 1);
    }
  });
})();

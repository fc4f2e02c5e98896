  // Collects script errors into <html data-errors="[...]"> and shows them, so a broken plot is visible
  // (and a headless browser can read them back).
  (function () {
    var errors = [];
    function show() {
      var box = document.getElementById('errors');
      if (box) box.textContent = 'The plot could not be drawn:\n' + errors.join('\n');
    }
    function record(message) {
      errors.push(String(message));
      document.documentElement.setAttribute('data-errors', JSON.stringify(errors));
      show();
    }
    window.addEventListener('error', function (e) { record(e.message || e); });
    window.addEventListener('unhandledrejection', function (e) {
      record('unhandled rejection: ' + (e.reason && e.reason.message ? e.reason.message : e.reason));
    });
    document.addEventListener('DOMContentLoaded', function () { if (errors.length) show(); });
    window.panoptimRecordError = record;
  })();

// kitgen preview: reload this page when the server announces another version of the project's files.
(function () {
  "use strict";
  var version = document.documentElement.getAttribute("data-kitgen-version");
  var source = new EventSource("/_kitgen/events");
  source.onmessage = function (event) {
    if (event.data && event.data !== version) {
      source.close();
      window.location.reload();
    }
  };
})();

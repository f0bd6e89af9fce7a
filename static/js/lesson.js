// A lesson's reports: the view once the page has loaded (reading the page writes
// nothing on the server), then the reading time: while the page is visible, the
// seconds spent every 30 s, and the remainder when the learner leaves. The server caps
// each beat.
(function () {
    "use strict";
    var script = document.currentScript;
    var url = script && script.dataset.heartbeatUrl;
    var tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");
    var cookie = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    var token = (script && script.dataset.csrfToken) ||
        (tokenInput ? tokenInput.value : (cookie ? decodeURIComponent(cookie[1]) : ""));
    if (!url || !token) { return; }
    var since = Date.now();
    function send(useBeacon) {
        var seconds = Math.round((Date.now() - since) / 1000);
        since = Date.now();
        if (seconds < 1 || document.visibilityState === "hidden" && !useBeacon) { return; }
        var body = new FormData();
        body.append("seconds", String(seconds));
        body.append("csrfmiddlewaretoken", token);
        if (useBeacon && navigator.sendBeacon) {
            navigator.sendBeacon(url, body);
        } else {
            fetch(url, { method: "POST", body: body, credentials: "same-origin" });
        }
    }
    var view = new FormData();
    view.append("view", "1");
    view.append("csrfmiddlewaretoken", token);
    fetch(url, { method: "POST", body: view, credentials: "same-origin", keepalive: true });
    setInterval(function () { if (document.visibilityState === "visible") { send(false); } }, 30000);
    document.addEventListener("visibilitychange", function () {
        if (document.visibilityState === "hidden") { send(true); } else { since = Date.now(); }
    });
})();

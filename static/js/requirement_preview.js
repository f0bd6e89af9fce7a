// Requirement form "Preview": post the unsaved form to the preview endpoint (the
// button's data-requirement-preview-url) and show, next to the button, how many people
// the rule would assign, due soon and overdue (with a warning when the course's
// capacity is below that number) and which renewal basis applies with example dates,
// or what to correct first.
(function () {
    "use strict";

    function show(output, body, ok) {
        output.replaceChildren();
        output.classList.toggle("help-block", !ok);
        output.classList.toggle("help-critical", !ok);
        var message = document.createElement("p");
        message.className = "w-my-0";
        message.textContent = body.message || "The preview could not be worked out.";
        output.append(message);
        if (ok && body.warning) {
            var warning = document.createElement("p");
            warning.className = "help-block help-warning w-mt-2 w-mb-0";
            warning.dataset.requirementPreviewWarning = "";
            warning.textContent = "Warning: " + body.warning;
            output.append(warning);
        }
        if (ok && body.renewal) {
            var renewal = document.createElement("p");
            renewal.className = "w-mt-2 w-mb-0";
            renewal.dataset.requirementPreviewRenewal = "";
            renewal.textContent = body.renewal.text;
            output.append(renewal);
            if (Array.isArray(body.renewal.steps) && body.renewal.steps.length) {
                var steps = document.createElement("ul");
                body.renewal.steps.forEach(function (step) {
                    var item = document.createElement("li");
                    item.textContent = step.text;
                    steps.append(item);
                });
                output.append(steps);
            }
        }
        if (!ok && Array.isArray(body.errors)) {
            var list = document.createElement("ul");
            body.errors.forEach(function (error) {
                var item = document.createElement("li");
                item.textContent = (error.label ? error.label + ": " : "") + error.messages.join(" ");
                list.append(item);
            });
            output.append(list);
        }
    }

    function preview(button, output) {
        var data = new FormData(button.form || button.closest("form"));
        button.disabled = true;
        output.textContent = "Working it out…";
        fetch(button.dataset.requirementPreviewUrl, {
            method: "POST",
            body: data,
            credentials: "same-origin",
            headers: {
                "Accept": "application/json",
                "X-CSRFToken": data.get("csrfmiddlewaretoken") || "",
                "X-Requested-With": "XMLHttpRequest",
            },
        })
            .then(function (response) {
                return response.json().then(
                    function (body) { show(output, body, response.ok); },
                    function () {
                        show(output, { message: "The preview could not be worked out (" + response.status + ")." }, false);
                    }
                );
            })
            .catch(function () {
                show(output, { message: "The preview could not be reached. Try again." }, false);
            })
            .finally(function () { button.disabled = false; });
    }

    function init() {
        var button = document.querySelector("[data-requirement-preview-url]");
        if (!button) { return; }
        var output = document.getElementById(button.getAttribute("aria-controls"));
        button.addEventListener("click", function () { preview(button, output); });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();

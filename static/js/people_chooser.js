// compliance.widgets.PeopleChooser: "Add people" opens the people chooser (Wagtail's
// chooser modal, with ?multiple=1 so people are ticked and confirmed together) and
// adds a row with a hidden input for each person not chosen yet; "Remove" takes a row
// away. The modal's own steps (search, pages, "Confirm selection") are Wagtail's
// CHOOSER_MODAL_ONLOAD_HANDLERS; its "chosen" answer is a list of
// {id, title, email, username}.
(function () {
    "use strict";

    function rows(widget) {
        return widget.querySelectorAll("[data-people-chooser-person]");
    }

    function updateCount(widget) {
        var count = rows(widget).length;
        var text = count === 0
            ? "Nobody chosen individually."
            : count + (count === 1 ? " person" : " people") + " chosen.";
        widget.querySelector("[data-people-chooser-count]").textContent = text;
    }

    function addPerson(widget, person) {
        var id = String(person.id);
        var known = Array.prototype.some.call(rows(widget), function (row) {
            return row.dataset.peopleChooserPerson === id;
        });
        if (known) { return; }
        var row = widget.querySelector("template[data-people-chooser-row]")
            .content.firstElementChild.cloneNode(true);
        row.dataset.peopleChooserPerson = id;
        row.querySelector("input").value = id;
        row.querySelector("[data-people-chooser-title]").textContent = person.title;
        row.querySelector("[data-people-chooser-email]").textContent = person.email || "";
        row.querySelector("[data-people-chooser-remove-name]").textContent = " " + person.title;
        widget.querySelector("[data-people-chooser-list]").append(row);
    }

    function openChooser(widget) {
        // eslint-disable-next-line no-undef
        ModalWorkflow({
            url: widget.dataset.peopleChooserUrl,
            urlParams: { multiple: 1 },
            onload: window.CHOOSER_MODAL_ONLOAD_HANDLERS,
            responses: {
                chosen: function (result) {
                    (Array.isArray(result) ? result : [result]).forEach(function (person) {
                        addPerson(widget, person);
                    });
                    updateCount(widget);
                    widget.querySelector("[data-people-chooser-add]").focus();
                },
            },
        });
    }

    function init(widget) {
        widget.addEventListener("click", function (event) {
            var remove = event.target.closest("[data-people-chooser-remove]");
            if (remove) {
                remove.closest("[data-people-chooser-person]").remove();
                updateCount(widget);
                widget.querySelector("[data-people-chooser-add]").focus();
            } else if (event.target.closest("[data-people-chooser-add]")) {
                openChooser(widget);
            }
        });
    }

    function initAll() {
        document.querySelectorAll("[data-people-chooser]").forEach(init);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", initAll);
    } else {
        initAll();
    }
})();

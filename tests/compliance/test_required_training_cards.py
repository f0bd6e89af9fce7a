"""The "Required training" panel's cards, built in Python
(``compliance.dashboard.required_training_cards``): the badge and date for each status,
the call to action, and that names, descriptions and course titles are escaped."""

from datetime import date

from compliance.dashboard import RequiredTrainingItem, required_training_cards
from compliance.models import Assignment, TrainingRequirement
from compliance.scheduling import Status

HOSTILE = 'Q&A <script>alert("x")</script>'
ESCAPED = "Q&amp;A &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def item(status: Status, action: str, **overrides) -> RequiredTrainingItem:
    """An item on an unsaved requirement named and described :data:`HOSTILE`, for a
    course titled :data:`HOSTILE`."""
    requirement = TrainingRequirement(name=HOSTILE, description=f"About {HOSTILE}")
    fields = {
        "assignment": Assignment(requirement=requirement),
        "status": status,
        "date_label": "Due",
        "date": date(2026, 10, 31),
        "action": action,
        "course_title": HOSTILE,
        "course_url": "/courses/q-and-a/?from=dashboard&x=1",
        **overrides,
    }
    return RequiredTrainingItem(**fields)


class TestRequiredTrainingCards:
    def test_names_descriptions_titles_and_urls_are_escaped(self):
        html = required_training_cards([item(Status.NOT_STARTED, "Start")])
        assert "<script>" not in html
        assert f"<h3>{ESCAPED}</h3>" in html
        assert f'<p class="muted">About {ESCAPED}</p>' in html
        url = "/courses/q-and-a/?from=dashboard&amp;x=1"
        assert f'Course: <a href="{url}">{ESCAPED}</a>' in html
        assert (
            f'<a class="button button--small" href="{url}">Start'
            f'<span class="visually-hidden">: {ESCAPED}</span></a>'
        ) in html

    def test_status_badge_and_dated_label(self):
        html = required_training_cards(
            [item(Status.OVERDUE, "Start", date_label="Was due", date=date(2026, 8, 1))]
        )
        assert '<span class="badge badge--overdue">Overdue</span>' in html
        assert 'Was due <time datetime="2026-08-01">1 Aug 2026</time>' in html

    def test_no_date_for_an_exemption_and_only_view(self):
        html = required_training_cards([item(Status.EXEMPT, "View", date_label="", date=None)])
        assert '<span class="badge badge--exempt">Exempt</span>' in html
        assert "<time" not in html
        assert 'class="button button--secondary button--small"' in html
        assert ">View the course<" in html

    def test_due_soon_badge_class_uses_hyphens(self):
        html = required_training_cards([item(Status.DUE_SOON, "Continue")])
        assert '<span class="badge badge--due-soon">Due soon</span>' in html
        assert ">Continue<span" in html

    def test_a_waiting_request_says_what_it_waits_for(self):
        approval = required_training_cards([item(Status.NOT_STARTED, "Awaiting approval")])
        assert '<span class="badge badge--pending">Awaiting approval</span>' in approval
        assert "waiting for an instructor's approval." in approval
        assert 'class="button' not in approval
        place = required_training_cards([item(Status.NOT_STARTED, "On the waitlist")])
        assert "waiting for a place." in place

    def test_no_description_paragraph_without_one(self):
        plain = item(Status.NOT_STARTED, "Start")
        plain.requirement.description = ""
        html = required_training_cards([plain])
        assert html.count('<p class="muted">') == 1  # the course line only

    def test_one_card_per_item_in_order(self):
        first = item(Status.OVERDUE, "Start")
        second = item(Status.COMPLIANT, "View", course_title="Second")
        html = required_training_cards([first, second])
        assert html.count('<li class="enrolment-card required-training__item">') == 2
        assert html.index("Overdue") < html.index("Compliant")

from django.apps import AppConfig


class LearnerConfig(AppConfig):
    """Enrolments, lesson progress, quiz attempts and the learner dashboard.

    Attaches to the content apps from the outside: a ``before_serve_page`` hook guards
    lessons, template tags add the enrol panel and outline ticks, and its own URLs take
    enrolments, completions and quiz submissions.
    """

    name = "learner"

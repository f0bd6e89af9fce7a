"""The front end's actions: learning, the calendar feed, and the password forms of
Wagtail's private pages and documents (accounts and sign-in are in ``identity.py``)."""

from tests.learner.factories import PASSWORD, answer_key

from ..conftest import ANONYMOUS, LEARNER, World
from ..world_urls import ME_ENROLLMENT, QUIZ, READING, rev
from .action import Action


def quiz_answers(world: World) -> dict:
    lesson = world.small.quiz_lesson
    return {**answer_key(lesson), "submission_token": "6f1c3a5e-1d2b-4c3d-8e9f-0a1b2c3d4e5f"}


FRONT_END_ACTIONS = [
    Action(
        key="learner:enrol",
        label="enrol",
        role=LEARNER,
        url=rev("learner:enrol", lambda w: w.elsewhere.pk),
        changes="learner.enrollment",
    ),
    Action(
        key="learner:withdraw",
        label="withdraw",
        role=LEARNER,
        url=rev("learner:withdraw", ME_ENROLLMENT),
        changes="learner.enrollment",
    ),
    Action(
        key="learner:complete",
        label="complete",
        role=LEARNER,
        url=rev("learner:complete", READING),
        changes="learner.lessonprogress",
    ),
    Action(
        key="learner:submit_quiz",
        label="submit-quiz",
        role=LEARNER,
        url=rev("learner:submit_quiz", QUIZ),
        data=quiz_answers,
        changes="learner.quizattempt",
    ),
    Action(
        key="learner:heartbeat",
        label="heartbeat",
        role=LEARNER,
        url=rev("learner:heartbeat", READING),
        data=lambda w: {"seconds": "30"},
        changes="learner.lessonprogress",
    ),
    Action(
        key="compliance:calendar_regenerate",
        label="calendar-regenerate",
        role=LEARNER,
        url=rev("compliance:calendar_regenerate"),
        changes="compliance.calendarfeed",
    ),
    Action(
        key="wagtaildocs_authenticate_with_password",
        label="document-password",
        role=ANONYMOUS,
        url=rev("wagtaildocs_authenticate_with_password", lambda w: w.collection_restriction.pk),
        data=lambda w: {"password": "private-files", "return_url": "/"},
        get_status=200,
    ),
    Action(
        key="wagtailcore_authenticate_with_password",
        label="page-password",
        role=ANONYMOUS,
        url=rev(
            "wagtailcore_authenticate_with_password",
            lambda w: w.page_restriction.pk,
            lambda w: w.page_restriction.page_id,
        ),
        data=lambda w: {"password": "board-members-only", "return_url": "/"},
        get_status=200,
    ),
    Action(
        key="wagtailcore_login",
        label="page-login",
        role=ANONYMOUS,
        url=rev("wagtailcore_login"),
        data=lambda w: {"username": w.me.user.username, "password": PASSWORD},
        get_status=200,
        changes="auth.user",
    ),
]

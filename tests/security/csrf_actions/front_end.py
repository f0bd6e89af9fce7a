"""The front end's actions: accounts, learning, the calendar feed, and the password
forms of Wagtail's private pages and documents."""

from django.test import Client
from django.urls import reverse

from tests.learner.factories import PASSWORD, answer_key

from ..conftest import ANONYMOUS, LEARNER, World, reset_token_kwargs
from ..world_urls import ME_ENROLLMENT, QUIZ, READING, rev
from .action import NEW_PASSWORD, Action, password_change_form


def open_reset_link(client: Client, world: World) -> None:
    """Django moves the reset token from the link into the session, then shows the form
    at ``.../set-password/``."""
    client.get(reverse("password_reset_confirm", kwargs=reset_token_kwargs(world.other.user)))


def quiz_answers(world: World) -> dict:
    lesson = world.small.quiz_lesson
    return {**answer_key(lesson), "submission_token": "6f1c3a5e-1d2b-4c3d-8e9f-0a1b2c3d4e5f"}


FRONT_END_ACTIONS = [
    Action(
        key="signup",
        label="signup",
        role=ANONYMOUS,
        url=rev("signup"),
        data=lambda w: {
            "username": "newcomer",
            "first_name": "New",
            "last_name": "Comer",
            "email": "newcomer@example.com",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        get_status=200,
        changes="auth.user",
    ),
    Action(
        key="login",
        label="login",
        role=ANONYMOUS,
        url=rev("login"),
        data=lambda w: {"username": w.me.user.username, "password": PASSWORD},
        get_status=200,
        changes="auth.user",
    ),
    Action(key="logout", label="logout", role=LEARNER, url=rev("logout")),
    Action(
        key="password_change",
        label="password-change",
        role=LEARNER,
        url=rev("password_change"),
        data=password_change_form,
        get_status=200,
        changes="auth.user",
    ),
    Action(
        key="password_reset",
        label="password-reset",
        role=ANONYMOUS,
        url=rev("password_reset"),
        data=lambda w: {"email": w.other.user.email},
        get_status=200,
    ),
    Action(
        key="password_reset_confirm",
        label="password-reset-set-password",
        role=ANONYMOUS,
        url=lambda w: reverse(
            "password_reset_confirm",
            kwargs={**reset_token_kwargs(w.other.user), "token": "set-password"},
        ),
        data=lambda w: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        get_status=200,
        prepare=open_reset_link,
        changes="auth.user",
    ),
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

"""The front end: health, learning, required training, certificates, documents and
Wagtail's pages (accounts and sign-in are in ``identity.py``)."""

from collections.abc import Callable

from django.urls import reverse

from ..conftest import World
from ..world_urls import (
    ME_ENROLLMENT,
    OTHER_ENROLLMENT,
    QUIZ,
    READING,
    course_url,
    page_url,
    rev,
)
from .case import (
    LOGIN,
    NOT_FOUND,
    OK,
    POST_ONLY,
    Access,
    Case,
    Outcome,
    every,
    redirect,
    signed_in,
)


def first_unfinished_lesson(world: World) -> str:
    return world.small.reading.url


def to_the_course(get_course: Callable[[World], str]) -> Outcome:
    """Lessons send those who may not read them to their course's page."""
    return redirect(get_course, "course page")


#: A learner's own attempt or certificate: the learner, and the course's staff (the
#: instructor role instructs the course; superusers); compliance admins are not staff.
HOLDER_AND_COURSE_STAFF = Access(
    anonymous=LOGIN,
    learner=OK,
    instructor=OK,
    compliance_admin=NOT_FOUND,
    superuser=OK,
)
#: Another learner's attempt or certificate: the course's staff only.
COURSE_STAFF_ONLY = HOLDER_AND_COURSE_STAFF.but(learner=NOT_FOUND)

FRONT_END = [
    Case(key="health", label="health-ready", url=rev("health"), access=every(OK)),
    Case(key="health-live", label="health-live", url=rev("health-live"), access=every(OK)),
    Case(
        key="health/live/",
        label="health-live-slash",
        url=lambda w: "/health/live/",
        access=every(OK),
    ),
    # Learning.
    Case(
        key="learner:dashboard",
        label="dashboard",
        url=rev("learner:dashboard"),
        access=signed_in(),
    ),
    Case(
        key="learner:enrol",
        label="enrol",
        url=rev("learner:enrol", lambda w: w.elsewhere.pk),
        access=signed_in(POST_ONLY),
    ),
    Case(
        key="learner:withdraw",
        label="withdraw",
        url=rev("learner:withdraw", ME_ENROLLMENT),
        access=signed_in(POST_ONLY),
    ),
    Case(
        key="learner:continue",
        label="continue-own",
        url=rev("learner:continue", ME_ENROLLMENT),
        access=Access(
            anonymous=LOGIN,
            learner=redirect(first_unfinished_lesson, "next lesson"),
            instructor=NOT_FOUND,
            compliance_admin=NOT_FOUND,
            superuser=NOT_FOUND,
        ),
    ),
    Case(
        key="learner:continue",
        label="continue-someone-elses",
        url=rev("learner:continue", OTHER_ENROLLMENT),
        access=signed_in(NOT_FOUND),
    ),
    Case(
        key="learner:course_complete",
        label="course-complete-not-yet",
        url=rev("learner:course_complete", ME_ENROLLMENT),
        access=signed_in(NOT_FOUND),
        note="Only the learner's own completed enrolment (tests/learner/test_course_complete).",
    ),
    Case(
        key="learner:course_complete",
        label="course-complete-someone-elses",
        url=rev("learner:course_complete", OTHER_ENROLLMENT),
        access=signed_in(NOT_FOUND),
    ),
    Case(
        key="learner:complete",
        label="complete",
        url=rev("learner:complete", READING),
        access=signed_in(POST_ONLY),
    ),
    Case(
        key="learner:submit_quiz",
        label="submit-quiz",
        url=rev("learner:submit_quiz", QUIZ),
        access=signed_in(POST_ONLY),
    ),
    Case(
        key="learner:heartbeat",
        label="heartbeat",
        url=rev("learner:heartbeat", READING),
        access=signed_in(POST_ONLY),
    ),
    Case(
        key="learner:attempt",
        label="attempt-own",
        url=rev("learner:attempt", lambda w: w.me.attempt.pk),
        access=HOLDER_AND_COURSE_STAFF,
        note="Editors of the lesson (instructors, superusers) review attempts.",
    ),
    Case(
        key="learner:attempt",
        label="attempt-someone-elses",
        url=rev("learner:attempt", lambda w: w.other.attempt.pk),
        access=COURSE_STAFF_ONLY,
    ),
    # Required training: the calendar feed's token is its own credential.
    Case(
        key="compliance:calendar",
        label="calendar",
        url=rev("compliance:calendar"),
        access=signed_in(),
    ),
    Case(
        key="compliance:calendar_regenerate",
        label="calendar-regenerate",
        url=rev("compliance:calendar_regenerate"),
        access=signed_in(POST_ONLY),
    ),
    Case(
        key="compliance:calendar_feed",
        label="calendar-feed",
        url=lambda w: reverse("compliance:calendar_feed", kwargs={"token": w.me.feed.token}),
        access=every(OK),
        note="Calendar apps cannot sign in: the unguessable token is the secret.",
    ),
    Case(
        key="compliance:calendar_feed",
        label="calendar-feed-unknown-token",
        url=lambda w: reverse("compliance:calendar_feed", kwargs={"token": "x" * 43}),
        access=every(NOT_FOUND),
    ),
    # Certificates.
    Case(
        key="certificates:list",
        label="certificates",
        url=rev("certificates:list"),
        access=signed_in(),
    ),
    Case(
        key="certificates:verify_form",
        label="verify-form",
        url=rev("certificates:verify_form"),
        access=every(OK),
    ),
    Case(
        key="certificates:verify",
        label="verify",
        url=lambda w: reverse("certificates:verify", args=[w.me.certificate.verification_code]),
        access=every(OK),
        note="Public by design: holder, course and dates only.",
    ),
    Case(
        key="certificates:verify",
        label="verify-unknown-code",
        url=rev("certificates:verify", "no-such-code"),
        access=every(NOT_FOUND),
    ),
    Case(
        key="certificates:download",
        label="download-own",
        url=lambda w: reverse("certificates:download", args=[w.me.certificate.number]),
        access=HOLDER_AND_COURSE_STAFF,
        note="Holder and staff: the instructor role instructs the certificate's course.",
    ),
    Case(
        key="certificates:download",
        label="download-someone-elses",
        url=lambda w: reverse("certificates:download", args=[w.other.certificate.number]),
        access=COURSE_STAFF_ONLY,
    ),
    # Documents (Wagtail's serve view checks collection privacy).
    Case(
        key="wagtaildocs_serve",
        label="document",
        url=lambda w: w.document.url,
        access=every(NOT_FOUND).but(superuser=OK),
        note="Outside the public collection and linked from no lesson: document managers "
        "only; everyone else gets the 404 of a file that does not exist.",
    ),
    Case(
        key="wagtaildocs_serve",
        label="lesson-document",
        url=lambda w: w.lesson_document.url,
        access=Access(
            anonymous=NOT_FOUND,
            learner=OK,
            instructor=OK,
            compliance_admin=NOT_FOUND,
            superuser=OK,
        ),
        note="Linked from a lesson: the course's enrolled learners and instructors.",
    ),
    Case(
        key="wagtaildocs_authenticate_with_password",
        label="document-password-form",
        url=rev("wagtaildocs_authenticate_with_password", lambda w: w.collection_restriction.pk),
        access=every(OK),
    ),
    # Wagtail pages.
    Case(key="wagtail_serve", label="home-page", url=lambda w: "/", access=every(OK)),
    Case(key="wagtail_serve", label="catalog-page", url=lambda w: "/courses/", access=every(OK)),
    Case(key="wagtail_serve", label="course-page", url=course_url, access=every(OK)),
    Case(
        key="wagtail_serve",
        label="module-page",
        url=page_url(lambda w: w.small.reading.get_parent().specific),
        access=every(OK),
    ),
    Case(
        key="wagtail_serve",
        label="lesson-enrolled-course",
        url=page_url(lambda w: w.small.reading),
        access=Access(
            anonymous=to_the_course(course_url),
            learner=OK,
            instructor=OK,
            compliance_admin=to_the_course(course_url),
            superuser=OK,
        ),
        note="Lessons: enrolled learners and the page's editors; others go to the course.",
    ),
    Case(
        key="wagtail_serve",
        label="lesson-not-enrolled",
        url=page_url(lambda w: w.elsewhere_lesson),
        access=every(to_the_course(lambda w: w.elsewhere.url)).but(superuser=OK),
        note="Another instructor's course: its lessons are not the instructor role's.",
    ),
    Case(
        key="wagtail_serve",
        label="draft-course",
        url=page_url(lambda w: w.draft_course),
        access=every(NOT_FOUND),
        note="Drafts are seen through the admin's preview, never at their URL.",
    ),
    Case(
        key="wagtail_serve",
        label="password-protected-page",
        url=page_url(lambda w: w.page_restriction.page),
        access=every(OK),
        note="The password form, not the page (see TestLessonGuard).",
    ),
    Case(
        key="wagtail_serve",
        label="unknown-page",
        url=lambda w: "/no-such-page/",
        access=every(NOT_FOUND),
    ),
    Case(
        key="wagtailcore_authenticate_with_password",
        label="page-password-form",
        url=rev(
            "wagtailcore_authenticate_with_password",
            lambda w: w.page_restriction.pk,
            lambda w: w.page_restriction.page_id,
        ),
        access=every(OK),
    ),
    Case(
        key="wagtailcore_login", label="page-login", url=rev("wagtailcore_login"), access=every(OK)
    ),
]

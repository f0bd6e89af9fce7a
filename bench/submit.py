"""The final quiz submit: the POST that passes a course's last quiz and so completes
the course (a certificate issued, required training credited), measured by
:mod:`bench.run` (``--only submit``).

Tasks run in-process here, as without a broker, so the completion's work (the
certificate PDF, the completion email) is deferred until after the response
(:mod:`base.transactions`). The POST goes through Django's own WSGI handler, as
gunicorn calls it, and two times are taken apart:

- **to the response**: until the handler returns the response, which a server then
  sends; this is what the learner waits for, compared with the trivial view through
  the same handler, with its queries;
- **after the response**: ``response.close()``, which the server calls once the body
  is out and which runs the deferred work (``request_finished``).

Each run is a new learner (``bench-submit-<n>``) enrolled in a required course with
every lesson done but the last quiz, so the POST completes it. The data are put back
afterwards: the learners are deleted (their enrolments, attempts, certificates,
assignments and messages go with them), the year's certificate counter is restored,
and the PDFs are written to a temporary folder that is removed.
"""

import shutil
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from . import common

#: Usernames of the learners made for the measure (deleted afterwards).
PREFIX = "bench-submit-"


@dataclass
class Course:
    course: object
    requirement: object
    lessons: list
    final_quiz: object


def required_course() -> Course:
    """A course that issues certificates and is a requirement's, whose last lesson has
    the quiz (the generator puts one at the end of every module)."""
    from catalog.selectors import course_outline
    from compliance.models import TrainingRequirement
    from lessons.models import LessonPage

    for requirement in TrainingRequirement.objects.filter(active=True).select_related("course"):
        course = requirement.course.specific
        if not course.issues_certificate:
            continue
        lessons = list(course_outline(course=course).lessons)
        final = LessonPage.objects.filter(pk=lessons[-1].id).first() if lessons else None
        if final is not None and final.quiz is not None:
            return Course(course, requirement, [lesson.id for lesson in lessons], final)
    raise SystemExit("No required course with a certificate and a final quiz in the data.")


def correct_answers(lesson) -> dict[str, list[str]]:
    """POST data answering every question of ``lesson``'s quiz right."""
    data: dict[str, list[str]] = {}
    for question in lesson.quiz.value["questions"]:
        value = question.value
        if question.block_type == "short_answer":
            answer = [value["accepted_answers"][0]]
        elif question.block_type == "true_false":
            answer = [value["correct_answer"]]
        else:
            answer = [str(o.id) for o in value["options"].bound_blocks if o.value["is_correct"]]
        data[f"q-{question.id}"] = answer
    return data


def new_learner(number: int, target: Course):
    """A learner one quiz away from completing ``target``, with an open cycle of its
    requirement (so the completion sends a confirmation)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from compliance.models import Assignment
    from learner.models import Enrollment, LessonProgress

    now, today = timezone.now(), timezone.localdate()
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            f"{PREFIX}{number}", f"{PREFIX}{number}@example.org", first_name="Sam"
        )
        enrollment = Enrollment.objects.create(
            user=user,
            course=target.course,
            status=Enrollment.Status.ACTIVE,
            requested_at=now,
            activated_at=now,
        )
        LessonProgress.objects.bulk_create(
            LessonProgress(
                enrollment=enrollment,
                lesson_id=lesson_id,
                first_viewed_at=now,
                last_viewed_at=now,
                views=1,
                completed_at=now,
            )
            for lesson_id in target.lessons
            if lesson_id != target.final_quiz.id
        )
        Assignment.objects.create(
            requirement=target.requirement,
            user=user,
            assigned_on=today,
            opens_on=today,
            due_on=today + timedelta(days=30),
        )
    return user


class Handler:
    """Django's WSGI handler, called as a server calls it, with the CSRF check waived
    as the test client waives it (the measure is the submit, not the form's token)."""

    def __init__(self):
        from django.core.handlers.wsgi import WSGIHandler
        from django.test import RequestFactory

        class Waived(WSGIHandler):
            def get_response(self, request):
                request._dont_enforce_csrf_checks = True
                return super().get_response(request)

        self.handler = Waived()
        self.factory = RequestFactory()

    def __call__(self, method: str, path: str, cookie: str, data=None):
        """Serve one request; the response (not yet closed) and seconds to it. A POST is
        form-encoded, as the quiz form (which has no ``enctype``) is sent by browsers."""
        if method == "post":
            body = urlencode(data or {}, doseq=True)
            request = self.factory.post(
                path, body, content_type="application/x-www-form-urlencoded", HTTP_COOKIE=cookie
            )
        else:
            request = getattr(self.factory, method)(path, data or {}, HTTP_COOKIE=cookie)
        environ = request.environ
        started = time.perf_counter()
        response = self.handler(environ, lambda status, headers, exc_info=None: None)
        return response, time.perf_counter() - started


def session_cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return "; ".join(f"{key}={morsel.value}" for key, morsel in client.cookies.items())


def bench_submit(table, runs: int, detail: dict, budget: tuple[float, int]) -> None:
    """Time ``runs`` final quiz submits, each beside five trivial requests."""
    from django.contrib.auth import get_user_model
    from django.core import mail
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import timezone

    from certificates.models import Certificate, CertificateSequence
    from compliance.models import NotificationLog

    from .run import ms, query_report, verdict
    from .urls import TRIVIAL_PATH

    ratio_target, query_target = budget
    target = required_course()
    answers = correct_answers(target.final_quiz)
    path = f"/learn/lessons/{target.final_quiz.id}/quiz/"
    year = timezone.localdate().year
    counter = CertificateSequence.objects.filter(year=year).values_list("last_number", flat=True)
    last_number = counter.first()
    handler = Handler()
    private_media = tempfile.mkdtemp(prefix="fledge-bench-pdfs-")
    response_ms, after_ms, trivial_ms, queries, checks = [], [], [], [], []
    last_queries: list[dict] = []
    try:
        with override_settings(ROOT_URLCONF="bench.urls", PRIVATE_MEDIA_ROOT=private_media):
            for number in range(runs + 2):  # two warm-up rounds
                user = new_learner(number, target)
                cookie = session_cookie(user)
                for _ in range(5):
                    trivial, seconds = handler("get", TRIVIAL_PATH, cookie)
                    trivial.close()
                    trivial_ms.append(seconds * 1000)
                mail.outbox = []
                data = {**answers, "submission_token": str(uuid.uuid4())}
                reset_queries()  # request_started empties the log: start it empty
                with CaptureQueriesContext(connection) as captured:
                    response, seconds = handler("post", path, cookie, data)
                count = len(captured.captured_queries)
                last_queries = list(captured.captured_queries)
                pdf_before = Certificate.objects.filter(user=user).exclude(pdf="").exists()
                started = time.perf_counter()
                response.close()  # the server has sent the body: the deferred work
                after = time.perf_counter() - started
                certificate = Certificate.objects.filter(user=user).first()
                checks.append(
                    {
                        "status": response.status_code,
                        "pdf_before_close": pdf_before,
                        "pdf_after_close": bool(certificate and certificate.pdf),
                        "emails": len(mail.outbox),
                        "confirmations": NotificationLog.objects.filter(
                            recipient=user, sent_at__isnull=False
                        ).count(),
                    }
                )
                if number >= 2:
                    response_ms.append(seconds * 1000)
                    after_ms.append(after * 1000)
                    queries.append(count)
    finally:
        get_user_model().objects.filter(username__startswith=PREFIX).delete()
        if last_number is None:
            CertificateSequence.objects.filter(year=year).delete()
        else:
            CertificateSequence.objects.filter(year=year).update(last_number=last_number)
        shutil.rmtree(private_media, ignore_errors=True)
        mail.outbox = []

    expected = {
        "status": 302,
        "pdf_before_close": False,
        "pdf_after_close": True,
        "emails": 1,
        "confirmations": 1,
    }
    wrong = [check for check in checks if check != expected]
    if wrong:
        raise SystemExit(f"The final quiz submit did not behave: {wrong[0]} (expected {expected})")

    submit, after, floor = (statistics.median(v) for v in (response_ms, after_ms, trivial_ms))
    ratio, count = submit / floor, max(queries)
    label = f"Final quiz submit (completes {target.course.title[:30]})"
    table.add(
        "submit",
        label + ": to the response",
        value=ms(submit),
        baseline=f"{ms(floor)} trivial view",
        ratio=f"{ratio:.1f}×",
        target=f"≤ {ratio_target:g}×",
        result=verdict(ratio <= ratio_target),
    )
    table.add(
        "submit",
        label + ": queries to the response",
        value=str(count),
        baseline="",
        ratio=f"{count} queries",
        target=f"≤ {query_target}",
        result=verdict(count <= query_target),
    )
    table.add(
        "submit",
        "  then after the response: PDF and email (deferred)",
        value=ms(after),
        baseline="",
        ratio=f"{(submit + after) / floor:.1f}× if it ran before the response",
    )
    detail.update(
        {
            "path": path,
            "lessons": len(target.lessons),
            "response_ms": round(submit, 2),
            "after_response_ms": round(after, 2),
            "trivial_ms": round(floor, 3),
            "ratio": round(ratio, 1),
            "queries": count,
            "runs": runs,
            "checked": "302; no PDF before close(), a PDF and one confirmation email after",
        }
    )
    if count > query_target:
        detail["query_report"] = query_report("submit", last_queries)
    if ratio > ratio_target:
        detail["profile_note"] = "no cProfile: each submit needs a fresh learner"
    common.log(f"   after the response: {ms(after)} (PDF and email)")

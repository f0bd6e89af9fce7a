"""Smoke steps of the learner's journey: sign in, complete a course, get the certificate
rendered by the worker, download and verify it."""

from __future__ import annotations

import io
import json
import time

import requests
from pypdf import PdfReader

from .base import COURSE_SLUG, LEARNER, WORKER_NODE, SmokeBase
from .support import Service, check, find_form, parse_html, wait_for


class LearnerSteps(SmokeBase):
    """The demo learner's journey over HTTP, up to a verified certificate."""

    def sign_in(self) -> requests.Session:
        with self.step(f"{LEARNER} signs in through the login form") as notes:
            session = self.http()
            page = self.get(session, "/accounts/login/?next=/dashboard/")
            form = find_form(page.text, "/accounts/login/", "sign-in")
            data = form.hidden() | {"login": LEARNER, "password": self.password}
            check("csrfmiddlewaretoken" in data, "the sign-in form has no CSRF token")
            response = self.post(session, form.action, data)
            check(
                response.headers.get("Location", "").endswith("/dashboard/"),
                f"sign-in did not go on to the dashboard: {response.headers.get('Location')}",
                self.web_log,
            )
            # 200, not a redirect to the sign-in page: the session is signed in.
            dashboard = self.get(session, "/dashboard/", allow_redirects=False)
            # The page's stylesheets come from collectstatic's manifest, through whitenoise.
            stylesheets = [href for href in parse_html(dashboard.text).stylesheets if href]
            check(stylesheets, "the dashboard links no stylesheet")
            css = self.get(session, stylesheets[0])
            check(
                "immutable" in css.headers.get("Cache-Control", ""),
                f"{stylesheets[0]} is not served as immutable: {css.headers.get('Cache-Control')}",
            )
            notes.append(f"session cookie set; {stylesheets[0]} served hashed and immutable")
        return session

    def course_plan(self) -> dict:
        """The course, its lessons in order, which the learner has done, and the right
        answers to its quizzes (the learner knows them), from Django itself."""
        code = f"""
import json
from django.contrib.auth import get_user_model
from catalog.models import CoursePage
from catalog.selectors import course_outline
from learner.demo import correct_answers
from learner.models import Enrollment, LessonProgress
from lessons.models import LessonPage
course = CoursePage.objects.live().get(slug={COURSE_SLUG!r})
user = get_user_model().objects.get(username={LEARNER!r})
outline = course_outline(course=course)
pages = LessonPage.objects.in_bulk([item.id for item in outline.lessons])
enrollment = Enrollment.objects.filter(user=user, course=course).order_by("-pk").first()
done = set(
    LessonProgress.objects.filter(enrollment=enrollment, completed_at__isnull=False)
    .values_list("lesson_id", flat=True)
) if enrollment else set()
plan = {{
    "course": {{"id": course.pk, "url": course.url, "title": course.title,
                "issues_certificate": course.issues_certificate}},
    "holder": user.get_full_name(),
    "lessons": [
        {{"id": item.id, "url": item.url, "done": item.id in done,
          "answers": correct_answers(pages[item.id]) if pages[item.id].quiz else None}}
        for item in outline.lessons
    ],
}}
print("SMOKE-JSON " + json.dumps(plan))
"""
        output = self.manage("shell", "-c", code, env=self.env, log_name="course-plan")
        line = next((x for x in output.splitlines() if x.startswith("SMOKE-JSON ")), None)
        check(line, "the course plan helper printed nothing", self.logs / "course-plan.log")
        return json.loads(line.removeprefix("SMOKE-JSON "))

    def complete_course(self, session: requests.Session, worker: Service) -> dict:
        with self.step("enrol and complete every lesson (worker stopped before the last)") as notes:
            plan = self.course_plan()
            course = plan["course"]
            check(course["issues_certificate"], f"{COURSE_SLUG} does not issue certificates")
            self.holder, self.course_title = plan["holder"], course["title"]
            page = self.get(session, course["url"])
            forms = parse_html(page.text).forms
            csrf = next((f.hidden()["csrfmiddlewaretoken"] for f in forms if f.hidden()), None)
            check(csrf, "the course page has no form with a CSRF token")
            # Enrolling again while enrolled keeps the one open enrolment (the demo
            # learner is part-way through this course already).
            response = self.post(
                session, f"/learn/courses/{course['id']}/enrol/", {"csrfmiddlewaretoken": csrf}
            )
            check(course["url"] in response.headers.get("Location", ""), "enrol did not redirect")
            lessons = plan["lessons"]
            todo = [lesson for lesson in lessons if not lesson["done"]]
            check(todo, "the learner has already completed every lesson")
            quizzes = 0
            for lesson in todo:
                if lesson is todo[-1]:
                    # The last lesson completes the course; with the worker stopped, the
                    # certificate's render job can only wait in the queue.
                    self.stop_worker(worker)
                    check(
                        not self.ping(WORKER_NODE),
                        "the worker still answers after its shutdown",
                    )
                page = self.get(session, lesson["url"])
                if lesson["answers"] is None:
                    form = find_form(
                        page.text, f"/learn/lessons/{lesson['id']}/complete/", "Mark complete"
                    )
                    self.post(session, form.action, form.hidden())
                else:
                    form = find_form(page.text, f"/learn/lessons/{lesson['id']}/quiz/", "quiz")
                    missing = set(lesson["answers"]) - form.names()
                    check(not missing, f"quiz form lacks the fields {missing}")
                    data = {**form.hidden(), **lesson["answers"]}
                    response = self.post(session, form.action, data)
                    result = self.get(session, response.headers["Location"])
                    check("You passed." in result.text, f"the quiz of lesson {lesson['id']} failed")
                    quizzes += 1
            (status,) = self.query(
                """
                SELECT e.status FROM learner_enrollment e JOIN auth_user u ON u.id = e.user_id
                WHERE u.username = %s AND e.course_id = %s ORDER BY e.id DESC LIMIT 1
                """,
                (LEARNER, course["id"]),
            )[0]
            check(status == "completed", f"the enrolment is {status}, not completed", self.web_log)
            notes.append(
                f"{course['title']}: {len(todo)} of {len(lessons)} lessons done now "
                f"({quizzes} quizzes passed); enrolment completed"
            )
        return self.certificate()

    def render_in_background(self, certificate: dict) -> Service:
        with self.step("the worker renders the certificate PDF") as notes:
            check(
                not certificate["pdf"] and certificate["rendered_at"] is None,
                f"certificate {certificate['number']} was rendered without a worker (eagerly?)",
                self.web_log,
            )
            waiting = self.queued()
            check(waiting >= 1, "no job is waiting in the broker's queue", self.web_log)
            time.sleep(1)
            check(not self.certificate()["pdf"], "the PDF appeared while no worker ran")
            notes.append(f"{certificate['number']} issued, PDF not rendered, {waiting} job queued")
            worker = self.worker()
            rendered = wait_for(
                "the worker to render the PDF",
                lambda: (row := self.certificate())["rendered_at"] and row,
                timeout=90,
                interval=0.5,
                log=worker.log,
                alive=worker.assert_running,
            )
            path = self.tmp / "private-media" / rendered["pdf"]
            check(path.is_file(), f"{path} does not exist", worker.log)
            check(path.read_bytes().startswith(b"%PDF-"), f"{path} is not a PDF")
            check("render_certificate" in worker.log_text(), "the worker never ran the render job")
            notes.append(f"rendered by {worker.name} into private media ({path.stat().st_size} B)")
        certificate.update(rendered)
        return worker

    def download(self, session: requests.Session, certificate: dict) -> None:
        with self.step("download the certificate over HTTP") as notes:
            url = f"/certificates/{certificate['number']}/download/"
            response = self.get(session, url)
            check(
                response.headers.get("Content-Type") == "application/pdf",
                f"{url} is {response.headers.get('Content-Type')}",
            )
            check(
                "attachment" in response.headers.get("Content-Disposition", ""),
                "the PDF is not sent as an attachment",
            )
            check(response.content.startswith(b"%PDF-"), f"{url} did not return a PDF")
            text = " ".join(
                page.extract_text() or "" for page in PdfReader(io.BytesIO(response.content)).pages
            )
            found = [value for value in (self.holder, self.course_title) if value and value in text]
            check(found, f"neither {self.holder!r} nor {self.course_title!r} is in the PDF's text")
            after = self.certificate()
            check(
                after["rendered_at"] == certificate["rendered_at"],
                "the download rendered the PDF again instead of serving the worker's file",
            )
            size = len(response.content)
            anonymous = self.get(self.http(), url, status=302, allow_redirects=False)
            check(
                "/accounts/login/" in anonymous.headers.get("Location", ""),
                "an anonymous download was not sent to sign in",
            )
            notes.append(f"{size} B PDF naming {' and '.join(repr(v) for v in found)}")

    def verify_publicly(
        self, certificate: dict, *, session: requests.Session | None = None
    ) -> None:
        page = self.get(session or self.http(), f"/certificates/verify/{certificate['code']}/")
        check("This certificate is valid." in page.text, "the verification page does not say valid")
        check(certificate["holder"] in page.text, "the verification page lacks the holder's name")

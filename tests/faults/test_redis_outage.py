"""Redis down or hung: pages still answer, quickly, and nothing a learner does is lost.

The site's cache is the fail-open Redis backend behind a proxy the test switches off
(connections reset) or into a hang (nothing answers; only the client's read timeout
ends the wait). What a learner and a visitor notice is asserted: each page answers 200
within a second of its normal time, the learner stays signed in, a mark-complete and a
quiz submission are saved; the outage is one warning in the log; once Redis is back the
cache is used again and nothing from before the outage is served.
"""

from __future__ import annotations

import logging
import time
import uuid

from django.test import Client

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP

from learner.models import LessonProgress, QuizAttempt
from tests.faults.conftest import wait_for_breaker
from tests.faults.proxy import DOWN, HANG
from tests.learner.factories import (
    PASSWORD,
    EnrollmentFactory,
    UserFactory,
    answer_key,
    small_course,
)

pytestmark = pytest.mark.django_db

#: How much slower than normal a page may be while Redis is out.
MARGIN_SECONDS = 1.0


def timed(call, *args, **kwargs):
    started = time.perf_counter()
    response = call(*args, **kwargs)
    return response, time.perf_counter() - started


@pytest.fixture
def course(catalog):
    return small_course()


@pytest.fixture
def enrollment(course):
    return EnrollmentFactory(course=course.course)


@pytest.fixture
def learner(enrollment) -> Client:
    client = Client()
    client.force_login(enrollment.user)
    return client


def pages(course) -> list[tuple[str, str]]:
    """(who, path) for every page the outage must leave standing."""
    return [
        ("visitor", "/"),
        ("visitor", course.course.get_parent().url),
        ("visitor", course.course.url),
        ("visitor", "/accounts/login/"),
        ("learner", course.course.url),
        ("learner", course.reading.url),
        ("learner", "/dashboard/"),
    ]


def cache_warnings(caplog) -> list[logging.LogRecord]:
    return [
        r for r in caplog.records if r.name == "base.redis_cache" and r.levelno >= logging.WARNING
    ]


@pytest.mark.parametrize("state", [DOWN, HANG])
def test_pages_answer_and_posts_are_saved_while_redis_is_out(
    state, redis_cache, client, learner, course, enrollment, caplog
):
    clients = {"visitor": client, "learner": learner}
    normal = {}
    for who, path in pages(course):
        clients[who].get(path)  # warm: the cache holds routes, outlines, the page
        response, normal[who, path] = timed(clients[who].get, path)
        assert response.status_code == 200, (who, path)

    caplog.set_level(logging.INFO)
    with redis_cache.outage(state):
        for who, path in pages(course):
            response, seconds = timed(clients[who].get, path)
            assert response.status_code == 200, (who, path, response.status_code)
            assert seconds < normal[who, path] + MARGIN_SECONDS, (who, path, seconds)
            if who == "learner":
                assert response.wsgi_request.user == enrollment.user, path
        # Still signed in: the dashboard is the learner's, not a redirect to sign in.
        dashboard = learner.get("/dashboard/")
        assert dashboard.status_code == 200
        assert dashboard.wsgi_request.user == enrollment.user

        done, seconds = timed(learner.post, f"/learn/lessons/{course.reading.pk}/complete/")
        assert done.status_code == 302
        assert seconds < MARGIN_SECONDS + 0.5
        lesson = course.quiz_lesson
        payload = {**answer_key(lesson), "submission_token": [str(uuid.uuid4())]}
        submitted, seconds = timed(learner.post, f"/learn/lessons/{lesson.pk}/quiz/", payload)
        assert submitted.status_code == 302
        assert seconds < MARGIN_SECONDS + 0.5

    assert LessonProgress.objects.get(enrollment=enrollment, lesson=course.reading).completed_at
    assert QuizAttempt.objects.get(enrollment=enrollment).passed
    warnings = cache_warnings(caplog)
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert "unreachable" in warnings[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_signing_in_works_while_redis_is_down(redis_cache, client, enrollment):
    with redis_cache.outage():
        response = client.post(
            "/accounts/login/", {"login": enrollment.user.username, "password": PASSWORD}
        )
        assert response.status_code == 302
        assert client.get("/dashboard/").wsgi_request.user == enrollment.user


def test_staff_sign_in_with_their_authenticator_code_while_redis_is_down(redis_cache, client):
    """allauth keeps its rate limits and used-code marks in the cache: with Redis down
    they pause (FLEDGE_CACHE_ADD_FAILS_OPEN) rather than refuse every code."""
    staff = UserFactory(username="ines", is_staff=True)
    secret = pyotp.random_base32()
    TOTP.activate(staff, secret)
    with redis_cache.outage():
        signed_in = client.post("/accounts/login/", {"login": "ines", "password": PASSWORD})
        assert signed_in["Location"] == "/accounts/2fa/authenticate/"
        answered = client.post("/accounts/2fa/authenticate/", {"code": pyotp.TOTP(secret).now()})
        assert answered.status_code == 302
        assert client.get("/django-admin/").status_code == 200


def test_the_cache_is_used_again_once_redis_is_back(redis_cache, client, course, caplog):
    url = course.course.url
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    caplog.set_level(logging.INFO)
    with redis_cache.outage():
        assert client.get(url)["X-Page-Cache"] == "miss"  # built, not from the cache
    wait_for_breaker()
    # The first page after the outage starts the cache afresh (see the next test), the
    # second comes from it: Redis is back in use without a restart.
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert [r.getMessage() for r in caplog.records if r.name == "base.redis_cache"][-1].startswith(
        f"Cache redis://127.0.0.1:{redis_cache.port}/0 reachable again"
    )


@pytest.mark.parametrize("state", [DOWN, HANG])
def test_a_publish_during_the_outage_is_not_hidden_by_old_copies(
    state, redis_cache, client, course
):
    page = course.course
    old_title = page.title
    assert client.get(page.url)["X-Page-Cache"] == "miss"
    assert client.get(page.url)["X-Page-Cache"] == "hit"  # the old copy is in Redis

    with redis_cache.outage(state):
        page.title = "Renamed while Redis was out"
        page.save_revision().publish()  # its version bump cannot reach Redis
        assert "Renamed while Redis was out" in client.get(page.url).content.decode()

    wait_for_breaker()
    after = client.get(page.url).content.decode()
    assert "Renamed while Redis was out" in after
    assert f"<h1>{old_title}</h1>" not in after


def test_a_sign_out_during_the_outage_stays_signed_out(redis_cache, learner, enrollment):
    assert learner.get("/dashboard/").status_code == 200  # the session is in Redis too
    cookie = learner.cookies["sessionid"].value
    with redis_cache.outage():
        learner.post("/accounts/logout/")
    wait_for_breaker()
    learner.cookies["sessionid"] = cookie  # the old cookie, as a copied browser would send
    response = learner.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_certificate_lookups_stay_limited_while_redis_is_down(redis_cache, client):
    from certificates.views import VERIFY_LIMIT_PER_MINUTE

    url = "/certificates/verify/NO-SUCH-CODE-0000/"
    with redis_cache.outage():
        statuses = [client.get(url).status_code for _ in range(VERIFY_LIMIT_PER_MINUTE + 1)]
    assert statuses[:VERIFY_LIMIT_PER_MINUTE] == [404] * VERIFY_LIMIT_PER_MINUTE
    assert statuses[-1] == 429

"""One shared world for the security tests: a course with lessons and a quiz, two
learners with their own enrolments, attempts, certificates, assignments and calendar
feeds, and one user per role.

The world is built once per test package inside a transaction that is rolled back at
the end; each test still runs in its own savepoint (pytest-django's ``db``), so
nothing a test does leaks into the next one.
"""

import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings

from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction, Site

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from taggit.models import Tag
from wagtail_factories import ImageFactory

from accounts.models import Profile, ProvisioningToken
from accounts.services import provisioning_token_create
from catalog.models import CoursePage
from catalog.services import set_course_instructors
from certificates.models import Certificate
from compliance.models import Assignment, CalendarFeed, TrainingRequirement
from home.models import BrandingSettings
from learner import services as learner_services
from learner.models import Enrollment, QuizAttempt
from tests.catalog.factories import (
    CoursePageFactory,
    ModulePageFactory,
    SubjectFactory,
    site_catalog,
)
from tests.certificates.factories import issued_certificate
from tests.compliance.factories import (
    AssignmentFactory,
    CalendarFeedFactory,
    TrainingRequirementFactory,
)
from tests.conftest import vouch_for_mfa
from tests.learner.factories import (
    EnrollmentFactory,
    SmallCourse,
    UserFactory,
    answer_key,
    small_course,
)
from tests.lessons.factories import LessonPageFactory, lesson_body, paragraph

ANONYMOUS = "anonymous"
LEARNER = "learner"
INSTRUCTOR = "instructor"
COMPLIANCE_ADMIN = "compliance_admin"
SUPERUSER = "superuser"
#: The roles of DESIGN.md ("Roles") that the matrix checks, least privileged first.
ROLES = (ANONYMOUS, LEARNER, INSTRUCTOR, COMPLIANCE_ADMIN, SUPERUSER)


@dataclass
class Person:
    """A learner and the things that are theirs."""

    user: object
    enrollment: Enrollment
    attempt: QuizAttempt
    certificate: Certificate
    assignment: Assignment
    feed: CalendarFeed


@dataclass
class World:
    """Everything the security tests open, built once (see :func:`build_world`)."""

    users: dict  # role -> user (None for anonymous)
    #: The learner role's own objects, and another learner's ("someone else's id"),
    #: who is exempt from the requirement and has a pending request in another course.
    me: Person
    other: Person
    small: SmallCourse
    #: A course the learner is not enrolled in, with one lesson.
    elsewhere: CoursePage
    elsewhere_lesson: object
    #: Requires approval; ``other`` has a pending request in it.
    approval_course: CoursePage
    pending: Enrollment
    draft_course: CoursePage
    requirement: TrainingRequirement
    profile: Profile
    subject: object
    document: Document
    #: A document linked from the reading lesson of the learner's course.
    lesson_document: Document
    image: object
    tag: Tag
    page_restriction: PageViewRestriction
    collection_restriction: CollectionViewRestriction
    instructors_group: Group
    #: Instructs ``elsewhere`` only: the instructor role's counterpart.
    other_instructor: object
    axes: dict  # "attempt", "log", "failure" -> a row of each of django-axes' models
    #: A row of each of allauth's models: "email" (the other learner's confirmed
    #: address), "authenticator" (her recovery codes), "app" (a single sign-on
    #: provider), "social_account" and "social_token" (her sign-in through it).
    identity: dict
    media_root: str = ""
    #: role -> the session key of a sign-in made once for the whole package.
    sessions: dict = field(default_factory=dict)
    #: A SCIM provisioning token, for its admin screens.
    provisioning_token: ProvisioningToken | None = None

    @property
    def course(self) -> CoursePage:
        return self.small.course

    def user(self, role: str):
        return self.users[role]

    def sign_in_everyone(self) -> None:
        for role, user in self.users.items():
            if user is not None:
                client = client_for(user)
                self.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value

    def client(self, role: str, **kwargs) -> Client:
        """A test client signed in as ``role`` (anonymous: not signed in), reusing the
        role's session: signing in for each of hundreds of requests is slow."""
        client = Client(**kwargs)
        if role in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client


def _member(username: str, group: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group))
    return user


def _person(username: str, small: SmallCourse, requirement: TrainingRequirement) -> Person:
    user = UserFactory(username=username)
    enrollment = EnrollmentFactory(user=user, course=small.course)
    attempt = learner_services.quiz_submit(
        enrollment=enrollment,
        lesson=small.quiz_lesson,
        data=answer_key(small.quiz_lesson, correct=False),
        token=str(uuid.uuid4()),
    )
    return Person(
        user=user,
        enrollment=enrollment,
        attempt=attempt,
        certificate=issued_certificate(user=user, title=f"Certified course for {username}"),
        assignment=AssignmentFactory(user=user, requirement=requirement),
        feed=CalendarFeedFactory(user=user),
    )


def _axes_rows() -> dict:
    """One row of each of django-axes' models, for their django-admin pages."""
    seen = {
        "user_agent": "pytest",
        "ip_address": "192.0.2.1",
        "username": "olga",
        "http_accept": "*/*",
        "path_info": "/accounts/login/",
    }
    return {
        "attempt": AccessAttempt.objects.create(
            **seen, get_data="", post_data="", failures_since_start=1
        ),
        "log": AccessLog.objects.create(**seen),
        "failure": AccessFailureLog.objects.create(**seen),
    }


def _identity_rows(users: dict, other) -> dict:
    """Everyone's address confirmed (as after signing up), and one row of each of
    allauth's models for their django-admin pages."""
    for user in [*users.values(), other.user]:
        if user is not None:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    app = SocialApp.objects.create(
        provider="openid_connect", provider_id="campus", name="Campus", client_id="fledge"
    )
    account = SocialAccount.objects.create(user=other.user, provider="campus", uid="olga-1")
    return {
        "email": EmailAddress.objects.get(user=other.user),
        "authenticator": Authenticator.objects.create(
            user=other.user,
            type=Authenticator.Type.RECOVERY_CODES,
            data={"seed": "", "used_mask": 0},
        ),
        "app": app,
        "social_account": account,
        "social_token": SocialToken.objects.create(app=app, account=account, token="opaque"),
    }


def build_world() -> World:
    small = small_course(title="Phishing awareness")
    requirement = TrainingRequirementFactory(name="Annual phishing", course=small.course)
    me = _person("lena", small, requirement)
    other = _person("olga", small, requirement)
    superuser = UserFactory(username="sam", is_superuser=True, is_staff=True)
    users = {
        ANONYMOUS: None,
        LEARNER: me.user,
        INSTRUCTOR: _member("ivan", "Instructors"),
        COMPLIANCE_ADMIN: _member("cora", "Compliance admins"),
        SUPERUSER: superuser,
    }
    elsewhere = CoursePageFactory(title="Fire safety")
    elsewhere_lesson = LessonPageFactory(
        parent=ModulePageFactory(parent=elsewhere, title="Getting out"), title="Exits"
    )
    approval_course = CoursePageFactory(
        title="Leadership", enrollment_policy=CoursePage.EnrollmentPolicy.APPROVAL
    )
    pending = EnrollmentFactory(
        user=other.user,
        course=approval_course,
        status=Enrollment.Status.PENDING,
        activated_at=None,
    )
    draft_course = CoursePageFactory(title="Not yet published", live=False)
    private_course = CoursePageFactory(title="Board only")
    page_restriction = PageViewRestriction.objects.create(
        page=private_course,
        restriction_type=PageViewRestriction.PASSWORD,
        password="board-members-only",
    )
    private_collection = Collection.get_first_root_node().add_child(name="Private")
    collection_restriction = CollectionViewRestriction.objects.create(
        collection=private_collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="private-files",
    )
    document = Document.objects.create(
        title="Handout", file=ContentFile(b"%PDF-1.4 handout", name="handout.pdf")
    )
    lesson_document = Document.objects.create(
        title="Checklist", file=ContentFile(b"%PDF-1.4 checklist", name="checklist.pdf")
    )
    small.reading.body = lesson_body(
        paragraph(), {"type": "document", "value": {"document": lesson_document.pk, "title": ""}}
    )
    small.reading.save_revision().publish()
    # The instructor role instructs the learner's course and the approval course (the
    # shipped Instructors group plus each course's own group); another instructor has
    # the course the learner is not enrolled in.
    set_course_instructors(course=small.course, instructors=[users[INSTRUCTOR]])
    set_course_instructors(course=approval_course, instructors=[users[INSTRUCTOR]])
    for person in (me, other):
        set_course_instructors(course=person.certificate.course, instructors=[users[INSTRUCTOR]])
    other_instructor = _member("bea", "Instructors")
    set_course_instructors(course=elsewhere, instructors=[other_instructor])
    # What a page view or a render would otherwise create or change mid-test: the
    # reading lesson's progress row (heartbeats add to it), the site's branding
    # settings (made on first read), and rendered PDFs to mark stale.
    learner_services.lesson_view(enrollment=me.enrollment, lesson=small.reading)
    BrandingSettings.for_site(Site.objects.get(is_default_site=True))
    Certificate.objects.update(rendered_version="rendered-before-the-test")
    profile, _ = Profile.objects.get_or_create(user=other.user)
    Assignment.objects.filter(pk=other.assignment.pk).update(
        exempt=True,
        exempted_on=other.assignment.assigned_on,
        exemption_reason="On leave",
        exempted_by=users[COMPLIANCE_ADMIN],
    )
    return World(
        users=users,
        me=me,
        other=other,
        small=small,
        elsewhere=elsewhere,
        elsewhere_lesson=elsewhere_lesson,
        approval_course=approval_course,
        pending=pending,
        draft_course=draft_course,
        requirement=requirement,
        profile=profile,
        subject=SubjectFactory(name="Security"),
        document=document,
        lesson_document=lesson_document,
        image=ImageFactory(title="Cover"),
        tag=Tag.objects.create(name="security", slug="security"),
        page_restriction=page_restriction,
        collection_restriction=collection_restriction,
        instructors_group=Group.objects.get(name="Instructors"),
        other_instructor=other_instructor,
        axes=_axes_rows(),
        identity=_identity_rows(users, other),
        provisioning_token=provisioning_token_create(name="Entra ID", created_by=superuser)[0],
    )


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The shared world (see the module docstring); rolled back after the package."""
    media_root = str(tmp_path_factory.mktemp("security-media"))
    with (
        # The suite's cheap hasher (tests/conftest.py) for the world's passwords too.
        override_settings(
            MEDIA_ROOT=media_root,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        assert site_catalog() is not None, "the catalog data migration did not run"
        built = build_world()
        built.media_root = media_root
        built.sign_in_everyone()
        yield built
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _world_media_and_cache(settings, temporary_media_root, world):
    """Serve the world's uploads (the suite gives each test an empty media folder), and
    start every test with an empty cache: rate limits and lockouts count there."""
    settings.MEDIA_ROOT = world.media_root
    cache.clear()
    yield
    cache.clear()


def login_backend() -> str:
    """A backend that can load the user back from the session (axes' own backend only
    checks credentials)."""
    for backend in settings.AUTHENTICATION_BACKENDS:
        if not backend.startswith("axes."):
            return backend
    return "accounts.backends.CachedModelBackend"


def client_for(user, **kwargs) -> Client:
    """A test client signed in as ``user`` (anonymous for None), without ``login()``:
    django-axes refuses ``client.login`` without a request. Signs in a fresh copy of
    the user, as signing in changes ``last_login`` on the object it is given."""
    client = Client(**kwargs)
    if user is not None:
        fresh = type(user).objects.get(pk=user.pk)
        client.force_login(fresh, backend=login_backend())
        # A complete sign-in, second factor included (staff reach the admins).
        vouch_for_mfa(client, fresh)
    return client


def reset_token_kwargs(user) -> dict:
    """Valid ``uidb36`` and ``key`` for a password reset link of ``user`` (allauth's;
    read again: the key depends on the stored password and last sign-in)."""
    user = type(user).objects.get(pk=user.pk)
    return {"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)}

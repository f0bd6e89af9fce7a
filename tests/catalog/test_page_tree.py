"""Editors can only build Catalog → Course → Module → Lesson, through the admin."""

from django.contrib.auth import get_user_model

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from catalog.models import CatalogPage, CoursePage, ModulePage
from home.models import HomePage
from lessons.models import LessonPage
from tests.catalog.factories import CoursePageFactory, ModulePageFactory, site_catalog


class TestPageTypeRules(WagtailPageTestCase):
    def test_home_page_sits_under_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {CatalogPage})

    def test_catalog_holds_courses_only(self):
        self.assertAllowedParentPageTypes(CatalogPage, {HomePage})
        self.assertAllowedSubpageTypes(CatalogPage, {CoursePage})

    def test_course_holds_modules_only(self):
        self.assertAllowedParentPageTypes(CoursePage, {CatalogPage})
        self.assertAllowedSubpageTypes(CoursePage, {ModulePage})

    def test_module_holds_lessons_only(self):
        self.assertAllowedParentPageTypes(ModulePage, {CoursePage})
        self.assertAllowedSubpageTypes(ModulePage, {LessonPage})

    def test_lesson_is_a_leaf(self):
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})
        self.assertAllowedSubpageTypes(LessonPage, set())

    def test_lessons_cannot_be_created_directly_under_a_course(self):
        self.assertCanNotCreateAt(CoursePage, LessonPage)
        self.assertCanNotCreateAt(CatalogPage, ModulePage)
        self.assertCanNotCreateAt(HomePage, CoursePage)


class TestCreatingCoursesInTheAdmin(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def setUp(self):
        self.client.force_login(self.admin)
        self.catalog = site_catalog()

    def test_create_course(self):
        self.assertCanCreate(
            self.catalog,
            CoursePage,
            nested_form_data(
                {
                    "title": "Secure coding",
                    "slug": "secure-coding",
                    "summary": "Write code that resists attack.",
                    "overview": rich_text("<p>Injection, XSS and friends.</p>"),
                    "difficulty": "intermediate",
                    "estimated_minutes": 45,
                    "enrollment_policy": "open",
                    "waitlist_enabled": True,
                    "issues_certificate": True,
                    "pass_mark": 80,
                }
            ),
            publish=False,  # a course without lessons cannot go live (tests/catalog/test_review)
        )
        course = CoursePage.objects.get(slug="secure-coding")
        self.assertEqual(course.get_parent().pk, self.catalog.pk)

    def test_create_module(self):
        course = CoursePageFactory()
        self.assertCanCreate(
            course,
            ModulePage,
            nested_form_data({"title": "Basics", "slug": "basics", "summary": "Start here."}),
        )

    def test_create_lesson_with_text_video_and_quiz(self):
        module = ModulePageFactory()
        data = nested_form_data(
            {
                "title": "Spotting phishing",
                "slug": "spotting-phishing",
                "summary": "Signs of a phishing email.",
                "estimated_minutes": 10,
                "body": streamfield(
                    [
                        ("paragraph", rich_text("<p>Phishing emails create urgency.</p>")),
                        (
                            "video",
                            {
                                "url": "https://www.youtube.com/watch?v=XBkzBrXlle0",
                                "title": "Phishing in two minutes",
                                "caption": "",
                                "transcript": rich_text(""),
                            },
                        ),
                        (
                            "quiz",
                            {
                                "title": "Check yourself",
                                "intro": rich_text(""),
                                "pass_mark": "80",
                                "max_attempts": "0",
                                "questions": streamfield(
                                    [
                                        (
                                            "true_false",
                                            {
                                                "prompt": "Urgency is a phishing sign.",
                                                "correct_answer": "true",
                                                "explanation": rich_text(""),
                                            },
                                        )
                                    ]
                                ),
                            },
                        ),
                    ]
                ),
            }
        )
        self.assertCanCreate(module, LessonPage, data)
        lesson = LessonPage.objects.get(slug="spotting-phishing")
        self.assertEqual(
            [block.block_type for block in lesson.body], ["paragraph", "video", "quiz"]
        )
        self.assertEqual(lesson.quiz.value["questions"][0].value["correct_answer"], "true")

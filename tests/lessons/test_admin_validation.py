"""Bad lesson content posted through the admin is refused with a message, and nothing
is saved."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from lessons.models import LessonPage
from tests.catalog.factories import ModulePageFactory


def lesson_form(body) -> dict:
    return nested_form_data(
        {
            "title": "Bad lesson",
            "slug": "bad-lesson",
            "summary": "",
            "estimated_minutes": 10,
            "body": streamfield(body),
        }
    )


class TestLessonValidationInTheAdmin(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def setUp(self):
        self.client.force_login(self.admin)
        self.module = ModulePageFactory()
        self.add_url = reverse(
            "wagtailadmin_pages:add", args=("lessons", "lessonpage", self.module.pk)
        )

    def assert_refused(self, response, message: str):
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The page could not be created due to validation errors")
        self.assertContains(response, message)
        self.assertFalse(LessonPage.objects.filter(slug="bad-lesson").exists())

    def test_video_from_an_unknown_site_is_refused(self):
        response = self.client.post(
            self.add_url,
            lesson_form(
                [
                    (
                        "video",
                        {
                            "url": "https://videos.example.com/watch/1",
                            "title": "Not allowed",
                            "caption": "",
                            "transcript": rich_text(""),
                        },
                    )
                ]
            ),
        )
        self.assert_refused(response, "Enter a YouTube or Vimeo video URL")

    def test_single_choice_question_without_a_correct_option_is_refused(self):
        question = {
            "prompt": "Pick one",
            "explanation": rich_text(""),
            "options": streamfield(
                [
                    ("item", {"text": "A", "is_correct": ""}),
                    ("item", {"text": "B", "is_correct": ""}),
                ]
            ),
        }
        quiz = {
            "title": "Quiz",
            "intro": rich_text(""),
            "pass_mark": "80",
            "max_attempts": "0",
            "questions": streamfield([("single_choice", question)]),
        }
        response = self.client.post(self.add_url, lesson_form([("quiz", quiz)]))
        self.assert_refused(response, "Mark exactly one option as correct.")

    def test_pass_mark_over_100_is_refused(self):
        quiz = {
            "title": "Quiz",
            "intro": rich_text(""),
            "pass_mark": "150",
            "max_attempts": "0",
            "questions": streamfield(
                [
                    (
                        "true_false",
                        {"prompt": "Yes?", "correct_answer": "true", "explanation": rich_text("")},
                    )
                ]
            ),
        }
        response = self.client.post(self.add_url, lesson_form([("quiz", quiz)]))
        self.assert_refused(response, "Ensure this value is less than or equal to 100.")

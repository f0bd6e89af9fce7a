"""Every lesson block renders; quizzes never leak answers; bad content is refused."""

from django.core.exceptions import ValidationError

from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents import get_document_model
from wagtail.images.tests.utils import get_test_image_file

import pytest

from lessons.blocks import LessonBodyBlock, QuizBlock, VideoBlock, stamp_ids
from tests.lessons.factories import (
    multiple_choice,
    option,
    quiz,
    short_answer,
    single_choice,
    true_false,
)

body_block = LessonBodyBlock()


def render(raw_blocks: list[dict]) -> str:
    value = body_block.to_python(stamp_ids(body_block, raw_blocks))
    return "".join(child.render() for child in value)


def quiz_value(*questions):
    block = QuizBlock()
    raw = quiz(*questions)["value"]
    return block, block.to_python(stamp_ids(block, raw))


@pytest.mark.django_db
class TestBlocksRender:
    def test_heading(self):
        html = render([{"type": "heading", "value": {"text": "Why it matters", "level": "h3"}}])
        assert '<h3 class="lesson-heading" id="s-why-it-matters">Why it matters</h3>' in html

    def test_rich_text(self):
        html = render([{"type": "paragraph", "value": "<p>Lock your <b>screen</b>.</p>"}])
        assert "Lock your <b>screen</b>." in html

    def test_figure_with_alt_text_and_caption(self):
        from wagtail.images import get_image_model

        image = get_image_model().objects.create(title="Badge", file=get_test_image_file())
        html = render(
            [
                {
                    "type": "figure",
                    "value": {
                        "image": {
                            "image": image.pk,
                            "alt_text": "A staff badge",
                            "decorative": False,
                        },
                        "caption": "Wear it visibly.",
                    },
                }
            ]
        )
        assert 'alt="A staff badge"' in html
        assert "<figcaption>Wear it visibly.</figcaption>" in html

    def test_youtube_video_embeds_without_network(self):
        html = render(
            [
                {
                    "type": "video",
                    "value": {
                        "url": "https://www.youtube.com/watch?v=XBkzBrXlle0",
                        "title": "Phishing explained",
                        "caption": "",
                        "transcript": "<p>Hello.</p>",
                    },
                }
            ]
        )
        assert 'src="https://www.youtube.com/embed/XBkzBrXlle0' in html
        assert 'title="Phishing explained"' in html
        assert "Transcript" in html

    def test_vimeo_video_embeds(self):
        value = VideoBlock().to_python(
            {"url": "https://vimeo.com/76979871", "title": "A film", "caption": ""}
        )
        assert "https://player.vimeo.com/video/76979871" in VideoBlock().render(value)

    def test_document_download(self):
        from django.core.files.base import ContentFile

        document = get_document_model().objects.create(
            title="Incident checklist", file=ContentFile(b"%PDF-1.4 test", name="checklist.pdf")
        )
        html = render(
            [
                {
                    "type": "document",
                    "value": {"document": document.pk, "title": "", "description": "One page."},
                }
            ]
        )
        assert document.url in html
        assert "Incident checklist" in html
        assert "PDF" in html

    def test_callout(self):
        html = render(
            [
                {
                    "type": "callout",
                    "value": {"tone": "warning", "title": "Never", "body": "<p>Share codes.</p>"},
                }
            ]
        )
        assert 'class="callout callout--warning"' in html
        assert "Share codes." in html

    def test_code_is_escaped_verbatim(self):
        html = render(
            [
                {
                    "type": "code",
                    "value": {
                        "language": "html",
                        "code": "<script>alert(1)</script>",
                        "caption": "",
                    },
                }
            ]
        )
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<script>" not in html

    def test_quiz_renders_as_a_form_with_every_question_type(self):
        html = render([quiz()])
        assert "<form" in html
        assert 'type="radio"' in html
        assert 'type="checkbox"' in html
        assert 'type="text"' in html
        assert "Which is a phishing sign?" in html
        assert "4 questions" in html


@pytest.mark.django_db
class TestQuizNeverRevealsAnswers:
    def test_rendered_quiz_holds_no_answer(self):
        html = render(
            [
                quiz(
                    single_choice(
                        options=[option("Alpha", True), option("Bravo"), option("Charlie")]
                    ),
                    short_answer(accepted=["zebra-crossing"]),
                    true_false(answer="false"),
                    title="Secret-free quiz",
                )
            ]
        )
        assert "zebra-crossing" not in html
        assert "is_correct" not in html
        assert "correct" not in html.lower().replace("correct horse", "")
        # True and False are offered identically: nothing marks which one is right.
        assert html.count('value="true"') == 1
        assert html.count('value="false"') == 1

    def test_options_are_rendered_identically_apart_from_id_and_text(self):
        block, value = quiz_value(single_choice(options=[option("Alpha", True), option("Bravo")]))
        questions = block.public_questions(value)
        assert [set(o) for o in questions[0]["options"]] == [{"id", "text"}, {"id", "text"}]

    def test_shuffle_keeps_every_question_and_option(self):
        block, value = quiz_value(single_choice(), multiple_choice(), true_false())
        shuffled = block.public_questions(value, shuffle=True)
        plain = block.public_questions(value)
        assert sorted(q["id"] for q in shuffled) == sorted(q["id"] for q in plain)
        for question in shuffled:
            twin = next(q for q in plain if q["id"] == question["id"])
            assert sorted(o["id"] for o in question["options"]) == sorted(
                o["id"] for o in twin["options"]
            )


def errors_of(exc: StructBlockValidationError) -> str:
    return str(exc.as_json_data())


class TestContentValidation:
    def test_video_url_from_another_site_is_refused(self):
        block = VideoBlock()
        with pytest.raises(StructBlockValidationError) as exc:
            block.clean(
                block.to_python(
                    {"url": "https://example.com/video.mp4", "title": "x", "caption": ""}
                )
            )
        assert "Enter a YouTube or Vimeo video URL" in errors_of(exc.value)

    def test_youtube_url_without_a_video_id_is_refused(self):
        block = VideoBlock()
        with pytest.raises(StructBlockValidationError) as exc:
            block.clean(
                block.to_python({"url": "https://www.youtube.com/", "title": "x", "caption": ""})
            )
        assert "single video" in errors_of(exc.value)

    def test_single_choice_needs_exactly_one_correct_option(self):
        block, value = quiz_value(single_choice(options=[option("A"), option("B")]))
        with pytest.raises(ValidationError) as exc:
            block.clean(value)
        assert "Mark exactly one option as correct." in str(exc.value.as_json_data())

    def test_multiple_choice_needs_a_correct_option(self):
        block, value = quiz_value(multiple_choice(options=[option("A"), option("B")]))
        with pytest.raises(ValidationError) as exc:
            block.clean(value)
        assert "Mark at least one option as correct." in str(exc.value.as_json_data())

    def test_short_answer_needs_an_accepted_answer(self):
        block, value = quiz_value(short_answer(accepted=["  "]))
        with pytest.raises(ValidationError) as exc:
            block.clean(value)
        assert "This field is required." in str(exc.value.as_json_data())

    def test_short_answer_needs_at_least_one_answer_in_the_list(self):
        block, value = quiz_value(short_answer(accepted=["x"]))
        value["questions"][0].value["accepted_answers"] = []
        with pytest.raises(ValidationError) as exc:
            block.clean(value)
        assert "The minimum number of items is 1" in str(exc.value.as_json_data())

    @pytest.mark.parametrize("pass_mark", [-1, 101])
    def test_pass_mark_must_be_between_0_and_100(self, pass_mark):
        block, value = quiz_value(true_false())
        value["pass_mark"] = pass_mark
        with pytest.raises(ValidationError) as exc:
            block.clean(value)
        assert "pass_mark" in str(exc.value.as_json_data())

    def test_a_valid_quiz_is_accepted(self):
        block, value = quiz_value(single_choice(), multiple_choice(), true_false(), short_answer())
        assert block.clean(value)["title"] == "Check your understanding"

    def test_at_most_one_quiz_per_lesson(self):
        value = body_block.to_python(stamp_ids(body_block, [quiz(), quiz()]))
        with pytest.raises(ValidationError) as exc:
            body_block.clean(value)
        assert "Quiz" in str(exc.value.as_json_data())

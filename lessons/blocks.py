"""The blocks a lesson body is written with: text, media, callouts, code and quizzes.

A quiz's correct answers are stored in the block value but never rendered:
:meth:`QuizBlock.get_context` hands the template a *public* view of the questions
(prompts and option texts only), and grading happens on the server.
"""

import random
import uuid

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

from embed_video.backends import (
    UnknownBackendException,
    UnknownIdException,
    VimeoBackend,
    YoutubeBackend,
    detect_backend,
)

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "link", "ol", "ul", "hr", "document-link"]


class HeadingBlock(blocks.StructBlock):
    """A section heading, level 2 or 3, that also anchors the lesson's sections."""

    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section (H2)"), ("h3", "Subsection (H3)")], default="h2"
    )

    class Meta:
        icon = "title"
        template = "lessons/blocks/heading_block.html"
        preview_value = {"text": "Why phishing works", "level": "h2"}
        description = "A heading that starts a new section of the lesson."


class FigureBlock(blocks.StructBlock):
    """An image with alternative text and an optional caption."""

    image = ImageBlock()
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "lessons/blocks/figure_block.html"
        description = "An image with alternative text and an optional caption."


def validate_video_url(url: str) -> None:
    """Accept only YouTube and Vimeo video URLs that name a video."""
    try:
        backend = detect_backend(url)
        if not isinstance(backend, YoutubeBackend | VimeoBackend):
            raise UnknownBackendException
        backend.get_code()
    except UnknownBackendException:
        raise ValidationError(
            "Enter a YouTube or Vimeo video URL, e.g. https://www.youtube.com/watch?v=…"
        ) from None
    except UnknownIdException:
        raise ValidationError("This URL does not point at a single video.") from None


class VideoBlock(blocks.StructBlock):
    """An embedded YouTube or Vimeo video (django-embed-video), with an optional
    transcript for learners who cannot play it."""

    url = blocks.URLBlock(
        label="Video URL",
        help_text="A YouTube or Vimeo link.",
        validators=[validate_video_url],
    )
    title = blocks.CharBlock(max_length=120, help_text="Read out by screen readers.")
    caption = blocks.CharBlock(required=False, max_length=250)
    transcript = blocks.RichTextBlock(required=False, features=RICH_TEXT_FEATURES)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        try:
            context["embed_url"] = detect_backend(value["url"]).get_url()
        except (UnknownBackendException, UnknownIdException):
            context["embed_url"] = ""
        return context

    class Meta:
        icon = "media"
        template = "lessons/blocks/video_block.html"
        preview_value = {
            "url": "https://www.youtube.com/watch?v=aO858HyFbKI",
            "title": "What is phishing?",
            "caption": "Three minutes on spotting a phishing email.",
        }
        description = "A YouTube or Vimeo video with an optional transcript."


class DocumentBlock(blocks.StructBlock):
    """A document for learners to download (a checklist, slides, a policy)."""

    document = DocumentChooserBlock()
    title = blocks.CharBlock(required=False, help_text="Defaults to the document's title.")
    description = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "doc-full"
        template = "lessons/blocks/document_block.html"
        description = "A downloadable document."


class CalloutBlock(blocks.StructBlock):
    """A highlighted box: a tip, a note, a warning or a key point."""

    tone = blocks.ChoiceBlock(
        choices=[
            ("note", "Note"),
            ("tip", "Tip"),
            ("warning", "Warning"),
            ("key", "Key point"),
        ],
        default="note",
    )
    title = blocks.CharBlock(required=False, max_length=120)
    body = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "warning"
        template = "lessons/blocks/callout_block.html"
        preview_value = {
            "tone": "tip",
            "title": "Hover before you click",
            "body": "<p>Check where a link really goes before you follow it.</p>",
        }
        description = "A highlighted note, tip, warning or key point."


class CodeBlock(blocks.StructBlock):
    """A block of program code or terminal commands, shown verbatim."""

    language = blocks.ChoiceBlock(
        choices=[
            ("text", "Plain text"),
            ("bash", "Shell"),
            ("python", "Python"),
            ("javascript", "JavaScript"),
            ("html", "HTML"),
            ("css", "CSS"),
            ("sql", "SQL"),
            ("json", "JSON"),
        ],
        default="text",
    )
    code = blocks.TextBlock()
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "code"
        template = "lessons/blocks/code_block.html"
        preview_value = {"language": "bash", "code": "gpg --verify release.tar.gz.sig"}
        description = "Program code or commands, shown exactly as typed."


# --- Quizzes --------------------------------------------------------------------------


class OptionBlock(blocks.StructBlock):
    """One answer option of a choice question."""

    text = blocks.CharBlock(max_length=300)
    is_correct = blocks.BooleanBlock(required=False, label="Correct")

    class Meta:
        icon = "radio-full"
        label_format = "{text}"


class BaseQuestionBlock(blocks.StructBlock):
    """Fields every question has: the prompt and the explanation shown after submission."""

    prompt = blocks.CharBlock(max_length=500, label="Question")
    explanation = blocks.RichTextBlock(
        required=False,
        features=["bold", "italic", "link"],
        help_text="Shown to the learner after they submit, whether they were right or not.",
    )

    #: How the question is answered in the form: "single", "multiple" or "text".
    answer_widget = "single"

    def public_options(self, value) -> list[dict[str, str]]:
        """The options a learner may choose from, without any hint of correctness."""
        return []


class ChoiceQuestionBlock(BaseQuestionBlock):
    """A question answered by choosing among options."""

    options = blocks.ListBlock(OptionBlock(), min_num=2, max_num=10)

    def public_options(self, value):
        return [
            {"id": str(child.id), "text": child.value["text"]}
            for child in value["options"].bound_blocks
        ]

    def correct_count_error(self, correct: int) -> str | None:
        raise NotImplementedError

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for option in value["options"] if option["is_correct"])
        message = self.correct_count_error(correct)
        if message:
            raise StructBlockValidationError(
                block_errors={"options": ErrorList([ValidationError(message)])}
            )
        return value


class SingleChoiceQuestionBlock(ChoiceQuestionBlock):
    """Exactly one option is correct; the learner picks one."""

    def correct_count_error(self, correct):
        if correct != 1:
            return "Mark exactly one option as correct."
        return None

    class Meta:
        icon = "radio-full"
        label = "Single choice"


class MultipleChoiceQuestionBlock(ChoiceQuestionBlock):
    """One or more options are correct; the learner ticks every correct one."""

    answer_widget = "multiple"

    def correct_count_error(self, correct):
        if correct < 1:
            return "Mark at least one option as correct."
        return None

    class Meta:
        icon = "tick"
        label = "Multiple choice"


class TrueFalseQuestionBlock(BaseQuestionBlock):
    """A statement the learner marks true or false."""

    correct_answer = blocks.ChoiceBlock(
        choices=[("true", "True"), ("false", "False")], label="The statement is"
    )

    def public_options(self, value):
        return [{"id": "true", "text": "True"}, {"id": "false", "text": "False"}]

    class Meta:
        icon = "circle-check"
        label = "True or false"


class ShortAnswerQuestionBlock(BaseQuestionBlock):
    """A typed answer, right when it matches an accepted answer (ignoring case and
    surrounding spaces)."""

    accepted_answers = blocks.ListBlock(
        blocks.CharBlock(max_length=200, label="Accepted answer"),
        min_num=1,
        help_text="Any of these counts as right. Case and surrounding spaces are ignored.",
    )
    answer_widget = "text"

    class Meta:
        icon = "edit"
        label = "Short answer"


class QuestionsBlock(blocks.StreamBlock):
    """The questions of a quiz, in order."""

    single_choice = SingleChoiceQuestionBlock()
    multiple_choice = MultipleChoiceQuestionBlock()
    true_false = TrueFalseQuestionBlock()
    short_answer = ShortAnswerQuestionBlock()

    class Meta:
        min_num = 1
        max_num = 50


class QuizBlock(blocks.StructBlock):
    """A graded quiz. Answers are checked on the server; the page never contains them.

    ``pass_mark`` is a percentage (blank: the course's default); ``max_attempts`` of 0
    means unlimited; ``shuffle`` shows questions and options in a random order.
    """

    title = blocks.CharBlock(max_length=120, default="Check your understanding")
    intro = blocks.RichTextBlock(required=False, features=["bold", "italic", "link"])
    pass_mark = blocks.IntegerBlock(
        required=False,
        min_value=0,
        max_value=100,
        label="Pass mark (%)",
        help_text="Between 0 and 100. Blank uses the course's default pass mark.",
    )
    max_attempts = blocks.IntegerBlock(
        default=0, min_value=0, help_text="0 means learners may try as often as they like."
    )
    shuffle = blocks.BooleanBlock(
        required=False, help_text="Show questions and options in a random order."
    )
    questions = QuestionsBlock()

    def public_questions(self, value, *, shuffle: bool = False) -> list[dict]:
        """The questions as the learner sees them: ids, prompts and option texts only."""
        rng = random.SystemRandom()
        questions = []
        for number, child in enumerate(value["questions"], start=1):
            block = child.block
            options = block.public_options(child.value)
            if shuffle and block.answer_widget != "text" and child.block_type != "true_false":
                rng.shuffle(options)
            questions.append(
                {
                    "id": str(child.id),
                    "number": number,
                    "type": child.block_type,
                    "widget": block.answer_widget,
                    "prompt": child.value["prompt"],
                    "options": options,
                }
            )
        if shuffle:
            rng.shuffle(questions)
        return questions

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["questions"] = self.public_questions(value, shuffle=bool(value["shuffle"]))
        return context

    class Meta:
        icon = "help"
        template = "lessons/blocks/quiz_block.html"
        description = "A graded quiz: single or multiple choice, true/false, short answer."
        form_classname = "quiz-block struct-block"


class LessonBodyBlock(blocks.StreamBlock):
    """Everything a lesson body may contain. At most one quiz per lesson: passing it
    completes the lesson."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="lessons/blocks/paragraph_block.html",
        label="Text",
        description="Formatted text.",
    )
    figure = FigureBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    code = CodeBlock()
    quiz = QuizBlock()

    class Meta:
        block_counts = {"quiz": {"max_num": 1}}


def stamp_ids(block: blocks.Block, raw):
    """Give every stream child and list item in raw StreamField data a stable id.

    The admin always posts ids, but content written in code (demo data, imports,
    tests) usually has none, and Wagtail would then invent new ones on every load.
    Quiz answers are keyed by question and option ids, so those must be stored.
    Ids already present are kept.
    """
    if isinstance(block, blocks.StreamBlock):
        return [
            {
                "type": item["type"],
                "value": stamp_ids(block.child_blocks[item["type"]], item["value"]),
                "id": item.get("id") or str(uuid.uuid4()),
            }
            for item in raw
        ]
    if isinstance(block, blocks.ListBlock):
        stamped = []
        for item in raw:
            is_wrapped = isinstance(item, dict) and item.get("type") == "item" and "value" in item
            value = item["value"] if is_wrapped else item
            stamped.append(
                {
                    "type": "item",
                    "value": stamp_ids(block.child_block, value),
                    "id": (is_wrapped and item.get("id")) or str(uuid.uuid4()),
                }
            )
        return stamped
    if isinstance(block, blocks.StructBlock) and isinstance(raw, dict):
        return {
            name: stamp_ids(block.child_blocks[name], value)
            if name in block.child_blocks
            else value
            for name, value in raw.items()
        }
    return raw


__all__ = [
    "CalloutBlock",
    "CodeBlock",
    "DocumentBlock",
    "FigureBlock",
    "HeadingBlock",
    "LessonBodyBlock",
    "QuizBlock",
    "VideoBlock",
    "stamp_ids",
]

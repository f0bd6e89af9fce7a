"""A learner signs in, enrols in the demo's Security Awareness Essentials, works through
its first lessons in order, fails the first quiz, retries and passes it, and finds the
progress on the dashboard and the course outline: the learner's side end to end."""

import io
import re

from django.core.management import call_command

from playwright.sync_api import Locator, Page, expect

from catalog.models import CoursePage
from learner.demo import correct_answers
from lessons.demo.courses import SECURITY_AWARENESS
from lessons.models import LessonPage

COURSE = SECURITY_AWARENESS.title
LESSON_TITLES = [lesson.title for lesson in SECURITY_AWARENESS.lessons]
#: The first lesson with a quiz (index in the course): the course's lessons before it
#: are completed with "Mark complete".
QUIZ_INDEX = next(
    number
    for number, lesson in enumerate(SECURITY_AWARENESS.lessons)
    if any(block["type"] == "quiz" for block in lesson.body)
)
#: A short answer that no quiz accepts.
WRONG_TEXT = "carrier pigeon"
USERNAME, PASSWORD = "nova", "nova-pw-1"


def wrong_answers(lesson: LessonPage) -> dict[str, list[str]]:
    """Form data that answers every question of the lesson's quiz wrongly: a wrong
    option (the wrong verdict), or a short answer that is not accepted."""
    data: dict[str, list[str]] = {}
    for question in lesson.quiz.value["questions"]:
        value = question.value
        if question.block_type == "short_answer":
            assert WRONG_TEXT not in value["accepted_answers"]
            data[f"q-{question.id}"] = [WRONG_TEXT]
        elif question.block_type == "true_false":
            data[f"q-{question.id}"] = ["false" if value["correct_answer"] == "true" else "true"]
        else:
            wrong = [str(o.id) for o in value["options"].bound_blocks if not o.value["is_correct"]]
            data[f"q-{question.id}"] = wrong[:1]
    return data


def answer_quiz(quiz: Locator, answers: dict[str, list[str]]) -> None:
    """Fill in the quiz form with ``answers`` (form field → values) and submit it.

    Choices are ``input[name="q-<question id>"][value="<option id>"]`` (radios,
    checkboxes, or "true"/"false"); a short answer is the text input of that name.
    """
    expect(quiz.locator("fieldset")).to_have_count(len(answers))
    for field, values in answers.items():
        text_input = quiz.locator(f'input[type="text"][name="{field}"]')
        if text_input.count():
            text_input.fill(values[0])
            continue
        for value in values:
            quiz.locator(f'input[name="{field}"][value="{value}"]').check()
    quiz.get_by_role("button", name="Submit answers").click()


def sign_in(page: Page, *, username: str, password: str) -> None:
    """Sign in on the site's own login page, which leads to the home page."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("My learning")


class TestLearnerJourney:
    def test_learner_enrols_completes_lessons_in_order_and_passes_quiz_on_retry(
        self, new_page, live_server, django_user_model
    ):
        # All database work happens before the browser sends its first request.
        call_command("load_demo", stdout=io.StringIO())
        django_user_model.objects.create_user(username=USERNAME, password=PASSWORD)
        course = CoursePage.objects.live().get(slug=SECURITY_AWARENESS.slug)
        quiz_lesson = (
            LessonPage.objects.live()
            .descendant_of(course)
            .get(slug=SECURITY_AWARENESS.lessons[QUIZ_INDEX].slug)
        )
        assert course.sequential_lessons
        assert (len(LESSON_TITLES), QUIZ_INDEX) == (9, 2)
        quiz_title = quiz_lesson.quiz.value["title"]
        pass_mark = quiz_lesson.quiz.value["pass_mark"] or course.pass_mark
        wrong = wrong_answers(quiz_lesson)
        right = correct_answers(quiz_lesson)
        # The first attempt gets the first question right and every other one wrong.
        first_question = next(iter(right))
        first_try = {**wrong, first_question: right[first_question]}
        first_score = f"{100 / len(right):.0f}%"

        learner = new_page()
        sign_in(learner, username=USERNAME, password=PASSWORD)

        # The learner finds the course in the catalog.
        main_nav = learner.get_by_role("navigation", name="Main")
        main_nav.get_by_role("link", name="Courses").click()
        # The home page features the course too: wait for the catalog before choosing it.
        expect(learner).to_have_url(f"{live_server.url}/courses/")
        learner.get_by_role("link", name=COURSE, exact=True).click()
        expect(learner.get_by_role("heading", level=1)).to_have_text(COURSE)
        course_url = learner.url
        outline = learner.get_by_role("navigation", name="Course outline")
        links = outline.get_by_role("link")
        expect(links).to_have_count(len(LESSON_TITLES))
        expect(links).to_contain_text(LESSON_TITLES)
        lesson_urls = [live_server.url + link.get_attribute("href") for link in links.all()]

        # Lessons are for enrolled learners: opening one leads back, saying why.
        learner.goto(lesson_urls[0])
        expect(learner).to_have_url(course_url)
        expect(learner.get_by_text("Enrol in this course to read its lessons.")).to_be_visible()

        learner.get_by_role("button", name="Enrol", exact=True).click()
        expect(learner.get_by_text("You are enrolled.")).to_be_visible()
        learner.get_by_role("link", name="Start the course").click()
        expect(learner).to_have_url(lesson_urls[0])
        expect(learner.get_by_text("Lesson 1 of 9")).to_be_visible()

        # "Mark complete" leads on to the next lesson, until the first quiz.
        for number in range(QUIZ_INDEX):
            expect(learner.get_by_role("heading", level=1)).to_have_text(LESSON_TITLES[number])
            learner.get_by_role("button", name="Mark complete").click()
            expect(learner).to_have_url(lesson_urls[number + 1])
        expect(learner.get_by_role("heading", level=1)).to_have_text(LESSON_TITLES[QUIZ_INDEX])
        expect(learner.get_by_role("button", name="Mark complete")).to_have_count(0)
        expect(learner.get_by_text("Pass the quiz above to complete this lesson.")).to_be_visible()

        # Lessons open in order: the one after the quiz waits until the quiz is passed.
        learner.goto(lesson_urls[QUIZ_INDEX + 1])
        expect(learner).to_have_url(lesson_urls[QUIZ_INDEX])
        blocked = f"Complete “{LESSON_TITLES[QUIZ_INDEX]}” first"
        expect(learner.get_by_text(blocked)).to_be_visible()

        # A first attempt with one right answer fails, and hides the right answers.
        answer_quiz(learner.get_by_role("region", name=quiz_title), first_try)
        expect(learner).to_have_url(re.compile(r"/learn/attempts/\d+/$"))
        expect(learner.get_by_role("heading", level=1)).to_have_text("Your results: attempt 1")
        result = learner.locator(".attempt__summary")
        expect(result).to_contain_text("Not passed this time.")
        expect(result).to_contain_text(f"{first_score} · pass mark {pass_mark}%")
        expect(learner.get_by_text("(the right answer)")).to_have_count(0)

        learner.get_by_role("link", name="Try again").click()
        expect(learner).to_have_url(f"{lesson_urls[QUIZ_INDEX]}#quiz")
        quiz = learner.get_by_role("region", name=quiz_title)
        expect(quiz).to_contain_text(f"Your last attempt: {first_score} (not passed)")
        answer_quiz(quiz, right)
        expect(learner.get_by_role("heading", level=1)).to_have_text("Your results: attempt 2")
        result = learner.locator(".attempt__summary")
        expect(result).to_contain_text("You passed.")
        expect(result).to_contain_text(f"100% · pass mark {pass_mark}%")
        expect(learner.get_by_role("link", name="Try again")).to_have_count(0)

        # The dashboard shows the course a third done: 3 of its 9 lessons.
        main_nav.get_by_role("link", name="My learning").click()
        expect(learner).to_have_url(f"{live_server.url}/dashboard/")
        card = learner.locator(".enrolment-card").filter(
            has=learner.get_by_role("link", name=COURSE, exact=True)
        )
        expect(card).to_contain_text("33% complete")
        expect(card.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "33")

        # The course outline ticks the three completed lessons, and the next one opens.
        card.get_by_role("link", name=COURSE, exact=True).click()
        expect(learner).to_have_url(course_url)
        expect(learner.locator(".course-panel")).to_contain_text("33% complete · 3 of 9 lessons")
        items = learner.get_by_role("navigation", name="Course outline").locator(
            "li.outline__lesson"
        )
        expect(items).to_have_count(len(LESSON_TITLES))
        for number in range(len(LESSON_TITLES)):
            ticked = re.compile(r"\bis-complete\b")
            if number <= QUIZ_INDEX:
                expect(items.nth(number)).to_have_class(ticked)
            else:
                expect(items.nth(number)).not_to_have_class(ticked)

        learner.get_by_role("link", name="Continue where you left off").click()
        expect(learner).to_have_url(lesson_urls[QUIZ_INDEX + 1])
        expect(learner.get_by_role("heading", level=1)).to_have_text(LESSON_TITLES[QUIZ_INDEX + 1])

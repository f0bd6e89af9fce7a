"""An instructor writes a course in the Wagtail admin, a reviewer previews and approves
it as a whole, and a visitor finds it in the catalog, enrols and reads a lesson:
"Course review" end to end.

The instructor saves the course, its module and the first lesson as drafts and submits
the second lesson, which puts the whole course in review and locks its pages for them.
The reviewer sees one item on the dashboard, the course; its preview shows every draft
module and lesson with its body; approving it once publishes them all together.
"""

import re

from playwright.sync_api import expect

from tests.e2e.helpers import (
    approve_from_dashboard,
    fill_title,
    insert_block,
    make_user,
    open_add_child_page,
    open_review_preview,
    review_row,
    save_draft,
    sign_in_to_admin,
    submit_for_review,
    type_rich_text,
)

#: A word no other course uses, to search the catalog with.
WORD = "Zephyrology"
COURSE = f"{WORD} for beginners"
MODULE = "Reading the winds"
LESSON = "Gentle westerlies"
LESSON_TEXT = "Zephyrs are the mild winds of early summer."
SECOND_LESSON = "Boreas and the north"
SECOND_LESSON_TEXT = "The north wind brings the cold of winter."
QUIZ = f"{WORD} check"
QUESTION = "Which wind is a zephyr?"
RIGHT_OPTION = "A gentle west wind"
WRONG_OPTION = "A tropical cyclone"


class TestCourseAuthoring:
    def test_instructor_writes_course_reviewer_approves_visitor_finds_it(
        self, new_page, django_user_model
    ):
        make_user(django_user_model, username="ines", group="Instructors", password="ines-pw-1")
        make_user(django_user_model, username="remy", group="Reviewers", password="remy-pw-1")
        django_user_model.objects.create_user(username="lena", password="lena-pw-1")

        # The instructor writes the course, a module and its first lesson as drafts:
        # instructors cannot publish, and submitting would lock the course for them.
        instructor = new_page()
        sign_in_to_admin(instructor, username="ines", password="ines-pw-1")
        instructor.goto("/admin/pages/")
        expect(instructor.get_by_role("heading", name="Courses")).to_be_visible()
        instructor.get_by_role("link", name="Add child page", exact=True).click()
        fill_title(instructor, COURSE)
        instructor.locator('input[name="summary"]').fill(f"A first course in {WORD}.")
        # A new course is instructed by whoever creates it.
        expect(instructor.get_by_role("checkbox", name="ines", exact=True)).to_be_checked()
        expect(instructor.locator('button[name="action-publish"]')).to_have_count(0)
        course_id = save_draft(instructor, COURSE)

        open_add_child_page(instructor, course_id)
        fill_title(instructor, MODULE)
        module_id = save_draft(instructor, MODULE)

        open_add_child_page(instructor, module_id)
        fill_title(instructor, LESSON)
        body = instructor.locator('[data-contentpath="body"]')
        insert_block(instructor, body, "Text")
        type_rich_text(instructor, "body-0-value", LESSON_TEXT)
        insert_block(instructor, body, "Quiz")
        instructor.locator('input[name="body-1-value-title"]').fill(QUIZ)
        questions = instructor.locator('[data-contentpath="questions"]')
        insert_block(instructor, questions, "Single choice")
        question = "body-1-value-questions-0-value-"
        instructor.locator(f'input[name="{question}prompt"]').fill(QUESTION)
        # A new choice question comes with one empty option; the list's last "Add"
        # button appends the second.
        instructor.locator(f'input[name="{question}options-0-value-text"]').fill(RIGHT_OPTION)
        instructor.locator(f'input[name="{question}options-0-value-is_correct"]').check()
        instructor.locator('[data-contentpath="options"] [data-streamfield-list-add]').last.click()
        instructor.locator(f'input[name="{question}options-1-value-text"]').fill(WRONG_OPTION)
        lesson_id = save_draft(instructor, LESSON)

        # Submitting the last lesson submits the whole course.
        open_add_child_page(instructor, module_id)
        fill_title(instructor, SECOND_LESSON)
        insert_block(instructor, instructor.locator('[data-contentpath="body"]'), "Text")
        type_rich_text(instructor, "body-0-value", SECOND_LESSON_TEXT)
        submit_for_review(instructor, SECOND_LESSON)

        # While the course is in review, its pages are locked for the instructor.
        instructor.goto(f"/admin/pages/{lesson_id}/edit/")
        expect(instructor.get_by_text(f"The course “{COURSE}” is awaiting review.")).to_be_visible()
        # The footer's save button becomes a disabled "Page locked".
        expect(instructor.get_by_role("button", name="Page locked")).to_be_disabled()
        expect(instructor.get_by_role("button", name="Save draft", exact=True)).to_have_count(0)
        instructor.goto(f"/admin/pages/{module_id}/")
        expect(instructor.get_by_role("heading", name=MODULE)).to_be_visible()
        expect(instructor.get_by_role("link", name="Add child page", exact=True)).to_have_count(0)

        # Nothing is public until a reviewer approves.
        visitor = new_page()
        visitor.goto(f"/courses/?q={WORD}")
        expect(visitor.get_by_role("status")).to_contain_text("0 courses")

        # The reviewer has one item to review, the course, and previews all of it.
        reviewer = new_page()
        sign_in_to_admin(reviewer, username="remy", password="remy-pw-1")
        expect(reviewer.locator("#awaiting-review-content tbody tr")).to_have_count(1)
        expect(review_row(reviewer, COURSE)).to_have_count(1)
        open_review_preview(reviewer, COURSE)
        expect(reviewer.get_by_text("Whole-course preview")).to_be_visible()
        expect(reviewer.get_by_role("heading", level=1)).to_have_text(COURSE)
        expect(reviewer.get_by_role("status")).to_have_text(
            "Approving publishes the course with 1 module and 2 lessons "
            "marked new or changed below."
        )
        outline = reviewer.get_by_role("navigation", name="Course outline")
        expect(outline.get_by_role("heading", name=MODULE)).to_be_visible()
        expect(outline.get_by_role("link")).to_contain_text([LESSON, SECOND_LESSON])
        module = reviewer.locator(".course-review__module")
        expect(module).to_have_count(1)
        expect(module.locator("> h2")).to_have_text(f"{MODULE} New")
        lessons = module.locator(".course-review__lesson")
        expect(lessons).to_have_count(2)
        expect(lessons.locator(".lesson__header h3")).to_have_text(
            [f"{LESSON} New", f"{SECOND_LESSON} New"]
        )
        expect(lessons.nth(0)).to_contain_text(LESSON_TEXT)
        # The reviewer sees the quiz with its answer key, and no form to submit.
        quiz_key = lessons.nth(0).get_by_role("region", name=f"Quiz: {QUIZ}")
        expect(quiz_key).to_contain_text(QUESTION)
        expect(quiz_key).to_contain_text(f"{RIGHT_OPTION} (correct)")
        expect(lessons.nth(0).locator("form")).to_have_count(0)
        expect(lessons.nth(1)).to_contain_text(SECOND_LESSON_TEXT)

        # Approving the course once publishes it with its module and lessons.
        approve_from_dashboard(reviewer, COURSE)
        expect(reviewer.locator("#awaiting-review-content tbody tr")).to_have_count(0)

        # An anonymous visitor finds the course and its outline, but lessons are for
        # enrolled learners: opening one leads back to the course with the reason.
        visitor.goto(f"/courses/?q={WORD.lower()}")
        expect(visitor.get_by_role("status")).to_contain_text("1 course")
        visitor.get_by_role("link", name=COURSE, exact=True).click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text(COURSE)
        lesson_fact = visitor.locator(".facts > div").filter(
            has=visitor.locator("dt", has_text=re.compile("^Lessons$"))
        )
        expect(lesson_fact.locator("dd")).to_have_text("2")
        outline = visitor.get_by_role("navigation", name="Course outline")
        expect(outline.get_by_role("heading", name=MODULE)).to_be_visible()
        expect(outline.get_by_role("link")).to_have_text(
            [re.compile(rf"1\.\s+{LESSON}"), re.compile(rf"2\.\s+{SECOND_LESSON}")]
        )
        outline.get_by_role("link", name=LESSON).click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text(COURSE)
        expect(visitor.get_by_text("enrol in this course to read its lessons")).to_be_visible()

        # Signed in and enrolled, the visitor reads the first lesson and sees its quiz.
        visitor.get_by_role("link", name="Sign in to enrol").click()
        visitor.get_by_label("Username").fill("lena")
        visitor.get_by_label("Password").fill("lena-pw-1")
        visitor.get_by_role("button", name="Sign in").click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text(COURSE)
        visitor.get_by_role("button", name="Enrol").click()
        visitor.get_by_role("link", name="Start the course").click()

        expect(visitor.get_by_role("heading", level=1)).to_have_text(LESSON)
        expect(visitor.get_by_text(LESSON_TEXT)).to_be_visible()
        quiz = visitor.get_by_role("region", name=QUIZ)
        expect(quiz).to_contain_text(QUESTION)
        expect(quiz.get_by_label(RIGHT_OPTION)).to_be_visible()
        expect(quiz.get_by_label(WRONG_OPTION)).to_be_visible()
        # The answer key never reaches the browser: not the admin's "Correct" mark,
        # not the stored field name, not a class or data attribute.
        assert "correct" not in quiz.inner_html().lower()
        assert "is_correct" not in visitor.content()

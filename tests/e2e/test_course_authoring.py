"""An instructor writes a course in the Wagtail admin, a reviewer approves it, and a
visitor finds it in the catalog, enrols and reads the lesson: "Course review" end to end."""

from playwright.sync_api import expect

from tests.e2e.helpers import (
    approve_from_dashboard,
    fill_title,
    insert_block,
    make_user,
    open_add_child_page,
    rich_text_editor,
    sign_in_to_admin,
    submit_for_review,
)

#: A word no other course uses, to search the catalog with.
WORD = "Zephyrology"
COURSE = f"{WORD} for beginners"
MODULE = "Reading the winds"
LESSON = "Gentle westerlies"
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

        # The instructor writes the course, a module and a lesson, and submits each one:
        # drafts may have draft children, and instructors cannot publish.
        instructor = new_page()
        sign_in_to_admin(instructor, username="ines", password="ines-pw-1")
        instructor.goto("/admin/pages/")
        expect(instructor.get_by_role("heading", name="Courses")).to_be_visible()
        instructor.get_by_role("link", name="Add child page", exact=True).click()
        fill_title(instructor, COURSE)
        instructor.locator('input[name="summary"]').fill(f"A first course in {WORD}.")
        expect(instructor.locator('button[name="action-publish"]')).to_have_count(0)
        submit_for_review(instructor, COURSE)

        open_add_child_page(instructor, COURSE)
        fill_title(instructor, MODULE)
        submit_for_review(instructor, MODULE)

        open_add_child_page(instructor, MODULE)
        fill_title(instructor, LESSON)
        body = instructor.locator('[data-contentpath="body"]')
        insert_block(instructor, body, "Text")
        rich_text_editor(instructor, "body-0-value").click()
        instructor.keyboard.type("Zephyrs are the mild winds of early summer.")
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
        submit_for_review(instructor, LESSON)

        # Nothing is public until a reviewer approves.
        visitor = new_page()
        visitor.goto(f"/courses/?q={WORD}")
        expect(visitor.get_by_role("status")).to_contain_text("0 courses")

        # The reviewer approves top-down, so each page goes live under a live parent.
        reviewer = new_page()
        sign_in_to_admin(reviewer, username="remy", password="remy-pw-1")
        for title in (COURSE, MODULE, LESSON):
            approve_from_dashboard(reviewer, title)

        # An anonymous visitor finds the course and its outline, but lessons are for
        # enrolled learners: opening one leads back to the course with the reason.
        visitor.goto(f"/courses/?q={WORD.lower()}")
        expect(visitor.get_by_role("status")).to_contain_text("1 course")
        visitor.get_by_role("link", name=COURSE, exact=True).click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text(COURSE)
        outline = visitor.get_by_role("navigation", name="Course outline")
        expect(outline.get_by_role("heading", name=MODULE)).to_be_visible()
        outline.get_by_role("link", name=LESSON).click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text(COURSE)
        expect(visitor.get_by_text("enrol in this course to read its lessons")).to_be_visible()

        # Signed in and enrolled, the visitor reads the lesson and sees its quiz.
        visitor.get_by_role("link", name="Sign in to enrol").click()
        visitor.get_by_label("Username").fill("lena")
        visitor.get_by_label("Password").fill("lena-pw-1")
        visitor.get_by_role("button", name="Sign in").click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text(COURSE)
        visitor.get_by_role("button", name="Enrol").click()
        visitor.get_by_role("link", name="Start the course").click()

        expect(visitor.get_by_role("heading", level=1)).to_have_text(LESSON)
        quiz = visitor.get_by_role("region", name=QUIZ)
        expect(quiz).to_contain_text(QUESTION)
        expect(quiz.get_by_label(RIGHT_OPTION)).to_be_visible()
        expect(quiz.get_by_label(WRONG_OPTION)).to_be_visible()
        # The answer key never reaches the browser: not the admin's "Correct" mark,
        # not the stored field name, not a class or data attribute.
        assert "correct" not in quiz.inner_html().lower()
        assert "is_correct" not in visitor.content()

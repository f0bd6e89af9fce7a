"""A learner takes a quiz with the keyboard alone: Tab to each question, Space and the
arrow keys to choose, typing for a short answer, Enter on "Submit answers"; and every
element that Tab reaches on the way shows where the focus is (WCAG 2.4.7), in a colour
that stands out from what is around it (at least 3:1, WCAG 1.4.11).
"""

import re

from playwright.sync_api import Page, expect

from learner import services as learner_services
from tests.e2e.learner_pages import sign_in
from tests.learner.factories import EnrollmentFactory, UserFactory, answer_key, small_course

#: Tab presses allowed to get from one quiz question to the next (the first question
#: is further: header, skip link, lesson text).
MAX_TABS = 40
#: The least contrast a focus indicator needs against the colour beside it.
FOCUS_CONTRAST = 3.0

#: The focused element and how its focus shows: outline, box shadow, and the
#: background it is drawn over (the nearest ancestor with an opaque background).
FOCUS_SCRIPT = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    let behind = "rgb(255, 255, 255)";
    for (let node = el.parentElement; node; node = node.parentElement) {
        const colour = getComputedStyle(node).backgroundColor;
        if (colour !== "transparent" && !colour.endsWith(", 0)")) { behind = colour; break; }
    }
    return {
        onPage: el !== document.body,
        element: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
            + (el.textContent.trim() ? " " + el.textContent.trim().slice(0, 40) : ""),
        fieldset: el.closest("fieldset.quiz__question")?.id || null,
        type: el.type || null,
        value: el.value ?? null,
        outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth),
        outlineColour: style.outlineColor,
        boxShadow: style.boxShadow,
        behind,
    };
}"""


def _luminance(colour: str) -> float:
    red, green, blue = (float(part) for part in re.findall(r"[\d.]+", colour)[:3])

    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two CSS ``rgb()`` colours."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


class FocusWalker:
    """Presses keys on a page and checks, after every Tab, that the focus shows."""

    def __init__(self, page: Page):
        self.page = page
        self.hidden_focus: list[str] = []

    def focused(self) -> dict:
        return self.page.evaluate(FOCUS_SCRIPT)

    def tab(self) -> dict:
        self.page.keyboard.press("Tab")
        focus = self.focused()
        if not focus["onPage"]:  # past the last stop: the focus went to the browser
            return focus
        outlined = focus["outlineStyle"] != "none" and focus["outlineWidth"] >= 2
        if not (outlined or focus["boxShadow"] != "none"):
            self.hidden_focus.append(f"{focus['element']}: no outline or box shadow")
        elif outlined and contrast(focus["outlineColour"], focus["behind"]) < FOCUS_CONTRAST:
            ratio = contrast(focus["outlineColour"], focus["behind"])
            self.hidden_focus.append(
                f"{focus['element']}: outline {focus['outlineColour']} on {focus['behind']}"
                f" is {ratio:.2f}:1"
            )
        return focus

    def tab_into(self, fieldset_id: str) -> dict:
        for _ in range(MAX_TABS):
            focus = self.tab()
            if focus["fieldset"] == fieldset_id:
                return focus
        raise AssertionError(f"Tab never reached {fieldset_id}")


class TestKeyboardQuiz:
    def test_learner_takes_quiz_with_keyboard_only_and_focus_always_shows(
        self, new_page, live_server
    ):
        learner = UserFactory(username="kit")
        course = small_course(title="Keyboard seamanship")
        enrollment = EnrollmentFactory(user=learner, course=course.course)
        learner_services.lesson_complete(enrollment=enrollment, lesson=course.reading)
        right = answer_key(course.quiz_lesson)

        page = new_page()
        sign_in(page, username="kit")
        page.goto(course.quiz_lesson.url)
        expect(page.get_by_role("heading", level=1)).to_have_text(course.quiz_lesson.title)
        walker = FocusWalker(page)
        keyboard = page.keyboard

        questions = page.locator("fieldset.quiz__question")
        expect(questions).to_have_count(len(right))
        for number, (field, values) in enumerate(right.items()):
            fieldset_id = questions.nth(number).get_attribute("id")
            focus = walker.tab_into(fieldset_id)
            choices = [value for value in values if value]
            if focus["type"] == "text":
                keyboard.type(choices[0])
            elif focus["type"] == "radio":
                # Tab lands on the group's first option; arrows move and choose.
                options = questions.nth(number).locator(f'input[name="{field}"]')
                index = [options.nth(i).get_attribute("value") for i in range(options.count())]
                steps = index.index(choices[0])
                if steps == 0:
                    keyboard.press("Space")
                for _ in range(steps):
                    keyboard.press("ArrowDown")
            else:
                # Checkboxes: one Tab stop each; Space ticks the right ones.
                boxes = questions.nth(number).locator(f'input[type="checkbox"][name="{field}"]')
                for position in range(boxes.count()):
                    if position:
                        focus = walker.tab()
                    if focus["value"] in choices:
                        keyboard.press("Space")
            if focus["type"] == "text":
                expect(page.locator(f'input[name="{field}"]')).to_have_value(choices[0])
            for value in choices if focus["type"] != "text" else []:
                expect(page.locator(f'input[name="{field}"][value="{value}"]')).to_be_checked()

        focus = walker.tab()
        assert focus["element"] == "button Submit answers", focus
        keyboard.press("Enter")

        expect(page.get_by_role("heading", level=1)).to_have_text("Your results: attempt 1")
        expect(page.locator(".attempt__summary")).to_contain_text("100% · pass mark 75%")
        expect(page.locator(".attempt__summary")).to_contain_text("You passed.")
        # On the results page too, every stop Tab reaches shows the focus.
        for _ in range(MAX_TABS):
            if not walker.tab()["onPage"]:
                break
        assert walker.hidden_focus == [], "\n".join(walker.hidden_focus)

"""At phone width (375 px) no learner page scrolls sideways, and a lesson puts its
content first with the course outline in a collapsible section after it.

One browser context visits every page, signed out and then signed in, so the whole
check costs one browser start.
"""

from playwright.sync_api import Page, expect

from tests.e2e.learner_pages import LEARNER_PAGES, PUBLIC_PAGES, build_learner_site, sign_in

PHONE = {"width": 375, "height": 740}

#: How far the page reaches past the viewport, and which elements stick out (or
#: scroll sideways inside their own box), to say why in the failure.
OVERFLOW_SCRIPT = """() => {
    const width = window.innerWidth;
    const describe = (el) => el.tagName.toLowerCase()
        + (el.id ? "#" + el.id : "")
        + (el.classList.length ? "." + [...el.classList].join(".") : "");
    const sticking = [];
    const scrolling = [];
    for (const el of document.body.querySelectorAll("*")) {
        const box = el.getBoundingClientRect();
        if (box.width && box.right > width + 1) sticking.push(describe(el));
        const overflowX = getComputedStyle(el).overflowX;
        if ((overflowX === "auto" || overflowX === "scroll") && el.scrollWidth > el.clientWidth + 1)
            scrolling.push(describe(el));
    }
    return {
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: width,
        sticking: sticking.slice(0, 8),
        scrolling,
    };
}"""

#: Each quiz question's legend, and whether it sits inside its fieldset's border.
LEGEND_SCRIPT = """() => [...document.querySelectorAll(".quiz__question")].map((fieldset) => {
    const legend = fieldset.querySelector("legend").getBoundingClientRect();
    const box = fieldset.getBoundingClientRect();
    const border = parseFloat(getComputedStyle(fieldset).borderTopWidth);
    return {text: fieldset.querySelector("legend").textContent.trim(),
            inside: legend.top >= box.top + border && legend.left >= box.left + border};
})"""


def sideways_scroll(page: Page) -> str | None:
    """Why the page scrolls sideways (the whole page or a box inside it), or None."""
    result = page.evaluate(OVERFLOW_SCRIPT)
    if result["scrollWidth"] <= result["innerWidth"] and not result["scrolling"]:
        return None
    return (
        f"{page.url}: scrollWidth {result['scrollWidth']} > innerWidth {result['innerWidth']}"
        if result["scrollWidth"] > result["innerWidth"]
        else f"{page.url}: boxes scroll sideways"
    ) + f"; sticking out: {result['sticking']}; scrolling inside: {result['scrolling']}"


class TestPhoneWidth:
    def test_no_learner_page_scrolls_sideways_at_375_px(self, browser, live_server):
        site = build_learner_site()
        context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-GB")
        try:
            page = context.new_page()
            problems = []
            for name in PUBLIC_PAGES:
                page.goto(site.paths[name])
                problems.append(sideways_scroll(page))
            sign_in(page)
            for name in (*PUBLIC_PAGES, *LEARNER_PAGES):
                page.goto(site.paths[name])
                expect(page.get_by_role("heading", level=1)).to_be_visible()
                problems.append(sideways_scroll(page))
            assert [problem for problem in problems if problem] == []
        finally:
            context.close()

    def test_lesson_shows_content_first_and_outline_collapsible_at_375_px(
        self, browser, live_server
    ):
        site = build_learner_site()
        context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-GB")
        try:
            page = context.new_page()
            sign_in(page)
            page.goto(site.paths["lesson"])
            title = page.get_by_role("heading", level=1)
            outline = page.get_by_role("navigation", name="Course outline")
            expect(title).to_have_text(site.course.quiz_lesson.title)

            # The lesson comes first, in the page and on the screen.
            assert title.bounding_box()["y"] < outline.bounding_box()["y"]
            first = page.evaluate(
                "() => !!(document.querySelector('article.lesson').compareDocumentPosition("
                "document.querySelector('nav.outline')) & Node.DOCUMENT_POSITION_FOLLOWING)"
            )
            assert first, "the outline comes before the lesson in the page"

            # The outline is a disclosure (<details>) that folds and unfolds without JS.
            summary = page.locator("details.lesson-outline > summary")
            expect(summary).to_contain_text("Course outline")
            link = outline.get_by_role("link", name=site.course.reading.title)
            was_open = link.is_visible()
            summary.click()
            expect(link).to_be_visible(visible=not was_open)
            summary.click()
            expect(link).to_be_visible(visible=was_open)

            # Quiz questions: each legend sits inside its box, not across its border.
            legends = page.evaluate(LEGEND_SCRIPT)
            assert legends and all(legend["inside"] for legend in legends), legends
        finally:
            context.close()

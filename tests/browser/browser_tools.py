"""Helpers for browser tests (a plain module: conftest files cannot be imported reliably)."""

from english_leftovers import english_in
from fixture_paths import REPO

NODE_MODULES = REPO / "node_modules"
#: Visible text plus what assistive technology reads out (labels, live regions, the document's title).
SHOWN = """() => {
  const names = ["aria-label", "title", "alt", "placeholder"];
  const labelled = Array.from(document.querySelectorAll(names.map(name => "[" + name + "]").join(",")));
  const attributes = labelled.flatMap(el => names.map(name => el.getAttribute(name) || ""));
  return [document.title, document.body.innerText, ...attributes].join("\\n");
}"""
#: The same within one element: a block on a page that is not ours (the workbench's own panels are in English).
SHOWN_WITHIN = """(root) => {
  const names = ["aria-label", "title", "alt", "placeholder"];
  const labelled = [root, ...root.querySelectorAll(names.map(name => "[" + name + "]").join(","))];
  const attributes = labelled.flatMap(el => names.map(name => el.getAttribute(name) || ""));
  return [root.innerText, ...attributes].join("\\n");
}"""


def english_met(text: str, language: str) -> list[str]:
    """The English that a learner who reads ``language`` meets in ``text`` (none is out of place for English)."""
    return [] if language == "en" else english_in(text, language)


def axe_violations(page, selector: str | None = None) -> list[dict]:
    """Run axe-core (npm package) in the page; return its violations, optionally within ``selector``."""
    page.add_script_tag(path=str(NODE_MODULES / "axe-core" / "axe.min.js"))
    context = f"document.querySelector({selector!r})" if selector else "document"
    return page.evaluate(
        f"async () => (await axe.run({context}, {{runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', "
        "'best-practice']})).violations.map(v => ({id: v.id, impact: v.impact, help: v.help, "
        "nodes: v.nodes.map(n => n.target.join(' '))}))"
    )


def show_item(scope, item_id: str):
    """The quiz item ``item_id``, shown as a learner reaches it.

    The quiz shows one item at a time, so press Next (then Previous) until it is on screen. ``scope`` is a page, a
    frame or a block's locator.
    """
    fieldset = scope.locator(f"fieldset[data-item='{item_id}']")
    for button in (".lm-next", ".lm-prev"):
        for _ in range(30):
            if fieldset.is_visible():
                return fieldset
            pager = scope.locator(f".lm-quiz {button}")
            if pager.is_hidden():
                break
            pager.click()
    raise AssertionError(f"the quiz never showed item {item_id}")


def choose(scope, item_id: str, value: str) -> None:
    """Choose ``value`` in quiz item ``item_id`` with the mouse, paging to it first (see ``show_item``)."""
    show_item(scope, item_id).locator(f"input[value='{value}']").check()


def to_review(scope) -> None:
    """Page on to the quiz's review screen, where Submit is."""
    for _ in range(30):
        if scope.locator(".lm-submit-quiz").is_visible():
            return
        scope.locator(".lm-quiz .lm-next").click()
    raise AssertionError("the quiz never reached its review screen")


def focused(page, selector: str) -> bool:
    """Whether the element that has the focus matches ``selector``."""
    return page.evaluate("s => document.activeElement.matches(s)", selector)


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page, selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def pick_by_keyboard(page, index: int) -> None:
    """Choose the ``index``-th option of the item on screen (focus is on its first radio), then go on with Enter.

    Enter on a chosen answer does what Next does (as Enter submits a form): one key where Tab to Next and Enter
    are two. ``tests/browser/test_learner_orientation.py`` checks both ways on.
    """
    assert focused(page, "input[type=radio]")
    if index == 0:
        page.keyboard.press("Space")
    for _ in range(index):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")


class CountedKeys:
    """Every key a learner presses, typed characters included (docs/benchmarks.md reports the count)."""

    def __init__(self, keyboard):
        self.keyboard, self.count = keyboard, 0

    def press(self, key: str) -> None:
        self.count += 1
        self.keyboard.press(key)

    def type(self, text: str) -> None:
        self.count += len(text)
        self.keyboard.type(text)


class CountedPage:
    """A page whose keyboard counts what the learner presses."""

    def __init__(self, page):
        self.page, self.keyboard = page, CountedKeys(page.keyboard)

    def __getattr__(self, name: str):
        return getattr(self.page, name)

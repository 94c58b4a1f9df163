"""Helpers for browser tests (a plain module: conftest files cannot be imported reliably)."""

from fixture_paths import REPO

NODE_MODULES = REPO / "node_modules"
#: Visible text plus what assistive technology reads out (labels, live regions, the document's title).
SHOWN = """() => {
  const names = ["aria-label", "title", "alt", "placeholder"];
  const labelled = Array.from(document.querySelectorAll(names.map(name => "[" + name + "]").join(",")));
  const attributes = labelled.flatMap(el => names.map(name => el.getAttribute(name) || ""));
  return [document.title, document.body.innerText, ...attributes].join("\\n");
}"""


def axe_violations(page, selector: str | None = None) -> list[dict]:
    """Run axe-core (npm package) in the page; return its violations, optionally within ``selector``."""
    page.add_script_tag(path=str(NODE_MODULES / "axe-core" / "axe.min.js"))
    context = f"document.querySelector({selector!r})" if selector else "document"
    return page.evaluate(
        f"async () => (await axe.run({context}, {{runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', "
        "'best-practice']})).violations.map(v => ({id: v.id, impact: v.impact, help: v.help, "
        "nodes: v.nodes.map(n => n.target.join(' '))}))"
    )

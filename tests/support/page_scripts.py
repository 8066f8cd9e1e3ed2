"""The measuring scripts the browser tests evaluate in the page, as Playwright wants
them: one arrow function (a bare expression would need eval, which the CSP refuses),
comment lines left out, and the shared contrast helpers pasted in."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent


def _code(name: str) -> str:
    return "\n".join(line for line in (HERE / name).read_text().splitlines() if not line.startswith("//"))


def page_script(name: str) -> str:
    """tests/support/<name>, ready for `page.evaluate`."""
    return _code(name).replace("  /* contrast.js */", _code("contrast.js"))

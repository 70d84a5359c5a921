"""Response headers written as text. Werkzeug's `response.vary` parses the header into a set and writes it back on
each change: several times an answer, a measurable share of a page served whole from the cache."""

from werkzeug.datastructures import Headers


def vary_also_on(headers: Headers, *names: str) -> None:
    """Add `names` to the answer's `Vary` header, each once, keeping those already there."""
    current = headers.get("Vary")
    present = {part.strip().lower() for part in current.split(",")} if current else set()
    added = [name for name in names if name.lower() not in present]
    if added:
        headers["Vary"] = ", ".join(([current] if current else []) + added)

"""Reading PDFs in tests: their text (no-break spaces made plain) and the kinds of their structure tree."""

import io

from pypdf import PdfReader


def normalised(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def pdf_text(content: bytes) -> str:
    """Every page's text, whitespace folded."""
    return normalised(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def structure_kinds(reader: PdfReader) -> set[str]:
    """Every structure type (/H1, /P, /Table, ...) of the tagged PDF's structure tree."""
    kinds: set[str] = set()

    def walk(node, depth=0):
        node = node.get_object()
        if "/S" in node:
            kinds.add(str(node["/S"]))
        kids = node.get("/K")
        if kids is None or depth > 40:
            return
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                walk(kid, depth + 1)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return kinds


def figure_alternatives(reader: PdfReader) -> list[str]:
    """The alternative text (/Alt) of every /Figure of the tagged PDF's structure tree, in order."""
    found = []

    def walk(node) -> None:
        node = node.get_object()
        if node.get("/S") == "/Figure":
            found.append(str(node.get("/Alt")))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found

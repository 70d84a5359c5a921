"""Templates decide no rule: they never compare a status, a kind, an offer or any other value with a quoted string
(`order.status == 'paid'`, `offer in ('plus', 'solo')`). They call the predicate that the model or the service
defines once (`order.is_plus`, `is_paid(order)`, `quiz_status.passed`) and show labels with the `label` filter."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "app" / "templates"

# Comparisons with a string that are not about the domain: which page is shown (navigation), the HTTP method,
# the reader's language, and WTForms' field classes in the error summary.
NOT_A_RULE = {"request.endpoint", "request.method", "current_language", "field.type"}

_JINJA = re.compile(r"\{[{%](.*?)[%}]\}", re.DOTALL)
_QUOTED = r"""(?:'[^']*'|"[^"]*")"""
_QUOTED_LIST = rf"""[(\[]\s*{_QUOTED}(?:\s*,\s*{_QUOTED})*\s*,?\s*[)\]]"""
_OPERAND = r"[A-Za-z_][\w.]*(?:\[[^\]]*\])*"
_COMPARISON = re.compile(
    rf"(?P<left>{_OPERAND})\s*(?:==|!=|\bnot\s+in\b|\bin\b)\s*(?:{_QUOTED}|{_QUOTED_LIST})"
    rf"|(?P<quoted>{_QUOTED})\s*(?:==|!=)\s*(?P<right>{_OPERAND})"
    # Jinja's tests and filters that compare too: `x is equalto 'paid'`, `selectattr('status', 'equalto', 'paid')`.
    rf"|\bis\s+(?:not\s+)?(?:equalto|eq|==|ne|!=|sameas)\s*\(?\s*{_QUOTED}"
    rf"|(?:select|reject)attr\(\s*{_QUOTED}\s*,\s*{_QUOTED}")


def comparisons(source: str) -> list[str]:
    """The comparisons with a quoted string inside the Jinja tags of a template, but those of NOT_A_RULE."""
    found = []
    for tag in _JINJA.finditer(source):
        for match in _COMPARISON.finditer(tag.group(1)):
            operand = match.group("left") or match.group("right")
            if operand not in NOT_A_RULE:
                found.append(" ".join(match.group(0).split()))
    return found


def _templates() -> list[Path]:
    return sorted(path for path in TEMPLATES.rglob("*") if path.is_file() and path.suffix in (".html", ".txt"))


@pytest.mark.parametrize("example", [
    "{% if order.status == 'paid' %}",
    "{% if subscription.status in ('active', 'past_due') and x %}",
    '{% set name = a if offer == "plus" else b %}',
    "{% if report.outcome != 'hidden' %}",
    "{% if subscription.offer not in ['solo'] %}",
    "{{ 'x' if 'plus' == order.offer }}",
    "{% if order.status is equalto 'paid' %}",
    "{% for o in orders | selectattr('status', 'equalto', 'paid') %}",
    "{% if labels[item.kind] == 'Vidéo' %}",
])
def test_the_scan_finds_a_comparison_with_a_string(example: str) -> None:
    assert comparisons(example)


@pytest.mark.parametrize("example", [
    "{% if request.endpoint == 'account.premium' %}",
    "{{ 'fr-fr/' if current_language == 'fr' else '' }}",
    "{% if is_plus(order.offer) and is_paid(order) %}",
    "{% if number == results.page %}",
    "<input type=\"hidden\" name=\"x\" value=\"{{ value }}\">",
    "{{ url_for('checkout.start', offer='plus') }}",
])
def test_the_scan_leaves_other_code_alone(example: str) -> None:
    assert comparisons(example) == []


def test_templates_compare_no_value_with_a_string() -> None:
    assert _templates(), "no template found"
    found: dict[str, list[str]] = {}
    for path in _templates():
        name = path.relative_to(TEMPLATES).as_posix()
        if hits := comparisons(path.read_text(encoding="utf-8")):
            found[name] = hits
    assert found == {}


_OWNERSHIP = re.compile(r"(?:==|!=)\s*current_user\.id\b|\bcurrent_user\.id\s*(?:==|!=)")


def test_templates_ask_the_service_who_may_act_on_a_post_or_message() -> None:
    """Whose post or message it is, and so who may report it or write to its author, is the community service's
    rule (discussions.is_author, can_report, can_message, sent_by, can_report_message), never a comparison of ids
    in a template."""
    assert _OWNERSHIP.search("{% if post.author_id != current_user.id %}")
    assert not _OWNERSHIP.search("{% if can_report(post, current_user) %}")
    found = {path.relative_to(TEMPLATES).as_posix() for path in _templates()
             if any(_OWNERSHIP.search(tag.group(1)) for tag in _JINJA.finditer(path.read_text(encoding="utf-8")))}
    assert found == set()

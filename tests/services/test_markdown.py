"""The Markdown of the portal's documents: raw HTML is shown as written, but for one thing, a phrase in the other
language (`<span lang="fr">…</span>`), which the page, the PDF and the comparison of versions read as the text it
holds, and which is never spoken as markup."""

from app.services.common import markdown
from app.services.legal import changes

SOURCE = """# Terms

## Annex 1 — Article L444-8 of the French Education Code (<span lang="fr">Code de l'éducation</span>)

Choose "My settings" (<span lang="fr">Mes paramètres</span>), then "Cancel my subscription"
(<span lang="fr">*Résilier* mon abonnement</span>).
"""


def test_a_phrase_in_french_is_a_span_that_says_so_and_its_markdown_still_works():
    html = markdown.to_html(SOURCE)
    assert '(<span lang="fr">Mes paramètres</span>)' in html
    assert '<span lang="fr"><em>Résilier</em> mon abonnement</span>' in html
    assert '<a href="/x"><span lang="fr">Valider</span></a>' in markdown.to_html('[<span lang="fr">Valider</span>](/x)')


def test_any_other_html_is_shown_as_written():
    for source in ('<span lang="de">Einstellungen</span>', '<span lang="fr" onclick="alert(1)">x</span>',
                   '<span lang="fr">open', "<script>alert(1)</script>", '<span lang="fr">a\nb</span>',
                   '<span lang=fr>x</span>'):
        html = markdown.to_html(source)
        assert "<span" not in html and "<script" not in html, html
    assert "<code>&lt;span lang=&quot;fr&quot;&gt;" in markdown.to_html('`<span lang="fr">x</span>`')


def test_a_heading_with_a_french_phrase_keeps_its_anchor_and_its_plain_title():
    heading = markdown.headings(SOURCE)[0]
    assert heading.text == "Annex 1 — Article L444-8 of the French Education Code (Code de l'éducation)"
    assert heading.anchor == "annex-1-article-l444-8-of-the-french-education-code-code-de-l-education"
    assert f'<h2 id="{heading.anchor}">' in markdown.to_html(SOURCE)


def test_the_text_read_aloud_holds_no_markup():
    spoken = markdown.spoken_sections(SOURCE.replace("# Terms\n", ""))
    assert spoken[0].title == "Annex 1 — Article L444-8 of the French Education Code (Code de l'éducation)"
    assert 'Choose "My settings" (Mes paramètres), then "Cancel my subscription" (Résilier mon abonnement).' in \
        spoken[0].text
    assert not any("<" in section.text or "lang=" in section.text for section in spoken)


def test_the_comparison_of_two_versions_shows_the_phrase_not_its_tags():
    older = "# T\n\nChoose \"Mes paramètres\"."
    newer = '# T\n\nChoose "My settings" (<span lang="fr">Mes paramètres</span>).'
    [change] = changes.compare(older, newer)
    after = "".join(piece.text for piece in change.after)
    assert after == 'Choose "My settings" (Mes paramètres).'

"""The interface is written in French, so the French catalogue repeats each msgid as its own translation.
It exists for French plural rules ("0 cours trouvé", "2 cours trouvés"), which gettext only applies to
translated entries. Run by `make messages` after `pybabel update`."""

from babel.messages.pofile import read_po, write_po

PATH = "app/translations/fr/LC_MESSAGES/messages.po"

with open(PATH, "rb") as source:
    catalog = read_po(source, locale="fr")
for message in catalog:
    if not message.id:
        continue
    if isinstance(message.id, tuple):
        message.string = (message.id[0], message.id[1])
    else:
        message.string = message.id
    message.flags.discard("fuzzy")
with open(PATH, "wb") as target:
    write_po(target, catalog, no_location=True, sort_output=True)

"""The kiosk reads its Chinese catalogue on demand (each message decoded when first
asked for); it answers exactly as Python's own gettext reading the same file."""

from __future__ import annotations

import gettext

from dutydesk.i18n import DOMAIN, LOCALE_DIR, Catalogue

MO = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / f"{DOMAIN}.mo"


def test_every_message_reads_as_gnu_gettext_reads_it():
    reference = gettext.GNUTranslations(MO.open("rb"))
    ours = Catalogue(MO)
    catalog = reference._catalog  # type: ignore[attr-defined]
    assert len(catalog) > 100
    for key in catalog:
        if isinstance(key, tuple):  # (msgid, plural index): a plural message
            msgid, _index = key
            plural = next(k for k in ours._index if k.startswith(msgid.encode() + b"\x00"))
            msgid2 = plural.split(b"\x00", 1)[1].decode()
            context, sep, single = msgid.partition("\x04")
            for n in (0, 1, 2, 5):
                if sep:
                    assert ours.npgettext(context, single, msgid2, n) == reference.npgettext(
                        context, single, msgid2, n
                    )
                else:
                    assert ours.ngettext(msgid, msgid2, n) == reference.ngettext(msgid, msgid2, n)
        elif "\x04" in key:
            context, _sep, msgid = key.partition("\x04")
            assert ours.pgettext(context, msgid) == reference.pgettext(context, msgid)
        elif key:
            assert ours.gettext(key) == reference.gettext(key)


def test_an_unknown_message_is_returned_as_it_is():
    ours = Catalogue(MO)
    assert ours.gettext("no such message, surely") == "no such message, surely"
    assert ours.ngettext("one thing", "{n} things", 1) == "one thing"
    assert ours.ngettext("one thing", "{n} things", 3) == "{n} things"
    assert ours.pgettext("nowhere", "Due") == "Due"

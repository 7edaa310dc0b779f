"""Dates as each language writes them."""

from __future__ import annotations


def test_french_first_of_the_month_is_ordinal() -> None:
    import datetime as dt

    from connections.i18n import format_date

    assert format_date(dt.date(2027, 3, 1), "full", "fr_CA") == "lundi 1er mars 2027"
    assert format_date(dt.date(2027, 3, 11), "long", "fr_CA") == "11 mars 2027"
    assert format_date(dt.date(2027, 3, 1), "long", "en_CA") == "March 1, 2027"

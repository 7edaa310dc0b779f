"""Dates as each language writes them."""

from __future__ import annotations


def test_french_first_of_the_month_is_ordinal() -> None:
    import datetime as dt

    from connections.i18n import format_date

    assert format_date(dt.date(2027, 3, 1), "full", "fr_CA") == "lundi 1er mars 2027"
    assert format_date(dt.date(2027, 3, 11), "long", "fr_CA") == "11 mars 2027"
    assert format_date(dt.date(2027, 3, 1), "long", "en_CA") == "March 1, 2027"


def test_templates_compiled_once_are_compiled_again_when_edited_or_read_another_way(tmp_path) -> None:  # noqa: ANN001
    """The toolkit's templates are compiled once per process (``OWN_TEMPLATES``); an edited template, or the same
    file read by an environment with other syntax options, must never get code compiled for something else."""
    import jinja2

    from connections.i18n import make_env
    from connections.templatecache import OWN_TEMPLATES

    (tmp_path / "t.html").write_text("{% if true %}\n  A {{ _('Week') }}\n{% endif %}\n", encoding="utf-8")
    env = make_env(tmp_path, tmp_path / "no-locales", "en")
    assert env.get_template("t.html").render() == "  A Week\n"  # trim_blocks: no line left by the tags
    assert any(OWN_TEMPLATES.memory)
    again = make_env(tmp_path, tmp_path / "no-locales", "en")  # a new environment, as each build makes
    assert again.get_template("t.html").render() == "  A Week\n"
    plain = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), extensions=["jinja2.ext.i18n"],
                               bytecode_cache=OWN_TEMPLATES)
    plain.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    assert plain.get_template("t.html").render() == "\n  A Week\n"  # no trim_blocks: its own code
    (tmp_path / "t.html").write_text("{% if true %}\n  B\n{% endif %}\n", encoding="utf-8")
    edited = make_env(tmp_path, tmp_path / "no-locales", "en")
    assert edited.get_template("t.html").render() == "  B\n"

"""Declared programme types: a TOML file becomes a ProgrammeType (money in øre, Danish and
English side by side, the core's criteria), and every mistake is refused at start-up with the
file, the line and the field."""
from __future__ import annotations

import dataclasses
import datetime
import textwrap
import tomllib

import pytest

from core import declared, i18n, platform as platform_module, settings as settings_module
from core.criteria import VOCABULARY
from core.programme_types import ProgrammeType, ProgrammeTypeRegistry
from core.settings import ConfigError, CONFIG_DIR
from core.toml_text import dumps, line_of

ODENSE = CONFIG_DIR / "programmes" / "odense.toml"
GROUPS = {"children": None, "youth": None, "youth_16_24": None}

MINIMAL = """\
[programme_type]
key = "tiny-programme"
name.da = "Lille program"
name.en = "Tiny programme"
"""


def write(tmp_path, text: str, name: str = "declared.toml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(tmp_path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        declared.read(write(tmp_path, text), GROUPS)
    return str(caught.value).splitlines()


def test_the_worked_example_becomes_a_programme_type():
    declaration = declared.read(ODENSE, {"youth_16_24": None})
    odense = declaration.programme_type
    assert isinstance(odense, ProgrammeType) and odense.key == "odense-nye-faellesskaber"
    assert odense.plugin == "declared:odense.toml"
    assert odense.sign_on_fee_cap_ore == 20_000 * 100 and odense.sign_on_fee_new_members_only
    assert (odense.agreement_years, odense.agreement_extendable, odense.age_range) == (3, True, (16, 24))
    assert (odense.resource_person_hours_min, odense.resource_person_hours_max) == (5, 10)
    with i18n.locale_context("da"):
        assert str(odense.name) == "Nye fællesskaber for unge (Odense)"
    with i18n.locale_context("en"):
        assert str(odense.name) == "New communities for young people (Odense)"
        assert [str(area.title) for area in odense.focus_areas][0].startswith("Bridging")
        assert [area.number for area in odense.focus_areas] == [1, 2]
        assert [str(duty) for duty in odense.reporting] == ["Shares experience at the network meetings twice a year"]
        members = next(c for c in odense.criteria if c.key == "members")
        assert str(members.text) == "At least 30 members" and members.parameters == {"min": 30}
        assert members.blocks is False and members.answer == "integer"
        assert all(c.blocks for c in odense.criteria if c.key != "members")
    # the criterion checks an answer like a plugin's own
    assert members.check("12") is not None and members.check("30") is None
    seed = declaration.seed
    assert (seed.municipality_code, seed.municipality_name) == ("0461", "Odense Kommune")
    assert seed.budgets == ((2025, 400_000), (2026, 400_000), (2027, 400_000))
    assert seed.start == datetime.date(2025, 1, 1) and seed.owner is None


def test_the_vocabulary_names_no_municipality_and_every_standard_has_words():
    assert len(VOCABULARY) >= 8
    for standard in VOCABULARY.values():
        criterion = standard.criterion({name: 1 for name in standard.needs})
        with i18n.locale_context("da"):
            assert str(criterion.text).strip()
        assert (criterion.question is None) == (standard.question is None)


@pytest.mark.parametrize("text, expected", [
    # a field the format does not know, on its own line
    (MINIMAL + 'colour = "red"\n', "line 5: programme_type.colour: Unknown field colour"),
    # a text in one language only points at the other language's sibling
    ('[programme_type]\nkey = "one-language"\nname.da = "Kun dansk"\n',
     "line 3: programme_type.name.en: This field is required"),
    (MINIMAL + "summary = \"no languages\"\n", "line 5: programme_type.summary: Write the text in Danish and in English"),
    (MINIMAL + "sign_on_fee_cap_kroner = -5\n",
     "line 5: programme_type.sign_on_fee_cap_kroner: Must be a whole number from 1 to 10000000, not -5"),
    (MINIMAL + "sign_on_fee_cap_kroner = 2.5\n", "line 5: programme_type.sign_on_fee_cap_kroner: Must be a whole number"),
    (MINIMAL + "sign_on_fee_new_members_only = true\n",
     "line 5: programme_type.sign_on_fee_new_members_only: Only with a sign-on fee"),
    (MINIMAL + 'target_groups = ["youth", "martians"]\n', "line 5: programme_type.target_groups: Unknown: martians"),
    (MINIMAL + "resource_person_hours_min = 12\nresource_person_hours_max = 10\n",
     "line 6: programme_type.resource_person_hours_max: The maximum is below the minimum (12)"),
    (MINIMAL + "fixed_period = [2025-01-01]\n", "line 5: programme_type.fixed_period: Must be a list of two dates"),
    (MINIMAL + 'age_range = [24, 16]\n', "line 5: programme_type.age_range: The first is after the last"),
    ('[programme_type]\nkey = "Bad Key"\nname.da = "x"\nname.en = "y"\n',
     "line 2: programme_type.key: Use 3–80 lower-case letters, digits and hyphens"),
    # the third criterion is the one without its number: the line of its [[table]]
    (MINIMAL + '\n[[programme_type.criteria]]\nkey = "goals"\n\n[[programme_type.criteria]]\nkey = "welcome_plan"\n'
     '\n[[programme_type.criteria]]\nkey = "members"\n',
     "line 12: programme_type.criteria.2.min: The criterion members needs min"),
    (MINIMAL + '\n[[programme_type.criteria]]\nkey = "members"\nmin = "lots"\n',
     'line 8: programme_type.criteria.0.min: Must be a whole number from 0 to 1000000, not "lots"'),
    (MINIMAL + '\n[[programme_type.criteria]]\nkey = "unheard_of"\n',
     "line 7: programme_type.criteria.0.key: Unknown criterion unheard_of"),
    (MINIMAL + '\n[[programme_type.criteria]]\nkey = "goals"\nblocks = "sometimes"\n',
     "line 8: programme_type.criteria.0.blocks: Must be true or false"),
    (MINIMAL + '\n[[programme_type.focus_areas]]\ntitle.da = "Kun dansk"\n',
     "line 7: programme_type.focus_areas.0.title.en: This field is required"),
    (MINIMAL + '\n[seed.municipality]\ncode = "46"\nname = "X"\n\n[seed.programme]\nslug = "x-prog"\nname = "X"\n'
     'start = 2025-01-01\n', "line 7: seed.municipality.code: '46' is not a municipality code"),
    (MINIMAL + '\n[seed.municipality]\ncode = "0461"\nname = "X"\n\n[seed.programme]\nslug = "x-prog"\nname = "X"\n'
     'start = 2025-01-01\nend = 2025-12-31\n\n[seed.budget]\n2024 = 5\n',
     "line 17: seed.budget.2024: 2024 is outside the programme's period"),
    (MINIMAL + '\n[seed.owner]\nname = "A centre"\nkind = "volunteer_centre"\n',
     "seed.owner: A programme of this type is owned by: municipality"),
    ('[programme]\nkey = "x"\n', "line 1: programme: Unknown table programme"),
])
def test_a_mistake_names_the_file_the_line_and_the_field(tmp_path, text, expected):
    lines = problems_of(tmp_path, text)
    assert any(line.startswith(f"{tmp_path / 'declared.toml'}") and expected in line for line in lines), lines


def test_every_problem_of_a_file_at_once(tmp_path):
    lines = problems_of(tmp_path, MINIMAL + "colour = 1\nagreement_years = 99\nsource = 3\n")
    assert len(lines) == 3
    assert [line.split(": ")[1] for line in lines] == ["programme_type.colour", "programme_type.agreement_years",
                                                      "programme_type.source"]


def test_not_toml_at_all_is_named(tmp_path):
    (line,) = problems_of(tmp_path, "[programme_type\nkey = 1\n")
    assert "declared.toml: not valid TOML" in line


def test_the_problems_are_in_the_readers_language_for_a_form(platform):
    """The same checks answer the first-run form, in Danish by default (the platform loads the catalogues)."""
    with pytest.raises(Exception) as caught:
        declared.parse(tomllib.loads(MINIMAL + "agreement_years = 0\n"), source="form", target_groups=GROUPS)
    with i18n.locale_context("da"):
        assert caught.value.by_field() == {
            "programme_type.agreement_years": ["Skal være et helt tal fra 1 til 20, ikke 0"]}


def _settings(tmp_path, *files, plugins=()):
    return settings_module.load(settings_module.DEFAULT_CONFIG, environ={}, instance_dir=tmp_path / "instance",
                                database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}", plugins=plugins,
                                programme_types=tuple(str(f) for f in files))


def test_files_are_relative_to_the_configuration_with_globs_and_the_instance_folder(tmp_path):
    odense = settings_module.load(CONFIG_DIR / "odense.toml", environ={}, instance_dir=tmp_path)
    assert declared.files(odense) == [ODENSE.resolve()]
    (tmp_path / "programmes").mkdir()
    own = write(tmp_path / "programmes", MINIMAL, "tiny.toml")
    assert declared.files(odense) == [ODENSE.resolve(), own.resolve()]
    glob = _settings(tmp_path, "programmes/*.toml")
    assert ODENSE.resolve() in declared.files(glob)
    with pytest.raises(ConfigError, match="programme_types: the file nowhere.toml does not exist"):
        declared.files(_settings(tmp_path, "nowhere.toml"))


def test_a_key_that_a_plugin_or_another_file_has_is_refused_with_its_line(tmp_path):
    registry = ProgrammeTypeRegistry([ProgrammeType(key="tiny-programme", name="x", plugin="somewhere")])
    path = write(tmp_path, MINIMAL)
    with pytest.raises(ConfigError) as caught:
        declared.load(_settings(tmp_path, path), registry, GROUPS)
    assert f"{path}, line 2: programme_type.key: The programme type tiny-programme is declared twice" in \
        str(caught.value)


def test_the_platform_refuses_to_start_with_a_broken_declaration(tmp_path):
    """Before it touches the database: the session's binding stays where it was."""
    from core import db
    bound = db.database.obj
    path = write(tmp_path, MINIMAL + "agreement_years = 0\n")
    with pytest.raises(ConfigError, match=r"declared.toml, line 5: programme_type.agreement_years"):
        platform_module.build(_settings(tmp_path, path))
    assert db.database.obj is bound


def test_a_written_declaration_reads_back_the_same(tmp_path):
    """What the first-run page writes (``dumps``) is TOML that reads back to the same data."""
    data = tomllib.loads(ODENSE.read_text(encoding="utf-8"))
    again = tomllib.loads(dumps(data, header="written by a test"))
    assert again == data
    path = write(tmp_path, dumps(data))
    original = declared.read(ODENSE, {"youth_16_24": None}).programme_type
    assert declared.read(path, {"youth_16_24": None}).programme_type == \
        dataclasses.replace(original, plugin="declared:declared.toml")


def test_line_of_finds_keys_tables_and_arrays():
    text = ODENSE.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[line_of(text, ("programme_type", "sign_on_fee_cap_kroner")) - 1].startswith("sign_on_fee_cap_kroner")
    assert lines[line_of(text, ("programme_type", "name", "en")) - 1].startswith("name.en")
    assert lines[line_of(text, ("programme_type", "criteria", 2, "min")) - 1] == "min = 30"
    assert lines[line_of(text, ("seed", "budget", "2026")) - 1].startswith("2026 =")
    assert line_of(text, ("nothing", "here")) is None


# --- keys that plugins read from programme types -------------------------------------------------

def test_a_key_a_plugin_registered_is_read_into_extra_and_checked_with_its_line(tmp_path):
    from tests.fake_plugin import read_fake_level
    from core.programme_types import ProgrammeTypeField
    fields = (ProgrammeTypeField("fake_level", read_fake_level),)
    path = write(tmp_path, MINIMAL + "fake_level = 2\n")
    assert declared.read(path, GROUPS, fields).programme_type.extra == {"fake_level": 2}
    assert declared.read(write(tmp_path, MINIMAL, "plain.toml"), GROUPS, fields).programme_type.extra == {}
    with pytest.raises(ConfigError) as caught:
        declared.read(write(tmp_path, MINIMAL + "fake_level = 7\n", "bad.toml"), GROUPS, fields)
    assert "bad.toml, line 5: programme_type.fake_level: Must be a whole number from 1 to 3, not 7" in str(caught.value)
    # without the plugin the key is as unknown as any other
    with pytest.raises(ConfigError, match=r"line 5: programme_type.fake_level: Unknown field fake_level"):
        declared.read(path, GROUPS)


def test_the_platform_reads_plugins_keys_from_declared_files(tmp_path):
    """The fake plugin registers ``fake_level`` (``register_programme_type_fields``): the platform
    collects it, a declared file may carry it, the type's ``extra`` holds it; the plugin's own type
    sets ``extra`` in Python. A key the core has, or one registered twice, stops the start."""
    from core.plugins import build_plugin_manager
    from tests import fake_plugin
    pm = build_plugin_manager((), [("fake", fake_plugin)])
    fields = platform_module.programme_type_fields(pm.hook.register_programme_type_fields())
    assert [field.key for field in fields] == ["fake_level"]
    path = write(tmp_path, MINIMAL + "fake_level = 1\n")
    registry = ProgrammeTypeRegistry([fake_plugin.PROGRAMME_TYPE])
    declared.load(_settings(tmp_path, path), registry, GROUPS, fields)
    assert registry["tiny-programme"].extra == {"fake_level": 1}
    assert registry[fake_plugin.TYPE_KEY].extra == {"fake_level": 3}
    for clash in ("agreement_years", "fake_level"):
        with pytest.raises(ConfigError, match=f"'{clash}' is the core's or registered twice"):
            platform_module.programme_type_fields([fields, [dataclasses.replace(fields[0], key=clash)]])

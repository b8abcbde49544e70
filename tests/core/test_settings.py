"""The configuration: default.toml documents exactly the declared options, the environment
overrides the file, and mistakes are ConfigErrors that name the problem."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from core import settings
from core.settings import ConfigError


def documented_options(path: Path) -> dict[str, str]:
    """Option name -> the one-line comment right above it in a TOML file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    documented = {}
    for index, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name = line.split("=", 1)[0].strip()
        previous = lines[index - 1] if index else ""
        documented[name] = previous[1:].strip() if previous.startswith("#") else ""
    return documented


def test_default_toml_declares_exactly_the_options_with_their_descriptions():
    documented = documented_options(settings.DEFAULT_CONFIG)
    assert list(documented) == [option.name for option in settings.OPTIONS]
    for option in settings.OPTIONS:
        assert documented[option.name] == option.description, option.name


def test_default_toml_values_are_the_declared_defaults():
    with open(settings.DEFAULT_CONFIG, "rb") as fh:
        data = tomllib.load(fh)
    for option in settings.OPTIONS:
        if option.name not in DEPLOYMENT_LISTS:
            assert data[option.name] == option.default, option.name


# What a deployment enables is the file's own: the core's declared default enables nothing.
DEPLOYMENT_LISTS = ("plugins", "programme_types")


def test_the_core_names_no_plugin_and_the_demo_lists_its_own():
    """The declared defaults enable nothing; the embedded default (the demo) lists its plugins,
    each of them available, and declared programme types whose files exist."""
    from core import declared
    from core.plugins import available_plugins
    for name in DEPLOYMENT_LISTS:
        assert settings.OPTIONS_BY_NAME[name].default == []
    listed = settings.read_file(settings.DEFAULT_CONFIG)["plugins"]
    assert listed and set(listed) <= set(available_plugins())
    declared.files(settings.load(settings.DEFAULT_CONFIG, environ={}))  # every listed file exists


def test_defaults_load(tmp_path):
    loaded = settings.load(settings.DEFAULT_CONFIG, environ={"PARTNERSKAB_INSTANCE_DIR": str(tmp_path)})
    assert loaded.plugins == tuple(settings.read_file(settings.DEFAULT_CONFIG)["plugins"])
    assert loaded.locales == ("da", "en") and loaded.default_locale == "da"
    assert loaded.port == 8000 and loaded.demo is True
    assert loaded.instance_dir == tmp_path
    assert loaded.database_url == f"sqlite:///{tmp_path}/partnerskab.sqlite3"
    assert loaded.source == settings.DEFAULT_CONFIG


def test_demo_generates_and_keeps_a_secret(tmp_path):
    environ = {"PARTNERSKAB_INSTANCE_DIR": str(tmp_path)}
    first = settings.load(settings.DEFAULT_CONFIG, environ=environ)
    second = settings.load(settings.DEFAULT_CONFIG, environ=environ)
    assert len(first.secret_key) >= 32 and first.secret_key == second.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_environment_overrides(tmp_path):
    loaded = settings.load(settings.DEFAULT_CONFIG, environ={
        "PARTNERSKAB_INSTANCE_DIR": str(tmp_path),
        "DATABASE_URL": "postgresql://u:p@db.example/partnerskab",
        "PORT": "9123",
        "PARTNERSKAB_PLUGINS": "slagelse, hillerod,",
        "SECRET_KEY": "s3cret",
        "PARTNERSKAB_DEMO": "no", "PARTNERSKAB_BASE_URL": "https://partnerskab.example.dk",
        "PARTNERSKAB_LOCALES": "en",
        "PARTNERSKAB_DEFAULT_LOCALE": "en",
        "PARTNERSKAB_SITE_NAME": "Mit partnerskab",
    })
    assert loaded.database_url == "postgresql://u:p@db.example/partnerskab"
    assert loaded.port == 9123
    assert loaded.plugins == ("slagelse", "hillerod")
    assert loaded.secret_key == "s3cret" and loaded.demo is False
    assert loaded.locales == ("en",) and loaded.default_locale == "en"
    assert loaded.site_name == "Mit partnerskab"


def test_prefixed_variable_wins_over_conventional_one_and_empty_is_ignored(tmp_path):
    loaded = settings.load(settings.DEFAULT_CONFIG, environ={
        "PARTNERSKAB_INSTANCE_DIR": str(tmp_path), "PARTNERSKAB_PORT": "7000", "PORT": "7001",
        "DATABASE_URL": ""})
    assert loaded.port == 7000
    assert loaded.database_url.startswith("sqlite:///")


def test_environment_value_of_the_wrong_type_is_named(tmp_path):
    with pytest.raises(ConfigError, match=r"environment PORT: option 'port' must be int, not 'eighty'"):
        settings.load(settings.DEFAULT_CONFIG, environ={"PORT": "eighty", "PARTNERSKAB_INSTANCE_DIR": str(tmp_path)})
    with pytest.raises(ConfigError, match="option 'demo' must be bool"):
        settings.load(settings.DEFAULT_CONFIG, environ={"PARTNERSKAB_DEMO": "maybe",
                                                        "PARTNERSKAB_INSTANCE_DIR": str(tmp_path)})


def test_config_file_chosen_by_environment(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('site_name = "Fra fil"\nport = 8100\n')
    loaded = settings.load(environ={"PARTNERSKAB_CONFIG": str(path), "PARTNERSKAB_INSTANCE_DIR": str(tmp_path)})
    assert (loaded.site_name, loaded.port, loaded.source) == ("Fra fil", 8100, path)


def test_unknown_option_is_named(tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text('site_name = "x"\ndatabse_url = "sqlite:///x"\n')
    with pytest.raises(ConfigError) as caught:
        settings.load(path, environ={})
    assert "unknown option(s) databse_url" in str(caught.value)
    assert "typo.toml" in str(caught.value)


def test_wrong_type_in_file_is_named(tmp_path):
    path = tmp_path / "types.toml"
    for text, message in (("port = true", "option 'port' must be int, not True"),
                          ("port = 80.5", "option 'port' must be int, not 80.5"),
                          ("plugins = [1, 2]", "option 'plugins' must be list"),
                          ("site_name = 3", "option 'site_name' must be str, not 3")):
        path.write_text(text + "\n")
        with pytest.raises(ConfigError) as caught:
            settings.load(path, environ={})
        assert str(caught.value).startswith(f"types.toml: {message}"), text


def test_missing_and_broken_files(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        settings.load(tmp_path / "nowhere.toml", environ={})
    broken = tmp_path / "broken.toml"
    broken.write_text("port = = 1\n")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        settings.load(broken, environ={})


def test_default_locale_must_be_offered(tmp_path):
    with pytest.raises(ConfigError, match="default_locale 'de'"):
        settings.load(settings.DEFAULT_CONFIG, environ={"PARTNERSKAB_DEFAULT_LOCALE": "de",
                                                        "PARTNERSKAB_INSTANCE_DIR": str(tmp_path)})


def test_non_demo_without_secret_key_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="secret_key is not set"):
        settings.load(settings.DEFAULT_CONFIG, environ={"PARTNERSKAB_DEMO": "false",
                                                        "PARTNERSKAB_INSTANCE_DIR": str(tmp_path)})
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("name, plugins, theme", [
    ("roskilde.toml", ("roskilde", "knowledge", "federation", "network_life", "catalogue"), "roskilde"),
    ("slagelse.toml", ("slagelse", "knowledge", "federation"), "default"),
    ("national.toml", ("slagelse", "hillerod", "knowledge", "federation"), "default"),
])
def test_example_configs(tmp_path, name, plugins, theme):
    path = settings.CONFIG_DIR / name
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        settings.load(path, environ={})
    loaded = settings.load(path, environ={"SECRET_KEY": "from-the-environment",
                                          "PARTNERSKAB_INSTANCE_DIR": str(tmp_path)})
    assert loaded.plugins == plugins and loaded.theme == theme
    assert loaded.demo is False and loaded.secret_key == "from-the-environment"
    assert loaded.database_url.startswith("postgresql://partnerskab@localhost/")
    assert set(documented_options(path)) <= set(settings.OPTIONS_BY_NAME)


def test_relative_config_path_is_found_from_the_project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    loaded = settings.load("config/slagelse.toml", environ={"SECRET_KEY": "k"})
    assert loaded.source == settings.ROOT / "config" / "slagelse.toml"
    assert loaded.site_name.startswith("Fællesskabsalliancen")


def test_overrides_win_and_replace_copies(tmp_path):
    loaded = settings.load(settings.DEFAULT_CONFIG, environ={"PORT": "9000"}, port=9100,
                           instance_dir=tmp_path)
    assert loaded.port == 9100
    changed = loaded.replace(site_name="Andet")
    assert changed.site_name == "Andet" and loaded.site_name == "Partnerskab"


def test_a_deployment_needs_its_own_address_for_links_in_mails():
    """Without base_url, links in mails would trust the request's Host header (a forged host
    could send a reset link elsewhere), so only a demo may leave it empty."""
    with pytest.raises(settings.ConfigError, match="base_url"):
        settings.load(settings.DEFAULT_CONFIG, environ={"PARTNERSKAB_DEMO": "false", "SECRET_KEY": "k"})
    loaded = settings.load(settings.DEFAULT_CONFIG, environ={
        "PARTNERSKAB_DEMO": "false", "SECRET_KEY": "k", "PARTNERSKAB_BASE_URL": "https://partnerskab.example.dk"})
    assert loaded.base_url == "https://partnerskab.example.dk"

"""The `listwatch init` template is written from the config dataclasses' defaults."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

from listwatch.config import HttpConfig, parse_config, section_defaults
from listwatch.initconfig import starter_config, toml_value


def test_every_section_and_key_is_written_at_its_default(tmp_path: Path) -> None:
    text = starter_config("me/list", ["lists/*.md"], None)
    written = tomllib.loads(text)
    for name, defaults in section_defaults().items():
        for spec in dataclasses.fields(defaults):
            value = getattr(defaults, spec.name)
            if spec.metadata.get("commented"):
                assert f"# {spec.name} = {toml_value(value)}\n" in text
                assert spec.name not in written[name]
            else:
                assert written[name][spec.name] == tomllib.loads(
                    f"v = {toml_value(value)}")["v"], (name, spec.name)
        assert f"# {(type(defaults).__doc__ or '').splitlines()[0]}\n[{name}]\n" in text
    config = parse_config(text, tmp_path / "config.toml")
    assert config.targets[0].repo == "me/list" and config.targets[0].files == ("lists/*.md",)
    for name, defaults in section_defaults().items():
        if name == "state":  # resolved against the config file's folder
            defaults = dataclasses.replace(defaults, path=tmp_path / defaults.path)
        assert getattr(config, name) == defaults


def test_a_changed_default_changes_the_template(tmp_path: Path) -> None:
    defaults = {**section_defaults(), "http": HttpConfig(timeout=7.5)}
    text = starter_config("me/list", ["*.md"], None, defaults=defaults)
    assert "\ntimeout = 7.5\n" in text
    assert parse_config(text, tmp_path / "config.toml").http.timeout == 7.5

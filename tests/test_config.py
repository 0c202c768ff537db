"""config.toml validation: every mistake is one line naming the file, line and key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from listwatch.config import duration_seconds, load_config, parse_config
from listwatch.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]
MINIMAL = '[[targets]]\nrepo = "owner/list"\n'


def test_default_config_file_loads() -> None:
    config = load_config(REPO / "config.toml")
    assert [t.repo for t in config.targets] == ["mental2008/awesome-papers"]
    assert config.targets[0].files == ("paper-list/**/*.md",)
    assert config.http.host_concurrency == 4
    assert config.check.fail_runs == 2
    assert config.schedule.cron == "0 4 * * 1"
    assert config.pr.labels == ("listwatch",)
    assert config.state.path == REPO / ".listwatch/state.db"


def test_defaults_fill_missing_sections() -> None:
    config = parse_config(MINIMAL, Path("c.toml"))
    assert config.http.timeout == 20.0
    assert config.check.cache_max_age_seconds == 86400
    assert config.stars.mode == "off"
    assert config.dead.replace_with_archive is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (MINIMAL + "[http]\ntimeout = \"soon\"\n",
         "c.toml:4: [http] timeout: expected a number, got 'soon'"),
        (MINIMAL + "[http]\n\nbogus = 1\n", "c.toml:5: [http] unknown key 'bogus'"),
        (MINIMAL + "[http]\nhost_concurrency = 0\n",
         "c.toml:4: [http] host_concurrency: must be from 1 to 1000, got 0"),
        (MINIMAL + "files = [\"/abs/*.md\"]\n",
         "c.toml:3: [[targets]] #1 files: glob '/abs/*.md' must be relative"),
        (MINIMAL + "files = [\"docs/[ab.md\"]\n", "has an unclosed '['"),
        (MINIMAL + "files = [\"a**/x.md\"]\n", "'**' must be a whole path segment"),
        (MINIMAL + "files = []\n", "must list at least one glob"),
        (MINIMAL + "[schedule]\ncron = \"61 * * * *\"\n",
         "c.toml:4: [schedule] cron: bad cron expression '61 * * * *'"),
        (MINIMAL + "[check]\ncache_max_age = \"tomorrow\"\n",
         "c.toml:4: [check] cache_max_age: not a duration"),
        (MINIMAL + "[check]\nexclude = [\"(\"]\n", "bad regular expression '('"),
        (MINIMAL + "[check]\naccept = [\"200\"]\n",
         "[check] accept: expected a list of an integer"),
        (MINIMAL + "[stars]\nmode = \"loud\"\n", "must be one of off, text, badge"),
        (MINIMAL + "[[targets]]\nrepo = \"a/b\"\npath = \"nowhere\"\n",
         "c.toml:5: [[targets]] #2 path: no such directory"),
        ('[[targets]]\nrepo = "not-a-repo"\n',
         "c.toml:2: [[targets]] #1 repo: expected 'owner/name'"),
        ('[[targets]]\nrepo = "a/.."\n', "[[targets]] #1 repo: expected 'owner/name', got 'a/..'"),
        ('[[targets]]\nrepo = "a/."\n', "[[targets]] #1 repo: expected 'owner/name', got 'a/.'"),
        ("[[targets]]\nfiles = [\"*.md\"]\n", "[[targets]] #1 missing required key 'repo'"),
        ("[http]\n", "at least one [[targets]] table is required"),
        ("colour = 1\n" + MINIMAL, "c.toml:1: unknown section or key 'colour'"),
        ("[[targets]\n", "c.toml: not valid TOML"),
        (MINIMAL + "http = 3\n", "c.toml:3: [[targets]] #1 unknown key 'http'"),
    ],
)
def test_bad_config_is_one_clear_line(text: str, expected: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, Path("c.toml"))
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def test_local_path_is_resolved_against_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "checkout").mkdir()
    path = tmp_path / "config.toml"
    path.write_text(MINIMAL + 'path = "checkout"\n[state]\npath = "s/state.db"\n')
    config = load_config(path)
    assert config.targets[0].path == (tmp_path / "checkout").resolve()
    assert config.state.path == tmp_path / "s/state.db"


@pytest.mark.parametrize(("text", "seconds"), [("90s", 90), ("30m", 1800), ("12h", 43200),
                                               ("1d", 86400), ("2w", 1209600), (15, 15)])
def test_durations(text: str | int, seconds: float) -> None:
    assert duration_seconds(text) == seconds


def test_cli_reports_config_error_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(MINIMAL + "[http]\ntimeout = -1\n")
    result = subprocess.run(
        [sys.executable, "-m", "listwatch", "check", "--config", str(path)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"listwatch: error: {path}:4: [http] timeout: must be from 0.1 to 3600, got -1.0"
    )
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("setting", "expected"), [
    ('[check]\ncache_max_age = "100000000000w"',
     "c.toml:4: [check] cache_max_age: must be from 0 to 3650d (ten years), "
     "got '100000000000w'"),
    ("[sources]\ncache_max_age = -5",
     "c.toml:4: [sources] cache_max_age: must be from 0 to 3650d (ten years), got -5.0"),
    ("[http]\ntimeout = inf", "c.toml:4: [http] timeout: must be from 0.1 to 3600, got inf"),
    ("[http]\ntimeout = nan", "c.toml:4: [http] timeout: must be from 0.1 to 3600, got nan"),
    ("[http]\nmax_concurrency = 100000000000000000",
     "c.toml:4: [http] max_concurrency: must be from 1 to 10000, got 100000000000000000"),
    ("[http]\nmax_concurrency = 1e17",
     "c.toml:4: [http] max_concurrency: expected an integer, got 1e+17"),
    ("[check]\nfail_hours = inf",
     "c.toml:4: [check] fail_hours: must be from 0 to 87600.0, got inf"),
    ('[schedule]\ntimezone = "Mars/Olympus"',
     "c.toml:4: [schedule] timezone: unknown time zone 'Mars/Olympus' "
     "(use an IANA name such as UTC or Europe/Berlin)"),
    ('[schedule]\ntimezone = "../../etc/passwd"',
     "c.toml:4: [schedule] timezone: unknown time zone '../../etc/passwd' "
     "(use an IANA name such as UTC or Europe/Berlin)"),
])
def test_hostile_values_are_one_exact_line(setting: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(f"{MINIMAL}{setting}\n", Path("c.toml"))
    assert str(caught.value) == expected


def test_a_duration_may_be_a_number_of_seconds() -> None:
    config = parse_config(MINIMAL + "[check]\ncache_max_age = 3600\n"
                          "[sources]\ncache_max_age = 90.5\n", Path("c.toml"))
    assert config.check.cache_max_age_seconds == 3600
    assert config.sources.cache_max_age_seconds == 90.5


def test_a_byte_order_mark_is_not_part_of_the_toml(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xef\xbb\xbf" + (MINIMAL + "[http]\ntimeout = 5\n").encode())
    assert load_config(path).http.timeout == 5
    path.write_bytes(b"\xef\xbb\xbf" + (MINIMAL + "[http]\ntimeout = 0\n").encode())
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == f"{path}:4: [http] timeout: must be from 0.1 to 3600, got 0.0"


def test_a_huge_duration_is_not_a_traceback_in_check(tmp_path: Path) -> None:
    (tmp_path / "l.md").write_text("# L\n", encoding="utf-8")
    path = tmp_path / "config.toml"
    path.write_text(MINIMAL + 'path = "."\n[check]\ncache_max_age = "100000000000w"\n')
    result = subprocess.run([sys.executable, "-m", "listwatch", "check", "--config", str(path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == (f"listwatch: error: {path}:5: [check] cache_max_age: must be "
                             "from 0 to 3650d (ten years), got '100000000000w'\n")

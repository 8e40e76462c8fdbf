"""Start-up through the real entry point: every setting is read (environment and .env) and
checked before a command runs, and what `briefbot run` cannot start with is one line naming
the variable, exit 2 — never a traceback."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.settings import Settings
from tests.support.cli import one_clear_line, run


def test_dotenv_sets_the_log_level_and_format_of_one_shot_commands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The autouse fixture chdir'ed into tmp_path: this .env is the one read.  One-shot
    # commands used to read both from os.environ before the settings (and .env) existed.
    Path(".env").write_text("BRIEFBOT_LOG_LEVEL=info\nBRIEFBOT_LOG_FORMAT=json\n", "utf-8")
    code, out, err = run(capsys, "brief", "korea-japan", "--demo")
    assert code == 0
    assert out.strip()
    records = [json.loads(line) for line in err.splitlines()]
    assert records, "INFO lines (the schema migration at least) were expected on stderr"
    assert {record["level"] for record in records} == {"INFO"}


def test_one_shot_commands_log_warnings_only_by_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "brief", "korea-japan", "--demo")
    assert code == 0
    assert err == ""


@pytest.mark.parametrize("level", ["debug", " Warning ", "WARN", "error"])
def test_log_level_names_are_read_whatever_their_case(level: str) -> None:
    assert Settings(log_level=level).log_level in {"DEBUG", "WARNING", "ERROR"}


def test_zone_names_are_kept_in_their_canonical_case() -> None:
    assert Settings(timezone="asia/seoul").timezone == "Asia/Seoul"
    assert Settings().timezone == "UTC"


def test_help_shows_even_when_a_setting_is_wrong(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BRIEFBOT_TIMEZONE", "Mars/Olympus")
    code, out, _ = run(capsys, "brief", "--help")
    assert code == 0
    assert "Usage" in out


# -- briefbot run ----------------------------------------------------------------------------


@pytest.fixture
def run_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """`run`'s environment, and a guard: a `run` that starts instead of refusing would serve
    until SIGTERM, so after 20 s the test gets SIGTERM and `run` stops (and the test fails)."""
    feeds = tmp_path / "feeds.toml"
    feeds.write_text("# no feeds: nothing to poll\n", "utf-8")
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'run.sqlite3'}")
    monkeypatch.setenv("BRIEFBOT_FEEDS_FILE", str(feeds))
    monkeypatch.setenv("BRIEFBOT_HTTP_HOST", "127.0.0.1")
    timer = threading.Timer(20, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


@pytest.mark.usefixtures("run_env")
def test_run_with_its_port_taken_is_one_line_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], taken_port: int
) -> None:
    monkeypatch.setenv("BRIEFBOT_HTTP_PORT", str(taken_port))
    code, out, err = run(capsys, "run")
    assert code == 2
    assert out == ""
    # warnings logged while starting may precede it; the failure itself is one line
    line = one_clear_line("\n".join(x for x in err.splitlines() if x.startswith("briefbot:")))
    assert "Traceback" not in err
    assert line == (
        f"briefbot: BRIEFBOT_HTTP_PORT: port {taken_port} on 127.0.0.1 is already in use by "
        "another program; stop it or choose another port"
    )


@pytest.mark.usefixtures("run_env")
def test_run_on_an_address_not_of_this_machine_names_the_host_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BRIEFBOT_HTTP_HOST", "192.0.2.1")  # TEST-NET-1: never ours
    monkeypatch.setenv("BRIEFBOT_HTTP_PORT", "0")
    code, _, err = run(capsys, "run")
    assert code == 2
    assert "Traceback" not in err
    assert "briefbot: BRIEFBOT_HTTP_HOST: 192.0.2.1 is not an address of this machine" in err


@pytest.mark.usefixtures("run_env")
@pytest.mark.parametrize(
    ("given", "says"),
    [
        (
            {"SLACK_BOT_TOKEN": "xoxb-000-test-token"},
            "briefbot: SLACK_SIGNING_SECRET is not set, and Slack needs it with SLACK_BOT_TOKEN",
        ),
        (
            {"SLACK_SIGNING_SECRET": "0123456789abcdef"},
            "briefbot: SLACK_BOT_TOKEN is not set, and Slack needs it with SLACK_SIGNING_SECRET",
        ),
        (
            {"SLACK_APP_TOKEN": "xapp-1-test-token"},
            "briefbot: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not set, and Slack needs "
            "them with SLACK_APP_TOKEN",
        ),
    ],
)
def test_run_with_half_a_slack_configuration_names_what_is_missing(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    given: dict[str, str],
    says: str,
) -> None:
    for name, value in given.items():
        monkeypatch.setenv(name, value)
    code, out, err = run(capsys, "run")
    assert code == 2
    assert out == ""
    assert one_clear_line(err).startswith(says)
    for value in given.values():
        assert value not in err


def test_env_example_names_every_setting_once() -> None:
    # .env.example listed BRIEFBOT_LOG_LEVEL twice, and nothing kept it in step with Settings
    example = (Path(__file__).parents[2] / ".env.example").read_text("utf-8")
    named = re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, re.MULTILINE)
    variables = [
        str(field.validation_alias.choices[0])  # type: ignore[union-attr]
        for field in Settings.model_fields.values()
    ]
    assert sorted(named) == sorted(variables)


def test_the_settings_and_subscriptions_know_the_same_zones() -> None:
    # one table of zone names; "Factory" (a tz database entry that is no place's time) was
    # refused by subscribe and accepted by BRIEFBOT_TIMEZONE while each kept its own
    with pytest.raises(ValueError, match="unknown time zone"):
        Settings(timezone="Factory")

"""Typed settings, read from the environment and a ``.env`` file in the working directory.

Names follow CONTRACT.md.  Secrets are ``SecretStr``: they never show in reprs or logs.
Build one ``Settings`` in the composition root and pass it down; nothing reads the
environment anywhere else.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import AliasChoices, Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _without_password(url: str) -> str:
    """A database URL fit for a repr or a log line: its password masked."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy reads: show nothing of it
        return "<unparsable URL>"


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_NOT_ZONES = frozenset(("localtime", "factory"))  # in the tz database, but no place's time


@cache
def zone_names() -> dict[str, str]:
    """Every IANA zone of the tz database by its lower-case name, in its canonical case."""
    import zoneinfo

    return {
        zone.lower(): zone
        for zone in zoneinfo.available_timezones()
        if zone.lower() not in _NOT_ZONES
    }


MAX_SHARD_COUNT = 100_000  # far beyond any bot's (2,500 guilds a shard); keeps ranges small


def _shard_spans(text: str) -> list[tuple[int, int]]:
    """``"0-3"``, ``"0,1,2,3"`` or a mix (``"0-3,8"``) as inclusive (first, last) spans;
    ``ValueError`` (naming no part of the input) for anything else."""
    spans = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        first, dash, last = (piece.strip() for piece in part.partition("-"))
        if not dash:  # one id
            last = first
        if not (first.isascii() and first.isdigit() and last.isascii() and last.isdigit()):
            raise ValueError("expected shard ids as a range or a comma list, e.g. 0-3 or 0,1,2,3")
        if int(first) > int(last):
            raise ValueError("a shard range must run upwards, e.g. 0-3")
        spans.append((int(first), int(last)))
    if not spans:
        raise ValueError("expected shard ids as a range or a comma list, e.g. 0-3 or 0,1,2,3")
    return spans


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
        hide_input_in_errors=True,
    )

    # core
    database_url: str | None = Field(default=None, validation_alias=_env("BRIEFBOT_DATABASE_URL"))
    data_dir: Path = Field(
        default_factory=lambda: Path(platformdirs.user_data_dir("briefbot", appauthor=False)),
        validation_alias=_env("BRIEFBOT_DATA_DIR"),
    )
    feeds_file: Path | None = Field(default=None, validation_alias=_env("BRIEFBOT_FEEDS_FILE"))
    timezone: str = Field(default="UTC", validation_alias=_env("BRIEFBOT_TIMEZONE"))
    contact: str = Field(
        default="operator unknown",
        validation_alias=_env("BRIEFBOT_CONTACT"),
        description="who runs this bot (an email or URL), sent in the User-Agent",
    )
    poll_minutes: int = Field(default=30, ge=1, validation_alias=_env("BRIEFBOT_POLL_MINUTES"))
    misfire_grace_minutes: int = Field(
        default=120, ge=0, validation_alias=_env("BRIEFBOT_MISFIRE_GRACE_MINUTES")
    )
    delivery_lease_seconds: int = Field(
        default=120,
        ge=5,
        le=3600,
        validation_alias=_env("BRIEFBOT_DELIVERY_LEASE_SECONDS"),
        description="how long a replica's claim on a scheduled slot holds without renewal: "
        "a replica that dies mid-delivery is taken over after this long",
    )
    discord_posts_per_second: float = Field(
        default=50.0,
        gt=0,
        le=50,
        allow_inf_nan=False,
        validation_alias=_env("BRIEFBOT_DISCORD_POSTS_PER_SECOND"),
        description="this replica's share of Discord's global budget of 50 requests/s per bot "
        "token, for scheduled posts: 50 / N when N replicas deliver to Discord",
    )
    log_level: str | None = Field(
        default=None,
        validation_alias=_env("BRIEFBOT_LOG_LEVEL"),
        description="DEBUG, INFO, WARNING, ERROR or CRITICAL; unset: INFO for `run`, WARNING "
        "for one-shot commands (their stdout is the output)",
    )
    log_format: Literal["text", "json"] = Field(
        default="text",
        validation_alias=_env("BRIEFBOT_LOG_FORMAT"),
        description="text lines, or one JSON object per line (with request_id) for collectors",
    )

    # HTTP server of `briefbot run`
    http_host: str = Field(default="0.0.0.0", validation_alias=_env("BRIEFBOT_HTTP_HOST"))
    http_port: int = Field(
        default=3000, ge=0, le=65535, validation_alias=_env("BRIEFBOT_HTTP_PORT")
    )

    # Discord
    discord_token: SecretStr | None = Field(default=None, validation_alias=_env("DISCORD_TOKEN"))
    discord_api_base_url: str = Field(
        default="https://discord.com/api/v10", validation_alias=_env("DISCORD_API_BASE_URL")
    )
    discord_gateway_url: str = Field(
        default="wss://gateway.discord.gg/", validation_alias=_env("DISCORD_GATEWAY_URL")
    )
    discord_guild_ids: str | None = Field(default=None, validation_alias=_env("DISCORD_GUILD_IDS"))
    discord_shard_count: int | None = Field(
        default=None,
        ge=1,
        le=MAX_SHARD_COUNT,
        validation_alias=_env("DISCORD_SHARD_COUNT"),
        description="how many shards the bot runs in all (every replica the same); unset: one "
        "unsharded connection",
    )
    discord_shard_ids: str | None = Field(
        default=None,
        validation_alias=_env("DISCORD_SHARD_IDS"),
        description="the shards this process connects, e.g. 0-3 or 0,1,2,3 (each below "
        "DISCORD_SHARD_COUNT, which it needs); unset: all of them",
    )

    # Slack
    slack_bot_token: SecretStr | None = Field(
        default=None, validation_alias=_env("SLACK_BOT_TOKEN")
    )
    slack_signing_secret: SecretStr | None = Field(
        default=None, validation_alias=_env("SLACK_SIGNING_SECRET")
    )
    slack_app_token: SecretStr | None = Field(
        default=None, validation_alias=_env("SLACK_APP_TOKEN")
    )
    slack_api_base_url: str = Field(
        default="https://slack.com/api/", validation_alias=_env("SLACK_API_BASE_URL")
    )
    slack_subscribe_allowed: str | None = Field(
        default=None,
        validation_alias=_env("SLACK_SUBSCRIBE_ALLOWED"),
        description="comma list of Slack user or user-group ids allowed to manage subscriptions "
        "(default: workspace admins and owners)",
    )

    @field_validator(
        "discord_token",
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "discord_shard_count",
        "discord_shard_ids",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _log_level_name(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        name = str(value).strip().upper()
        name = {"WARN": "WARNING", "FATAL": "CRITICAL"}.get(name, name)
        if name not in LOG_LEVELS:
            raise ValueError(f"expected one of {', '.join(LOG_LEVELS)}")
        return name

    @field_validator("timezone", mode="before")
    @classmethod
    def _known_zone(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        name = value.strip()
        if name in ("", "UTC"):  # a blank line in .env: unset
            return "UTC"
        canonical = zone_names().get(name.lower())
        if canonical is None:
            raise ValueError(
                "unknown time zone (use an IANA name such as Asia/Seoul, Europe/London or UTC)"
            )
        return canonical

    @field_validator("discord_guild_ids")
    @classmethod
    def _guild_id_list(cls, value: str | None) -> str | None:
        if value is not None and not all(
            part.strip().isdigit() for part in value.split(",") if part.strip()
        ):
            raise ValueError("expected a comma-separated list of numeric guild ids")
        return value

    @field_validator("discord_shard_ids")
    @classmethod
    def _shard_id_list(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        spans = _shard_spans(value)
        if "discord_shard_count" not in info.data:
            return value  # the count itself is wrong, and reported on its own
        count = info.data["discord_shard_count"]
        if count is None:
            raise ValueError("needs DISCORD_SHARD_COUNT, the number of shards in all")
        highest = max(last for _, last in spans)
        if highest >= count:
            raise ValueError(
                f"shard {highest} is out of range: with DISCORD_SHARD_COUNT={count} the ids "
                f"run 0-{count - 1}"
            )
        ids = [shard for first, last in spans for shard in range(first, last + 1)]
        if len(set(ids)) != len(ids):
            raise ValueError("a shard is listed twice")
        return value

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        """As pydantic's, with the database password masked (SecretStr fields already are)."""
        for name, value in super().__repr_args__():
            if name == "database_url" and isinstance(value, str):
                value = _without_password(value)
            yield name, value

    @property
    def resolved_database_url(self) -> str:
        """The SQLAlchemy URL: the setting, or a SQLite file in the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'briefbot.sqlite3'}"

    @property
    def guild_ids(self) -> tuple[int, ...]:
        if not self.discord_guild_ids:
            return ()
        return tuple(int(part) for part in self.discord_guild_ids.split(",") if part.strip())

    @property
    def shard_ids(self) -> tuple[int, ...] | None:
        """The shards this process connects (``DISCORD_SHARD_IDS``), in order; None with only
        ``DISCORD_SHARD_COUNT``: all of them (and without it the bot is not sharded)."""
        if self.discord_shard_ids is None:
            return None
        spans = _shard_spans(self.discord_shard_ids)
        return tuple(shard for first, last in spans for shard in range(first, last + 1))

    def log_level_for(self, command: str | None) -> str:
        """The configured level, else INFO for `run` and WARNING for one-shot commands."""
        return self.log_level or ("INFO" if command == "run" else "WARNING")

    def missing_for_run(self) -> str | None:
        """What a half-configured platform lacks for `briefbot run`, naming the variable
        (Slack needs its bot token and signing secret together; the app token only adds
        Socket Mode); None when every platform is configured whole or not at all."""
        slack = {
            "SLACK_BOT_TOKEN": self.slack_bot_token,
            "SLACK_SIGNING_SECRET": self.slack_signing_secret,
        }
        given = [name for name, value in slack.items() if value is not None]
        if self.slack_app_token is not None and not given:
            given = ["SLACK_APP_TOKEN"]
        absent = [name for name, value in slack.items() if value is None]
        if given and absent:
            names, verb, it = (
                (absent[0], "is", "it")
                if len(absent) == 1
                else (" and ".join(absent), "are", "them")
            )
            return (
                f"{names} {verb} not set, and Slack needs {it} with {given[0]}: set {it}, or "
                f"unset {given[0]} to run without Slack"
            )
        return None

    @property
    def discord_enabled(self) -> bool:
        return self.discord_token is not None

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None and self.slack_signing_secret is not None

    @property
    def user_agent(self) -> str:
        from bot import __version__

        return f"briefbot/{__version__} (+foreign-affairs briefing bot; contact: {self.contact})"

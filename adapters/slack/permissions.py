"""Who may manage a channel's scheduled briefings on Slack.

By default: workspace admins and owners (``users.info`` flags).  With
``SLACK_SUBSCRIBE_ALLOWED`` set: exactly the user ids (``U…``/``W…``) and the members of the
user groups (``S…``, via ``usergroups.users.list``) it names.  Lookups that fail (a missing
scope, Slack down) refuse and log why: a permission check fails closed.
"""

from __future__ import annotations

import logging

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)


class SubscribePolicy:
    def __init__(self, allowed: str | None = None) -> None:
        ids = [part.strip() for part in (allowed or "").split(",") if part.strip()]
        self._configured = bool(ids)
        self._groups = frozenset(i for i in ids if i.startswith("S"))
        self._users = frozenset(i for i in ids if not i.startswith("S"))

    def __repr__(self) -> str:
        if not self._configured:
            return "<SubscribePolicy admins and owners>"
        return f"<SubscribePolicy users={sorted(self._users)} groups={sorted(self._groups)}>"

    async def allows(self, client: AsyncWebClient, user_id: str) -> bool:
        if not self._configured:
            return await self._is_admin(client, user_id)
        if user_id in self._users:
            return True
        for group in sorted(self._groups):
            try:
                response = await client.usergroups_users_list(usergroup=group)
            except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
                log.error("cannot read Slack user group %s (needs usergroups:read): %s", group, exc)
                continue
            if user_id in (response.get("users") or []):
                return True
        return False

    @staticmethod
    async def _is_admin(client: AsyncWebClient, user_id: str) -> bool:
        try:
            response = await client.users_info(user=user_id)
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
            log.error("cannot read Slack user %s (needs users:read): %s", user_id, exc)
            return False
        user = response.get("user") or {}
        return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))

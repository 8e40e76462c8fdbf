"""Scheduled briefings, delivered exactly once per (subscription, slot), across replicas.

    from bot.scheduling import BriefingScheduler, next_slots

    scheduler = BriefingScheduler(store=store, briefings=briefings, subscriptions=subs,
                                  publishers={"slack": slack, "discord": discord},
                                  replica_id=bot.app.replica_id(),
                                  misfire_grace=timedelta(minutes=settings.misfire_grace_minutes))
    await scheduler.start()      # inside the running loop of `briefbot run`
    ...
    await scheduler.shutdown()   # on SIGTERM: claims in flight are released cleanly

Rooms: ``slots`` (when: zones, DST, cron), ``ledger`` (the deliveries table: claims, leases,
outcomes), ``pacing`` (platform rate limits), ``content`` (what a slot posts),
``publisher`` (the Protocol the adapters implement), ``scheduler`` (APScheduler wiring).
"""

from __future__ import annotations

from .content import (
    SLOT_COUNT,
    SlotPreview,
    compose_slot,
    describe_since,
    preview_slot,
    slot_briefing,
)
from .ledger import Claim, DeliveryLedger, Due, ScheduledSubscription
from .pacing import DEFAULT_PACING, Pacer, Pacing
from .publisher import ChannelChecker, IdempotentPublisher, PartPosted, Publisher, delivery_key
from .scheduler import (
    BriefingProvider,
    BriefingScheduler,
    Outcome,
    SubscriptionPauser,
)
from .slots import CronSpec, latest_slot, next_slot_after, next_slots, parse_cron, zone_of

__all__ = [
    "DEFAULT_PACING",
    "SLOT_COUNT",
    "BriefingProvider",
    "BriefingScheduler",
    "ChannelChecker",
    "Claim",
    "CronSpec",
    "DeliveryLedger",
    "Due",
    "IdempotentPublisher",
    "Outcome",
    "Pacer",
    "Pacing",
    "PartPosted",
    "Publisher",
    "ScheduledSubscription",
    "SlotPreview",
    "SubscriptionPauser",
    "compose_slot",
    "delivery_key",
    "describe_since",
    "latest_slot",
    "next_slot_after",
    "next_slots",
    "parse_cron",
    "preview_slot",
    "slot_briefing",
    "zone_of",
]

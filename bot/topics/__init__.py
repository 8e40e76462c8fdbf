"""Topics: what a briefing is about, and how strongly each article is about it.

    registry = TopicRegistry.default()            # curated topics.toml + every country (cached)
    topic = registry.resolve("korea japan")       # -> Topic("korea-japan"), or UnknownTopic
    registry.suggest("kor")                       # autocomplete: curated first, then countries
    registry.tag(title, text)                     # at ingest: {"KR": 0.95, "JP": 1.0, ...}

Rooms: ``countries`` (data packages + curated corrections), ``lexicon`` (finding names in
text), ``tagging`` (salience weights), ``registry`` (topics, resolution, autocomplete).
"""

from __future__ import annotations

from bot.topics.countries import Country
from bot.topics.registry import Topic, TopicRegistry
from bot.topics.tagging import SUBSTANTIVE

__all__ = ["SUBSTANTIVE", "Country", "Topic", "TopicRegistry"]

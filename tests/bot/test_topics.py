"""The topic registry: resolution, suggestions, curated topics, and tagging salience."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import BadInput, UnknownTopic
from bot.topics import SUBSTANTIVE, TopicRegistry


@pytest.fixture(scope="module")
def registry() -> TopicRegistry:
    return TopicRegistry.default()


# -- resolution ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("korea-japan", "korea-japan"),
        ("japan-korea", "korea-japan"),
        ("Japan Korea", "korea-japan"),
        ("KR-JP", "korea-japan"),
        ("kor/jpn", "korea-japan"),
        ("South Korea and Japan", "korea-japan"),
        ("Korea – Japan", "korea-japan"),
        ("korea japan relations", "korea-japan"),
        ("Seoul-Tokyo", "korea-japan"),
        ("korean-japanese", "korea-japan"),
        ("korea", "korea"),
        ("South Korea", "korea"),
        ("Republic of Korea", "korea"),
        ("KR", "korea"),
        ("kor", "korea"),
        ("Korean", "korea"),
        ("north-korea", "north-korea"),
        ("North Korea", "north-korea"),
        ("DPRK", "north-korea"),
        ("prk", "north-korea"),
        ("korea-north-korea", "inter-korean"),
        ("us-china", "us-china"),
        ("China-US", "us-china"),
        ("United States and China", "us-china"),
        ("U.S.-China", "us-china"),
        ("usa", "us"),
        ("pakistan india", "india-pakistan"),
        ("philippines-china", "philippines-china"),
        ("japan-china", "japan-china"),
        ("Germany", "germany"),
        ("deu", "germany"),
        ("German", "germany"),
        ("germany-france", "france-germany"),
        ("france vs germany", "france-germany"),
        ("britain-france", "france-uk"),
        ("Côte d'Ivoire", "ivory-coast"),
        ("ivory coast", "ivory-coast"),
        ("Guinea-Bissau", "guinea-bissau"),
        ("bosnia and herzegovina", "bosnia-and-herzegovina"),
        ("south-africa-us", "south-africa-us"),
        ("Russian Federation", "russia"),
        ("viet nam", "vietnam"),
    ],
)
def test_resolves_names_codes_demonyms_and_pairs(
    registry: TopicRegistry, typed: str, slug: str
) -> None:
    assert registry.resolve(typed).slug == slug


def test_korea_alone_is_the_republic_of_korea(registry: TopicRegistry) -> None:
    assert registry.resolve("korea").entities == ("KR",)
    assert registry.resolve("north-korea").entities == ("KP",)
    assert registry.resolve("korea-japan").entities == ("KR", "JP")


def test_a_pair_in_either_order_is_one_topic(registry: TopicRegistry) -> None:
    assert registry.resolve("india-china") == registry.resolve("china-india")
    assert registry.resolve("china-india").slug == "china-india"
    assert registry.resolve("us-china") is registry.resolve("china-us")


def test_every_country_and_pair_slug_resolves_to_itself(registry: TopicRegistry) -> None:
    codes = [t.entities[0] for t in map(registry.resolve, ["japan", "korea"])]
    for country in [registry.country(c) for c in ("JP", "KR")]:
        assert country.code in codes
    seen = set()
    for ref in registry.suggest("", limit=300):
        assert registry.resolve(ref.slug).slug == ref.slug
        seen.add(ref.slug)
    assert len(seen) > 240  # every country, not a hand-typed short list
    for other in sorted(seen)[:120]:
        topic = registry.resolve(other)
        if topic.entities == ("KR",) or len(topic.entities) != 1:
            continue
        pair = registry.resolve(f"korea-{other}")
        assert registry.resolve(pair.slug) == pair
        assert set(pair.entities) == {"KR", topic.entities[0]}


def test_unknown_topic_names_the_closest_slugs(registry: TopicRegistry) -> None:
    with pytest.raises(UnknownTopic) as info:
        registry.resolve("korea-japn")
    assert info.value.suggestions[0] == "korea-japan"
    assert "korea-japan" in str(info.value)
    with pytest.raises(UnknownTopic) as info:
        registry.resolve("japan-korae")
    assert info.value.suggestions[0] == "korea-japan"
    with pytest.raises(UnknownTopic) as info:
        registry.resolve("us-chna")
    assert info.value.suggestions[0] == "us-china"
    with pytest.raises(UnknownTopic) as info:
        registry.resolve("narnia")
    assert len(info.value.suggestions) == 3
    with pytest.raises(UnknownTopic):
        registry.resolve("korea-korea")  # a pair needs two different countries


def test_no_topic_or_a_paragraph_is_bad_input(registry: TopicRegistry) -> None:
    with pytest.raises(BadInput, match="Name a topic"):
        registry.resolve("  - ")
    with pytest.raises(BadInput):
        registry.resolve("korea " * 100)


def test_curated_topics(registry: TopicRegistry) -> None:
    slugs = [t.slug for t in registry.curated()]
    assert slugs[0] == "korea-japan"
    for slug in ("us-china", "north-korea", "korea-us", "japan-china", "india-pakistan"):
        assert slug in slugs
    korea_japan = registry.resolve("korea-japan")
    assert korea_japan.curated
    assert korea_japan.ref().title == "Korea – Japan"
    for term in (
        "Lee Jae Myung",
        "Yoon Suk Yeol",
        "Shigeru Ishiba",
        "Fumio Kishida",
        "Sanae Takaichi",
        "Dokdo",
        "Takeshima",
        "Sado mine",
        "forced labor",
        "comfort women",
        "shuttle diplomacy",
        "East Sea",
        "Fukushima water",
    ):
        assert term in korea_japan.terms
    assert all(t.slug == t.slug.lower() and " " not in t.slug for t in registry.curated())


# -- suggestions ---------------------------------------------------------------------------


def test_suggest_puts_curated_first_then_countries_then_pairs(registry: TopicRegistry) -> None:
    slugs = [r.slug for r in registry.suggest("korea")]
    assert len(slugs) == 25
    assert slugs[:4] == ["korea-japan", "north-korea", "inter-korean", "korea-us"]
    assert slugs[4] == "korea"
    assert all(registry.resolve(s).slug == s for s in slugs)
    assert next(r.slug for r in registry.suggest("korea ja")) == "korea-japan"
    assert "japan" in [r.slug for r in registry.suggest("jap")]
    assert [r.slug for r in registry.suggest("phil")] == ["philippines-china", "philippines"]
    assert len(registry.suggest("", limit=10)) == 10
    assert registry.suggest("zzzz") == []


# -- tagging -------------------------------------------------------------------------------


def test_the_seed_is_about_korea_and_japan(registry: TopicRegistry, seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    weights = registry.tag(text.splitlines()[0], text)
    assert weights["KR"] >= 0.95
    assert weights["JP"] >= 0.95
    assert weights["topic:korea-japan"] > 0
    # North Korea and the US come up in passing: present, far from substantive.
    assert weights["KP"] < SUBSTANTIVE
    assert weights["KR"] > weights["US"]


def test_title_matters_more_than_a_passing_mention(registry: TopicRegistry) -> None:
    body = "Officials met on Tuesday. " * 20
    in_title = registry.tag("Japan weighs a new budget", body)["JP"]
    passing = registry.tag("A new budget", body + "A Japanese official attended.")["JP"]
    named_often = registry.tag(
        "A new budget", "Japan said. Tokyo said. Kishida said. The Japanese said. " + body
    )["JP"]
    assert passing < SUBSTANTIVE <= in_title
    assert named_often >= SUBSTANTIVE
    assert passing < named_often


def test_case_rules_and_longest_match(registry: TopicRegistry) -> None:
    weights = registry.tag("Let us cook turkey on china plates", "Serve the turkey with us.")
    assert weights == {}
    assert set(registry.tag("North Korea fires a missile", "North Korea said.")) == {"KP"}
    assert "US" in registry.tag("U.S. troops", "The U.S.-Korea alliance.")
    assert "US" in registry.tag("US troops", "")
    assert "JE" not in registry.tag("New Jersey votes", "New Jersey again.")
    assert "KR" not in registry.tag("Opinion", "As the Korea Herald reported, prices rose.")


def test_relationship_terms_count_for_both_sides(registry: TopicRegistry) -> None:
    weights = registry.tag("Dokdo dispute flares", "The Dokdo islets drew protests.")
    assert weights["KR"] >= SUBSTANTIVE
    assert weights["JP"] >= SUBSTANTIVE
    assert weights["topic:korea-japan"] >= SUBSTANTIVE
    # A context term lifts the topic only; it never makes an article about both countries.
    context = registry.tag("Forced labor in supply chains", "Forced labor rules tightened.")
    assert "KR" not in context
    assert "JP" not in context
    assert context["topic:korea-japan"] > 0


def test_leaders_count_for_their_country(registry: TopicRegistry) -> None:
    weights = registry.tag("Lee Jae-myung meets Sanae Takaichi", "")
    assert weights["KR"] >= SUBSTANTIVE
    assert weights["JP"] >= SUBSTANTIVE


def test_real_editorials_are_tagged_with_their_subject(
    registry: TopicRegistry, shared_data: Path
) -> None:
    lines = (shared_data / "editorials_dev.jsonl").read_text(encoding="utf-8").splitlines()
    rows = {row["id"]: row for row in map(json.loads, lines)}

    def top(row_id: str) -> dict[str, float]:
        row = rows[row_id]
        return registry.tag(row["title"], row["text"])

    afghanistan = top("webis-aljazeera-006-afghanistanatcrucialjuncture")
    assert max(afghanistan, key=lambda e: afghanistan[e]) == "AF"
    sony = top("webis-aljazeera-172-northkoreasonymovie")
    assert sony["KP"] == 1.0
    assert sony.get("KR", 0) < SUBSTANTIVE
    putin = top("webis-aljazeera-294-willputinbiteoffmorethanhe")
    assert putin["RU"] == 1.0
    assert putin["UA"] >= SUBSTANTIVE
    poland = top("webis-aljazeera-225-risepolandurbanmovement")
    assert poland["PL"] == 1.0
    assert all(w < SUBSTANTIVE for e, w in poland.items() if e != "PL")


# -- robustness ----------------------------------------------------------------------------

any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120)


@settings(max_examples=150, deadline=None)
@given(typed=any_text)
def test_resolve_never_guesses_and_never_crashes(typed: str) -> None:
    registry = TopicRegistry.default()
    suggestions: tuple[str, ...] = ()
    try:
        topic = registry.resolve(typed)
    except UnknownTopic as err:
        suggestions = err.suggestions
    except BadInput:
        return
    else:
        assert registry.resolve(topic.slug) == topic
    assert len(suggestions) <= 3
    assert all(registry.resolve(s).slug == s for s in suggestions)


@settings(max_examples=100, deadline=None)
@given(title=any_text, text=st.text(max_size=2000))
def test_tag_weights_are_in_range(title: str, text: str) -> None:
    weights = TopicRegistry.default().tag(title, text)
    assert all(0.05 <= w <= 1.0 for w in weights.values())
    assert all(e.startswith("topic:") or (len(e) == 2 and e.isupper()) for e in weights)

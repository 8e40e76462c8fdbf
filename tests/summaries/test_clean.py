"""Chrome removal: the seed, pages in other sites' shapes, and real articles left intact."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from summaries import clean_text
from summaries.clean import _CUE_PATTERNS, clean_document, is_chrome_sentence

BODY = [
    "Foreign ministers from Manila and Beijing met in Singapore on Tuesday to discuss the "
    "standoff at Second Thomas Shoal.",
    "The talks ended without a joint statement, but both sides agreed to keep a hotline open "
    "between their coast guards.",
    "Analysts in Manila said the hotline was a modest step that would matter only if it was "
    "used during the next incident at sea.",
    "The Philippines should insist that any code of conduct be binding, not another promise "
    "that Beijing can ignore when it suits it.",
]


def key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def assert_body_only(cleaned: str, body: list[str] = BODY) -> None:
    """Every body sentence is there, in order, and nothing else."""
    assert key(cleaned) == key(" ".join(body))


# --- the seed ----------------------------------------------------------------------------


def test_seed_keeps_every_body_sentence_and_no_chrome(seed_path: Path) -> None:
    raw = seed_path.read_text(encoding="utf-8")
    document = clean_document(raw)
    text = document.text
    assert document.title == (
        "Korea, Japan leaders meet ahead of 60th anniversary of diplomatic ties"
    )
    for chrome in (
        "Home > Opinion",
        "print dictionary",
        "JOINT PRESS CORPS",
        "shakes hands",
        "Related Article",
        "Translated from the JoongAng Ilbo",
        "Log in",
        "Social comment",
        "lock icon",
        "write comments",
        "Standards Board",
        "Korea, Japan leaders meet ahead",  # the headline echoed into the body
    ):
        assert chrome not in text, chrome
    assert text.startswith("President Lee Jae Myung held his first summit")
    assert text.endswith("not just with words, but with concrete actions.")
    assert len(document.sentences) == 20
    assert "“inseparable, like neighbors sharing a yard,”" in text  # curly quotes intact
    assert "engagement — just 14 days" in text  # em dashes intact
    assert document.opinion  # "Home > Opinion > Editorials"


def test_clean_text_is_paragraphs_of_the_cleaned_document(seed_path: Path) -> None:
    raw = seed_path.read_text(encoding="utf-8")
    text = clean_text(raw)
    assert text == clean_document(raw).text
    assert text.count("\n\n") == 7  # the seed's eight body paragraphs


# --- other sites' shapes -----------------------------------------------------------------


def page(*lines: str) -> str:
    return "\n".join(lines)


def test_wire_style_page_with_credits_captions_and_prompts() -> None:
    raw = page(
        "Menu",
        "World",
        "Asia",
        "Sign in",
        "Manila, Beijing keep hotline open after shoal talks",
        "By Maria Santos | June 18, 2025 9:14 a.m.",
        "Share on Facebook",
        "A A A",
        "Coast guard vessels sail near Second Thomas Shoal on June 17. (AP Photo/Aaron Favila)",
        "",
        BODY[0],
        "ADVERTISEMENT",
        BODY[1],
        "Get our Asia briefing delivered to your inbox every weekday.",
        BODY[2],
        "Story continues below advertisement",
        BODY[3],
        "Reporting by Maria Santos; Editing by David Chen",
        "© 2025 Northern Post. All rights reserved.",
        "Terms of Use | Privacy Policy",
    )
    document = clean_document(raw)
    assert document.title == "Manila, Beijing keep hotline open after shoal talks"
    assert_body_only(document.text)


def test_related_block_with_headlines_and_teasers_is_removed() -> None:
    raw = page(
        BODY[0],
        BODY[1],
        "",
        "You might also like",
        "Can Asean ever agree on the South China Sea?",
        "For two decades the bloc has promised a code of conduct and delivered drafts.",
        "June 2, 2025",
        "Vietnam quietly expands its Spratly outposts",
        "Satellite images show new reclamation at four features this spring.",
        "",
        BODY[2],
        BODY[3],
    )
    assert_body_only(clean_text(raw))


def test_related_block_of_bare_headlines_then_short_body_paragraph() -> None:
    raw = page(
        BODY[0],
        "Related stories",
        "Philippines protests water cannon attack",
        "Why the shoal matters to Manila",
        BODY[1],
        BODY[2],
        BODY[3],
    )
    assert_body_only(clean_text(raw))


def test_inline_read_more_line_is_removed() -> None:
    raw = page(BODY[0], "READ MORE: Philippines protests water cannon attack", *BODY[1:])
    assert_body_only(clean_text(raw))


def test_caption_repeated_twice_without_credit_is_removed() -> None:
    caption = "Foreign Minister Enrique Manalo speaks to reporters in Singapore."
    raw = page(caption, caption, *BODY)
    assert_body_only(clean_text(raw))


@pytest.mark.parametrize(
    "caption",
    [
        "Foreign Minister Enrique Manalo, left, shakes hands with Wang Yi in Singapore.",
        "Protesters gather outside the Chinese embassy in Manila on Monday.",
        "Coast guard ships at the shoal. Photograph: Ted Aljibe/AFP/Getty Images",
        "Wang Yi arrives for the talks. [YONHAP]",
        "In this file photo, a Philippine supply boat nears the shoal.",
    ],
)
def test_single_captions_are_removed(caption: str) -> None:
    raw = page(BODY[0], caption, *BODY[1:])
    assert_body_only(clean_text(raw))


@pytest.mark.parametrize(
    "prompt",
    [
        "To write comments, please log in to one of the accounts.",
        "Already a subscriber? Log in.",
        "Want more stories like this? Join our mailing list.",
        "You have 2 free articles left this month.",
        "Comments are closed for this article.",
        "We welcome your thoughts in the comment section below.",
        "Support independent journalism: become a member today.",
        "This material may not be published, broadcast, rewritten or redistributed.",
        "Translated from the Yomiuri Shimbun using machine translation and edited by staff.",
        "This article was originally published in Korean.",
        "The views expressed here are the author's own and do not necessarily reflect ours.",
        "Copyright 2025 The Manila Standard.",
        "Click here to follow us on Google News.",
        "Download our free app for the latest updates.",
        # follow and app prompts, reporter contact lines, tips and feedback
        "Follow The Manila Standard Opinion section on Facebook, Twitter (@MSopinion) and "
        "Instagram.",
        "Follow her on Twitter @msantos or on Facebook.",
        "Download the Manila Standard app to get breaking news alerts.",
        "Maria Santos may be reached at msantos@standard.example.",
        "Write to David Chen at david.chen@standard.example",
        "Have a tip? Send us your news tips at tips@standard.example.",
        "Like this story? Share it with a friend!",
        "We'd like to hear what you think about this or any of our articles.",
        "You can view our June 2025 open thread here.",
        # membership pitches, reprint notices, affiliate and shopping disclosures
        "If you enjoyed this article, we have a proposition for you: join Standard Plus.",
        "And importantly, Standard Plus members help keep the paper going.",
        "This copy is for your personal, non-commercial use only.",
        "To order presentation-ready copies for distribution to your colleagues, visit "
        "https://reprints.standard.example.",
        "If you buy something through this post, the Standard may get a share of the sale.",
        "The Standard may receive a commission on orders placed through this article.",
        "Prices are subject to change without notice and coupons may expire at any time.",
        # provenance, disclaimers, interface errors
        "Maria Santos contributed reporting from Manila.",
        "Views and opinions expressed in this article are those of the author alone.",
        "Disclaimer: The investment tips expressed by experts here are their own.",
        "Note: we are temporarily moderating all comments submitted to deal with spam.",
        "An error has occurred, please try again later.",
    ],
)
def test_interface_prompts_are_removed(prompt: str) -> None:
    raw = page(BODY[0], BODY[1], prompt, BODY[2], BODY[3])
    assert_body_only(clean_text(raw))


def test_near_duplicate_pull_quote_keeps_the_body_copy() -> None:
    pull = "“The hotline was a modest step that would matter only if it was used.”"
    raw = page(BODY[0], pull, *BODY[1:])
    assert clean_document(raw).sentences == tuple(BODY)


def test_exact_duplicate_paragraph_far_apart_is_kept_once() -> None:
    raw = page(*BODY, "", "Filler line that is not prose", BODY[1])
    assert_body_only(clean_text(raw))


def test_hard_wrapped_text_is_rejoined() -> None:
    wrapped = []
    for paragraph in BODY:
        words = paragraph.split()
        lines, line = [], ""
        for word in words:
            if len(line) + len(word) + 1 > 60:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
        wrapped.append("\n".join(lines))
    document = clean_document("\n\n".join(wrapped))
    assert document.sentences == tuple(BODY)


def test_headline_given_as_title_is_not_repeated_in_the_body() -> None:
    title = "Manila and Beijing keep a hotline open"
    document = clean_document(page(title, *BODY), title)
    assert document.title == title
    assert document.sentences == tuple(BODY)


def test_dateline_is_stripped_from_the_first_sentence() -> None:
    for dateline in ("(CNN)", "(The Hollywood Reporter) -- ", "MANILA, June 18 (Reuters) - "):
        document = clean_document(dateline + BODY[0] + " " + BODY[1])
        assert document.sentences[0] == BODY[0]


def test_whitespace_is_normalised_but_unicode_punctuation_is_not() -> None:
    raw = "The deal\u00a0— signed\u200b on Tuesday — “holds,” officials said.\r\n\r\n" + BODY[1]
    document = clean_document(raw)
    assert document.sentences[0] == "The deal — signed on Tuesday — “holds,” officials said."


# --- false positives on real prose -------------------------------------------------------


def test_prompt_cues_do_not_fire_on_ordinary_news_sentences() -> None:
    ordinary = [
        "The president signed up to the convention in 1989.",
        "She will register the company in Singapore next year.",
        "By comparison, only 13 per cent of people were affected.",
        "The comment drew a sharp reply from Beijing.",
        "Police said they would share the footage with prosecutors.",
        "The talks were published as a joint communique on Monday.",
        "Advertising to children is another issue requiring intervention.",
        "Twenty five years ago, the world signed up to the Convention on the Rights of the Child.",
        # close to the sign-off and pitch families, but news
        "An agreement can be reached by Friday, officials said.",
        "More than two million people follow the minister on Instagram.",
        "Fans follow the team on the road every season.",
        "Download speeds on the new network were twice as fast as before.",
        "Some Apple products, like App Store gift cards, are always welcome.",
        "The company continued to sign up subscribers throughout the week.",
        "Members of parliament receive a housing allowance.",
        "Readers wrote to the paper to complain about the change.",
        "The deal may expire before the end of the year.",
        "He contributed $5,000 to the campaign.",
    ]
    assert [s for s in ordinary if is_chrome_sentence(s)] == []


@pytest.mark.parametrize(
    "sign_off",
    [
        # a pitch: the plain sentences of a mostly-prompt paragraph go with it
        "If you enjoyed this article, we have a proposition for you: join Standard Plus. "
        "Members get all of our content, no paywalls or content meters. And importantly, "
        "Standard Plus members help keep the paper going. Consider it?",
        # an author's bio at the end, with its second sentence
        "Maria Santos (msantos@standard.example) is the diplomatic editor of The Manila "
        "Standard. She also runs the Shoalwatch.net web site.",
        "David Chen is the Standard's Asia correspondent and the author of two books.",
    ],
)
def test_sign_off_paragraphs_at_the_end_go_whole(sign_off: str) -> None:
    assert_body_only(clean_text(page(*BODY, sign_off)))


def test_a_bio_shaped_sentence_inside_the_article_is_news() -> None:
    news = "Maria Santos is a reporter for the Standard who was detained at the shoal in May."
    body = [BODY[0], news, *BODY[1:]]
    assert_body_only(clean_text(page(*body)), body)


def test_a_prompt_beside_a_long_sentence_keeps_the_sentence() -> None:
    long = (
        "The Founder's and Premiere editions of the console, which come with a controller, "
        "launch tomorrow in fourteen countries, including the Philippines, Japan, Korea, "
        "Australia and New Zealand."
    )
    raw = page(*BODY, f"{long} Premium subscription options arrive in early 2026.")
    assert key(long) in key(clean_text(raw))


# One prompt a reader meets on a news site for each cue (interface text, not the world).
CUE_EXAMPLES = [
    "Please log in to continue.",
    "Sign in to read the full story.",
    "Sign up with Google to link your accounts.",
    "Create a free account to save articles.",
    "Already a subscriber?",
    "Forgot your password?",
    "Subscribe now for just $1 a week.",
    "Subscribe",
    "Get our morning newsletter.",
    "Delivered to your inbox every morning.",
    "Join our mailing list.",
    "Follow us on Google News.",
    "You have 2 free articles left this month.",
    "Start your free trial today.",
    "Support independent journalism.",
    "Continue reading",
    "Subscribe to continue reading.",
    "Leave a comment",
    "Comments are closed.",
    "Sign in to comment.",
    "Join the conversation",
    "Read our community guidelines.",
    "(0/250 characters)",
    "Share this article",
    "Facebook Twitter WhatsApp Email",
    "Follow @yonhap_news",
    "Follow The Times's opinion section on Facebook.",
    "Click here to watch the video.",
    "Download our free app.",
    "Available on the App Store and Google Play.",
    "Text size",
    "Print this article",
    "Listen to this article",
    "Copy link",
    "You can view our June open thread here.",
    "Have a tip?",
    "Tell us what you think.",
    "Like this story? Share it with a friend.",
    "Amy Lee can be reached at 202-555-0100.",
    "Email the author at the address below.",
    "Send tips to news@example.com.",
    "If you enjoyed this, please consider donating.",
    "Readers like you keep our journalism free.",
    "Members get unlimited access to every story.",
    "Become a paying subscriber.",
    "No paywalls, ever.",
    "This post contains affiliate links.",
    "We may earn a commission from purchases.",
    "If you buy something through our links, we earn a fee.",
    "At no extra cost to you.",
    "Prices are subject to change.",
    "Something went wrong. Please try again.",
    "© 2025 The Daily. All rights reserved.",
    "Privacy Policy | Terms of Use",
    "We use cookies to improve your experience.",
    "Reproduction of this article is prohibited.",
    "This material may not be published or broadcast.",
    "It may not be rewritten or redistributed without permission.",
    "Please enable JavaScript to view the comments.",
    "This copy is for your personal, non-commercial use only.",
    "For reprint rights, contact our syndication desk.",
    "Translated from Korean by the editorial staff.",
    "This article was machine-translated.",
    "Edited by the foreign news desk team.",
    "Additional reporting by Kim Min-ji.",
    "By Jane Doe",
    "Published 3 hours ago",
    "Kim Min-ji | Jan. 17, 2025 6:42 a.m.",
    "Monday, June 16, 2025 09:30",
    "This article was originally published in Korean.",
    "The views expressed are the author's own.",
    "Lee Su-jin contributed reporting.",
    "We moderate all comments.",
    "Letters to the editor may be edited for length.",
    "The writer is a professor of politics at Yonsei University.",
    "Advertisement",
    "Story continues below advertisement",
    "Skip ad",
]


def test_every_cue_pattern_matches_a_real_prompt() -> None:
    """No cue is dead: each pattern matches at least one of the prompts above."""
    unmatched = [
        pattern
        for pattern in _CUE_PATTERNS
        if not any(re.search(pattern, example, re.IGNORECASE) for example in CUE_EXAMPLES)
    ]
    assert unmatched == []


@pytest.mark.parametrize("prompt", CUE_EXAMPLES)
def test_every_prompt_is_chrome_and_leaves_the_page(prompt: str) -> None:
    assert is_chrome_sentence(prompt)
    cleaned = clean_text(page(*BODY[:2], prompt, BODY[2]))
    assert key(prompt) not in key(cleaned)
    assert all(key(line) in key(cleaned) for line in BODY[:3])


def test_real_editorials_and_news_lose_almost_nothing(shared_data: Path) -> None:
    """On real clean texts the cleaner drops only subheads, sign-offs and true chrome: no
    more than 2 % of sentences, and never a long one."""
    from summaries.sentences import split_sentences

    total = dropped = 0
    long_drops = []
    for name in ("editorials_dev.jsonl", "news_dev.jsonl"):
        for line in (shared_data / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            kept = {key(s) for s in clean_document(row["text"], row["title"]).sentences}
            for paragraph in row["text"].split("\n"):
                for sentence in split_sentences(paragraph.strip()):
                    total += 1
                    if key(sentence) not in kept and not any(key(sentence) in k for k in kept):
                        dropped += 1
                        if len(sentence.split()) > 25:
                            long_drops.append(sentence)
    assert dropped / total < 0.02, dropped
    # long drops are near-duplicates (Daily Mail repeats its highlights) or datelined leads
    assert len(long_drops) <= 5, long_drops

"""A feed's HTML snippet (description, content, title) becomes text by parsing it, so no
comment, script or style leaves text behind (issue 13, item 6)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.sources.feeds import html_to_text, parse_feed


def test_a_comment_leaves_nothing_behind() -> None:
    assert html_to_text("<!-- <script> -->Talks resumed.") == "Talks resumed."
    assert html_to_text("Envoys met<!-- ad: buy now > click here -->.") == "Envoys met."
    assert html_to_text("<p>Envoys met.</p><!-- tracking <img src=x> -->") == "Envoys met."


def test_an_unterminated_comment_runs_to_the_end() -> None:
    assert html_to_text("<p>Envoys met.</p><!-- editor's note: do not publish") == "Envoys met."


def test_scripts_styles_and_instructions_leave_nothing_behind() -> None:
    markup = (
        "<style>p { color: red }</style><p>Envoys met.</p>"
        "<script>var secret = '<p>leak</p>';</script><?php echo 'leak'; ?>"
        "<noscript>enable javascript</noscript><template><p>leak</p></template>"
    )
    assert html_to_text(markup) == "Envoys met."


def test_entities_are_decoded_once_and_paragraphs_stay_apart() -> None:
    assert html_to_text("<p>One &amp; two &lt;b&gt;</p>\n<p>Three<br>four</p>") == (
        "One & two <b>\n\nThree\n\nfour"
    )
    assert html_to_text("<table><tr><td>Seoul</td><td>Tokyo</td></tr></table>") == "Seoul Tokyo"
    assert html_to_text("Plain text, no markup.") == "Plain text, no markup."
    assert html_to_text("") == ""


def test_a_feed_item_description_keeps_none_of_its_comments() -> None:
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
    <link>https://x.test/</link><item><title>Talks resume</title><link>https://x.test/a</link>
    <description><![CDATA[<p>Envoys met on Tuesday.</p><!-- <script> -->
    <p>They agreed to meet again.</p><!-- ad: buy now > click -->]]></description>
    </item></channel></rss>"""
    [entry] = parse_feed(rss, url="https://x.test/f").entries
    assert entry.summary == "Envoys met on Tuesday.\n\nThey agreed to meet again."


_words = st.text(st.sampled_from("abcxyz "), min_size=1, max_size=30).filter(str.strip)
_comment = st.text(st.sampled_from("abc <>/=\"'!script"), max_size=40).filter(
    lambda body: "--" not in body and not body.startswith((">", "->"))
)


@settings(max_examples=200, deadline=None)
@given(_words, _comment, _words)
def test_property_nothing_inside_a_comment_is_text(before: str, body: str, after: str) -> None:
    text = html_to_text(f"<p>{before}</p><!--{body}--><p>{after}</p>")
    assert text == "\n\n".join((" ".join(before.split()), " ".join(after.split())))

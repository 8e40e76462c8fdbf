"""User-facing strings, in one place (chat replies and CLI lines).

Domain errors carry their own sentence (bot.errors); this module holds the rest: generic
failure lines, help text, empty-state notes.  Keep them short, friendly and free of internals.
"""

from __future__ import annotations

GENERIC_FAILURE = "Sorry, something went wrong on our side. It has been logged; please try again."
NOTHING_ON_TOPIC = "No recent pieces on {topic} yet."
NOTHING_NEW_SINCE = "Nothing new on {topic} since {since}."

# --- Discord adapter (adapters/discord) ---------------------------------------------------------
DISCORD_BRIEF_HEADER = "**{title}** (`{slug}`) · {pieces} · generated {when}"
DISCORD_BRIEF_CONTINUED = "**{title}**, continued (part {part} of {parts})"
DISCORD_PIECES = "{count} stor{s}"  # s: "y" or "ies"
DISCORD_CONTINUED_TITLE = "{title} (continued)"
DISCORD_UNTITLED = "(untitled)"
DISCORD_UNDATED = " · undated"
DISCORD_UNKNOWN_OUTLET = "unknown outlet"
DISCORD_ALSO_IN = " · also in {outlets}"
DISCORD_ALSO_IN_MORE = " +{count} more"
DISCORD_NO_BULLETS = "No summary for this piece; follow the link to read it."
DISCORD_NEED_MANAGE_CHANNELS = (
    "Only members who can Manage Channels can change this channel's scheduled briefings."
)
DISCORD_GUILD_ONLY = "Scheduled briefings belong to server channels; run this in a server."
DISCORD_SUBSCRIBED = "Scheduled **{slug}** for this channel: {schedule} (subscription {id})."
DISCORD_UNSUBSCRIBED = "Removed subscription {id} (**{slug}**, {schedule})."
DISCORD_NO_SUBSCRIPTIONS = (
    "This channel has no scheduled briefings; add one with `/briefing subscribe`."
)
DISCORD_SUB_LIST_HEADER = "Scheduled briefings for this channel ({count}):"
DISCORD_SUB_LINE = "`{id}` **{slug}** · {schedule}{quiet} · {status}"
DISCORD_SUB_QUIET = " · quiet"
DISCORD_SUB_ACTIVE = "active"
DISCORD_SUB_PAUSED = "paused: {reason}"
DISCORD_SUB_NO_REASON = "no reason recorded"
DISCORD_SUB_NEXT = " · next <t:{unix}:f>"
DISCORD_SUB_NO_NEXT = " · no next run"
DISCORD_SUB_RESUME_HINT = " · `/briefing resume id:{id}` resumes it"
DISCORD_RESUMED = "Resumed subscription {id} (**{slug}**, {schedule}){next}."
DISCORD_SUBSCRIBE_RESUMED = (
    "This channel already had that briefing, paused: resumed subscription {id} "
    "(**{slug}**, {schedule}){next}."
)
DISCORD_NOT_PAUSED = "Subscription {id} is not paused; it posts as scheduled{next}."
DISCORD_NO_TOKEN = "DISCORD_TOKEN is not set; the Discord adapter needs the bot's token."
DISCORD_BAD_TOKEN = "Discord refused DISCORD_TOKEN (401); check the bot token in the settings."
DISCORD_UNREACHABLE = (
    "Could not reach Discord at {url}; check DISCORD_API_BASE_URL and the network."
)
DISCORD_GATEWAY_FAILED = "The Discord gateway connection failed; see the log for the reason."
DISCORD_NOT_READY = "The Discord gateway was not ready within {seconds:g} seconds."
DISCORD_NOT_STARTED = "The Discord adapter is not connected."
DISCORD_CHANNEL_UNAVAILABLE = (
    "Discord channel {channel} is unavailable to the bot ({status}): it was deleted, or the bot "
    "lost permission to post there."
)
DISCORD_DELIVERY_FAILED = "Discord did not accept a briefing for channel {channel} ({status})."
DISCORD_BAD_OPTION = (
    "That command did not come through as expected ({reason}); check its options and try again."
)
DISCORD_OPTION_TEXT = "`{name}` takes {low} to {high} characters of text"
DISCORD_OPTION_NUMBER = "`{name}` takes a whole number from {low} to {high}"
DISCORD_OPTION_UNKNOWN = "`{name}` is not an option of this command"
DISCORD_OPTION_MISSING = "`{name}` is missing"
DISCORD_OPTION_WRONG_TYPE = "`{name}` has the wrong type"
DISCORD_OPTION_NO_SUGGESTIONS = "`{name}` offers no suggestions"
DISCORD_OPTION_UNREADABLE = "its options could not be read"
DISCORD_STALE_COMMAND = (
    "This command has changed since your Discord app loaded it; try again in a minute."
)
DISCORD_SOURCES_NEED_MANAGE_CHANNELS = (
    "Only members who can Manage Channels can change the feeds this server adds to briefings."
)
DISCORD_SOURCES_GUILD_ONLY = "Sources belong to a server; run this in one of its channels."
DISCORD_SOURCES_DISABLED = (
    "Adding sources from Discord is not enabled on this briefbot; ask its operator to add the feed."
)
DISCORD_SOURCE_ADDED = (
    "Added **{name}** as source `{id}` for this server ({url}); its articles join briefings "
    "once it has been polled."
)
DISCORD_SOURCE_REMOVED = (
    "Removed source `{id}` (**{name}**, {url}); articles already collected stay."
)
DISCORD_NO_SOURCES = (
    "This server has added no sources; add one with "
    "`/briefing source add url:https://example.com/rss.xml`."
)
DISCORD_SOURCE_LIST_HEADER = "Sources this server added ({count} of at most {limit}):"
DISCORD_SOURCE_LINE = "`{id}` **{name}** · {url} · {status}"
DISCORD_SOURCE_OK = "ok, {articles} article{s}"
DISCORD_SOURCE_NEW = "not polled yet"
DISCORD_SOURCE_FAILING = "failing ({failures} in a row): {error}"
DISCORD_SOURCE_DISABLED = "disabled: {reason}"

# --- Slack adapter (adapters/slack) -------------------------------------------------------------
SLACK_HELP = (
    "*briefbot* turns foreign-affairs editorials and news into a few honest bullets.\n"
    "• `/brief <topic> [count]` the latest pieces on a topic (count 1-5, default 3), "
    "e.g. `/brief korea-japan`\n"
    "• `/brief topics` the curated topics; any country or pair works too "
    "(`/brief us-china`, `/brief north-korea`)\n"
    "• `/brief subscribe <topic> <HH:MM> [zone] [days]` a scheduled briefing in this channel, "
    "e.g. `/brief subscribe korea-japan 08:00 Asia/Seoul weekdays`\n"
    "• `/brief list` this channel's scheduled briefings\n"
    "• `/brief unsubscribe <id>` stop one, `/brief resume <id>` resume a paused one, "
    "`/brief preview <id>` see what its next run would post (the ids come from `/brief list`)\n"
    "• `/brief source add <feed URL>` add an RSS or Atom feed to this workspace's briefings; "
    "`/brief source list`, `/brief source remove <id>`"
)
SLACK_USAGE_COUNT = "The count must be a whole number from 1 to 5, e.g. `/brief korea-japan 3`."
SLACK_USAGE_SUBSCRIBE = (
    "Usage: `/brief subscribe <topic> <HH:MM> [zone] [days]`, "
    "e.g. `/brief subscribe korea-japan 08:00 Asia/Seoul weekdays`."
)
SLACK_USAGE_UNSUBSCRIBE = "Usage: `/brief unsubscribe <id>`; `/brief list` shows the ids."
SLACK_USAGE_RESUME = "Usage: `/brief resume <id>`; `/brief list` shows the ids."
SLACK_NOT_ALLOWED = (
    "Only workspace admins and owners (or the people this bot's operator allowed) can change "
    "this channel's scheduled briefings."
)
SLACK_BRIEF_HEADER = "Briefing: {title}"
SLACK_BRIEF_FALLBACK = "{header} ({pieces}): {titles}"
SLACK_BRIEF_CONTINUED = "{header} (continued, part {part} of {parts})"
SLACK_PIECES = "{count} stor{s}"  # s: "y" or "ies"
SLACK_GENERATED = "Generated {when} · `{slug}`"
SLACK_CONTINUED_CONTEXT = "Continued, part {part} of {parts} · `{slug}`"
SLACK_UNTITLED = "(untitled)"
SLACK_UNDATED = "undated"
SLACK_ALSO_IN = "also in {outlets}"
SLACK_ALSO_IN_MORE = "{outlets} and {count} more"
SLACK_NO_BULLETS = "No summary for this piece; follow the link to read it."
SLACK_TOPICS_HEADER = "*Curated topics*"
SLACK_TOPICS_FOOTER = (
    "Any country or pair of countries works too, by name or ISO code: "
    "`/brief us-china`, `/brief north-korea`, `/brief india-pakistan`."
)
SLACK_SUBSCRIBED = "Scheduled *{slug}* for this channel: {schedule} (subscription `{id}`)."
SLACK_UNSUBSCRIBED = "Removed subscription `{id}` (*{slug}*, {schedule})."
SLACK_NO_SUBSCRIPTIONS = (
    "This channel has no scheduled briefings; add one with "
    "`/brief subscribe korea-japan 08:00 Asia/Seoul weekdays`."
)
SLACK_SUB_LIST_HEADER = "*Scheduled briefings for this channel* ({count})"
SLACK_SUB_LINE = "• `{id}` *{slug}* · {schedule}{quiet} · {status}"
SLACK_SUB_QUIET = " · quiet"
SLACK_SUB_ACTIVE = "active"
SLACK_SUB_PAUSED = "paused: {reason}"
SLACK_SUB_NO_REASON = "no reason recorded"
SLACK_SUB_NEXT = " · next {when}"  # when: a Slack date token
SLACK_SUB_NO_NEXT = " · no next run"
SLACK_SUB_RESUME_HINT = " · `/brief resume {id}` resumes it"
SLACK_RESUMED = "Resumed subscription `{id}` (*{slug}*, {schedule}){next}."
SLACK_SUBSCRIBE_RESUMED = (
    "This channel already had that briefing, paused: resumed subscription `{id}` "
    "(*{slug}*, {schedule}){next}."
)
SLACK_NOT_PAUSED = "Subscription `{id}` is not paused; it posts as scheduled{next}."
SLACK_CANNOT_POST = (
    "I could not post the briefing in this channel; invite me with `/invite @briefbot` "
    "and try again."
)
SLACK_NO_TOPIC_MATCH = "No topic matches '{query}'; `/brief topics` lists the curated ones."
SLACK_CHANNEL_UNAVAILABLE = (
    "Slack channel {channel} cannot take briefings ({error}); invite the bot there or remove "
    "the subscription."
)
SLACK_DELIVERY_FAILED = "Slack refused the briefing for channel {channel} ({error})."
SLACK_UNREACHABLE = "Slack could not be reached to post in channel {channel}; will retry."
SLACK_NOT_CONFIGURED = (
    "Slack needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN "
    "(Socket Mode)."
)
SLACK_SOCKET_TIMEOUT = (
    "Slack Socket Mode did not connect within {seconds:g} s; check SLACK_APP_TOKEN and "
    "SLACK_API_BASE_URL."
)
SLACK_WRONG_PLATFORM = "Channel {channel} is a {platform} channel, not a Slack one."
SLACK_BAD_TOKEN = "Slack rejected SLACK_BOT_TOKEN ({error}); check the token and its scopes."
SLACK_USAGE_SOURCE = (
    "Usage: `/brief source add <feed URL>`, `/brief source list` or "
    "`/brief source remove <id or URL>`."
)
SLACK_SOURCES_DISABLED = (
    "Adding sources from Slack is not enabled on this briefbot; ask its operator to add the feed."
)
SLACK_SOURCES_NOT_ALLOWED = (
    "Only workspace admins and owners (or the people this bot's operator allowed) can change "
    "this workspace's sources."
)
SLACK_NO_WORKSPACE = "Sources belong to a Slack workspace, and this command came without one."
SLACK_SOURCE_ADDED = (
    "Added *{name}* as source `{id}` for this workspace ({url}); its articles join briefings "
    "once it has been polled."
)
SLACK_SOURCE_REMOVED = "Removed source `{id}` (*{name}*, {url}); articles already collected stay."
SLACK_NO_SOURCES = (
    "This workspace has added no sources; add one with "
    "`/brief source add https://example.com/rss.xml`."
)
SLACK_SOURCE_LIST_HEADER = "*Sources this workspace added* ({count} of at most {limit})"
SLACK_SOURCE_LINE = "• `{id}` *{name}* · {url} · {status}"
SLACK_SOURCE_OK = "ok, {articles} article{s}"
SLACK_SOURCE_NEW = "not polled yet"
SLACK_SOURCE_FAILING = "failing ({failures} in a row): {error}"
SLACK_SOURCE_DISABLED = "disabled: {reason}"

# --- Topics, briefings and subscriptions (bot/topics, bot/briefing, bot/subscriptions) ----------
NO_TOPIC_GIVEN = "Name a topic, e.g. korea-japan; `briefbot topics` lists the curated ones."
TOPIC_TOO_LONG = "A topic is a slug or one or two country names, e.g. korea-japan."
TOPICS_ANY_COUNTRY = (
    "Any country or pair of countries works too, by name, ISO code or demonym, in either "
    "order: korea, north-korea, japan-china, 'South Korea and Japan', KR-JP."
)
BAD_COUNT = "The count must be a whole number from 1 to {max}."
BAD_DURATION = (
    "Cannot read '{text}' as a duration; use a number and a unit: 90m, 36h, 7d, 2w or 1y "
    "(at most 10 years)."
)
EMPTY_DURATION = "A window of '{text}' holds nothing; use more than zero, e.g. 36h or 7d."
LONG_DURATION = "'{text}' is more than the 10 years a window can hold; use at most 10y."
NOTHING_WITHIN = "Nothing on {topic} in the last {window}."
EARLIER_TODAY = "earlier today"
BAD_TIME = (
    "Cannot read the time '{text}'; use 24-hour HH:MM, e.g. 08:00 or 17:30 (8am and 5:30pm "
    "work too)."
)
BAD_TIME_GUESS = "Cannot read the time '{text}'; use 24-hour HH:MM: did you mean {guess}?"
TIME_OR_EVENING = "{morning} (or {evening} in the evening)"
BAD_TIME_24 = (
    "Cannot read the time '{text}': the day ends at 23:59 and midnight is 00:00; use 24-hour "
    "HH:MM from 00:00 to 23:59."
)
BAD_TIME_RANGE = (
    "Cannot read the time '{text}': hours go from 00 to 23 and minutes from 00 to 59; use "
    "24-hour HH:MM, e.g. 08:00 or 17:30."
)
BAD_TIME_MERIDIEM = (
    "Cannot read the time '{text}': with am or pm the hour is 1 to 12; write e.g. 1pm, or "
    "use 24-hour HH:MM such as 13:00."
)
BAD_DAYS = (
    "Cannot read the days '{text}'; use daily, weekdays, weekends or a list such as "
    "mon,wed,fri{hint}."
)
BAD_ZONE = "Unknown time zone '{zone}'; use an IANA zone such as Asia/Seoul{hint}."
DID_YOU_MEAN = " (did you mean {suggestion}?)"
ZONE_ALIAS = "Use an IANA time zone name instead of '{zone}' (did you mean {suggestion}?)."
ZONE_AMBIGUOUS = "'{zone}' names more than one time zone; use the IANA name of yours: {choices}."
ZONE_CHOICE = "{zone} ({place})"
ZONE_OR = " or "
SCHEDULE_TOO_OFTEN = (
    "Cron expression '{cron}' would post {often}; a channel gets a briefing at most once an "
    "hour, so give the minute one value, e.g. '0 * * * *' (hourly) or '0 8 * * 1-5'."
)
EVERY_MINUTE = "every minute"
TIMES_AN_HOUR = "{count} times an hour"
SCHEDULE_BOTH = "Give either a time (with days) or a cron expression, not both."
SCHEDULE_CRON_DAYS = "Days go with a time; in a cron expression, put them in its last field."
SCHEDULE_MISSING = (
    "Say when: a time as HH:MM (e.g. 08:00, with optional days and zone) or a cron "
    "expression such as '0 8 * * 1-5'."
)
BAD_PLATFORM = "Unknown platform '{platform}'; use discord or slack."
BAD_DISCORD_CHANNEL = (
    "'{value}' is not a Discord channel id: that is a number of 17 to 20 digits (in Discord, "
    "turn on Developer Mode in Settings > Advanced, then right-click the channel > Copy "
    "Channel ID)."
)
BAD_DISCORD_SERVER = (
    "'{value}' is not a Discord server id: that is a number of 17 to 20 digits (with "
    "Developer Mode on, right-click the server's icon > Copy Server ID)."
)
BAD_SLACK_CHANNEL = (
    "'{value}' is not a Slack channel id: that looks like C0123ABCDE, a C, G or D then capital "
    "letters and digits (in Slack, click the channel's name: the id is at the bottom of About)."
)
BAD_SLACK_WORKSPACE = (
    "'{value}' is not a Slack workspace id: that looks like T0123ABCDE, a T or E then capital "
    "letters and digits (it is in the workspace's web address, app.slack.com/client/T0123ABCDE)."
)
SUB_DUPLICATE = "This channel already has that scheduled briefing: subscription {id}, {schedule}."
SUB_NOT_FOUND = "There is no subscription {id} here; list the subscriptions to see their ids."
SUB_CREATED = "Subscribed {platform} channel {channel} to {slug}: {schedule} (subscription {id})."
SUB_REMOVED = "Removed subscription {id} ({slug}, {schedule})."
SUB_RESUMED = "Resumed subscription {id} ({slug}, {schedule}); next run {next}."
SUB_RESUMED_BY_SUBSCRIBE = (
    "The same subscription existed, paused: resumed subscription {id} ({slug}, {schedule}); "
    "next run {next}."
)
SUB_NOT_PAUSED = "Subscription {id} is not paused; next run {next}."
SUB_NO_NEXT_RUN = "none (the schedule does not fire again)"
SUB_NONE = (
    "No subscriptions yet; add one with `briefbot subscribe --platform slack --channel C0123 "
    "--topic korea-japan --at 08:00 --tz Asia/Seoul`."
)
# --- previews of a subscription's next slot (PREVIEW: brief --subscription, chat) ---------------
BRIEF_NO_TOPIC = "Give a TOPIC (e.g. korea-japan), or --subscription ID to preview a scheduled one."
PREVIEW_NOT_WITH = (
    "--subscription previews the slot as the scheduler makes it; leave out {options}."
)
PREVIEW_NOT_FOUND = "There is no subscription {id}; `briefbot subscriptions` lists them with ids."
PREVIEW_HEADER = (
    "Preview of subscription {id}'s next run at {when} ({slug}, {schedule}); "
    "nothing is posted or recorded."
)
PREVIEW_PAUSED_HEADER = (
    "Preview of subscription {id} ({slug}, {schedule}), paused: resumed, its next run at "
    "{when} would post this; nothing is posted or recorded."
)
PREVIEW_NO_NEXT_HEADER = (
    "Preview of subscription {id} ({slug}, {schedule}): its schedule does not fire again; "
    "run now, it would post this."
)
PREVIEW_QUIET = " quiet"
PREVIEW_NOTHING = "It would post nothing: nothing new on {slug} for its channel, and it is quiet."
DISCORD_PREVIEW_HEADER = (
    "Preview of subscription {id}'s next run (**{slug}**, {schedule}){next}; only you see it, "
    "and nothing is recorded."
)
DISCORD_PREVIEW_PAUSED = (
    "Preview of subscription {id} (**{slug}**, {schedule}), paused: this is what it would post "
    "once resumed (`/briefing resume id:{id}`); only you see it."
)
DISCORD_PREVIEW_NOTHING = (
    "It would post nothing: nothing new on **{slug}** for its channel, and it is quiet."
)
DISCORD_SUB_LAST = " · last delivered <t:{unix}:f>"  # PREVIEW block: the lists' last delivery
DISCORD_SUB_NEVER = " · no delivery yet"
SLACK_USAGE_PREVIEW = "Usage: `/brief preview <id>`; `/brief list` shows the ids."
SLACK_PREVIEW_NOT_ALLOWED = (
    "Only workspace admins and owners (or the people this bot's operator allowed) can preview "
    "scheduled briefings."
)
SLACK_PREVIEW_HEADER = (
    "Preview of subscription `{id}`'s next run (*{slug}*, {schedule}){next}; only you see it, "
    "and nothing is recorded."
)
SLACK_PREVIEW_PAUSED = (
    "Preview of subscription `{id}` (*{slug}*, {schedule}), paused: this is what it would post "
    "once resumed (`/brief resume {id}`); only you see it."
)
SLACK_PREVIEW_NOTHING = (
    "It would post nothing: nothing new on *{slug}* for its channel, and it is quiet."
)
SLACK_SUB_LAST = " · last delivered {when}"  # when: a Slack date token
SLACK_SUB_NEVER = " · no delivery yet"
TOPICS_CURATED_HEADER = "Curated topics:"
RENDER_HEADER = "{title} ({slug}) · {pieces} · generated {when}"
RENDER_MD_SUBTITLE = "{pieces} on {slug}, generated {when}"
RENDER_PIECES = "{count} stor{s}"  # s: "y" or "ies"
RENDER_UNDATED = "undated"
RENDER_UNTITLED = "(untitled)"
RENDER_UNKNOWN_OUTLET = "unknown outlet"
RENDER_ALSO_IN = "also in {outlets}"
OPINION_LABEL = "Opinion"  # an editorial, column or op-ed, in every renderer

# --- stories (bot/stories, every renderer) -----------------------------------------------
STORY_OUTLETS = "{count} outlet{s}"
STORY_BY_SIDE = "{sides} outlet{s}"  # "2 Korean, 1 Japanese outlets"
STORY_OTHER = "{count} other"
STORY_SIDE_OUTLETS = "{side} outlets"  # a perspective's label: "Korean outlets"
STORY_OPINION = "Opinion, {outlet}"  # an editorial's claim beside the facts
STORY_UPDATE = "Update"  # a story the channel has seen, with new articles
NO_STORIES = "No stories in that window yet."
RENDER_STORIES_HEADER = "{count} stor{s}{about} · generated {when}"
BAD_LIMIT = "--limit must be 0 (all) or more."
RENDER_NO_BULLETS = "No summary for this piece; follow the link to read it."
DEMO_EMPTY = "The bundled demo corpus could not be loaded: {reasons}"
STORE_EMPTY_HINT = (
    "The store has no articles yet: run `briefbot ingest` "
    "(or see a sample briefing: `briefbot brief {demo_topic} --demo`)."
)

# --- scheduled briefings (bot/scheduling) -------------------------------------------------------
SINCE_YESTERDAY = "yesterday"  # "Nothing new on korea-japan since yesterday."

# --- ingestion and feeds (bot/ingest.py, `briefbot ingest` / `briefbot feeds`) ------------------
INGEST_SUMMARY = "{added} added, {duplicate} duplicate, {syndicated} syndicated, {failed} failed."
INGEST_LEGEND = (
    "(duplicate: already stored, found by its address or its text; syndicated: the same text "
    "from another outlet, kept as another source of the stored article)"
)
INGEST_GIVEN_FAILED = (
    "nothing was ingested: {failed} failed, each with its reason above (is the URL a feed?)"
)
INGEST_ALL_FAILED = (
    "nothing was ingested: {failed} failed, each with its reason above; "
    "what failed is tried again on the next poll"
)
INGEST_LATER = (
    "{retrying} to retry later (their page failed in a way that may pass), "
    "{left} left for the next poll in all."
)
FEEDS_CHECKED = "{passed} source(s) pass, {failed} fail."
NO_FEEDS = "No feeds configured (BRIEFBOT_FEEDS_FILE names a list with no [[feeds]])."
FEED_NOT_IN_LIST = "no longer in the feed list"

# --- `briefbot summarize` (the library's own refusals are in summaries/errors.py) ---------------
NO_SUCH_FILE = "No such file: {path}."
SUMMARIZE_NOT_A_FILE = "{path} is not a file."
SUMMARIZE_UNREADABLE = "Cannot read {path}: {reason}."
SUMMARIZE_TOO_LARGE = (
    "{source} is larger than {limit} MB; that is not an article (the limits are {limit} MB "
    "for a web page and {chars} characters for its text)."
)
SUMMARIZE_BATCH_LINE = "line {line}: {error}"
SUMMARIZE_BATCH_BINARY = "{path} is binary, not JSON lines (one JSON object per line)."
SUMMARIZE_NOT_A_PAGE = "{url} is not a web page (it sent {content_type})."
SUMMARIZE_BATCH_AND_SOURCE = "Give either a SOURCE or --batch FILE, not both."
SUMMARIZE_BATCH_NOT_JSON = "not a JSON object ({reason})"
SUMMARIZE_BATCH_NO_TEXT = 'needs a "text" or "html" field with a string'
SUMMARIZE_BATCH_BAD_FIELD = 'the "{field}" field must be a string'
SUMMARIZE_READING_STDIN = "Reading the article from stdin; end it with Ctrl-D (Ctrl-Z on Windows)."

# --- user-added sources (bot/user_sources.py; /briefing source, /brief source) ------------------
SOURCE_USAGE = "Give the address of an RSS or Atom feed, e.g. `https://example.com/rss.xml`."
SOURCE_TOO_LONG = "That address is too long to be a feed URL."
SOURCE_REFUSED = "Cannot add that feed: {reason}."
SOURCE_UNREACHABLE = "Could not fetch that feed: {reason}."
SOURCE_NOT_A_FEED = "That address is not an RSS or Atom feed ({reason})."
SOURCE_NO_ENTRIES = "That feed has no entries yet; add it again once it lists some."
SOURCE_ALREADY_YOURS = "That feed is already one of this workspace's sources."
SOURCE_ALREADY_FOLLOWED = (
    "briefbot already follows that feed; its articles are in briefings already."
)
SOURCE_LIMIT = "This workspace has {limit} sources, the most it can have; remove one first."
SOURCE_NOT_FOUND = "No source `{which}` in this workspace; the list shows ids and addresses."

# --- story summaries (bot/stories/summary.py) ---------------------------------------------------
STORY_SIDES_LABEL = "Coverage"  # the label of the note below, beside the sides' lines
STORY_ONLY_COVERED_BY = "covered only by {label} so far"  # label: "Japanese outlets"

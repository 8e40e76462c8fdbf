"""Stories: one event, many outlets.  Articles are grouped as they are ingested
(``grouping``), each story summarized from all its articles, with each country's view
(``summary``), and briefings are made of stories (``bot.briefing``)."""

"""Where articles come from: our HTTP client, RSS/Atom feeds, pages, local files, the
curated feed list and the bundled demo corpus."""

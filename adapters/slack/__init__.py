"""The Slack adapter: ``/brief`` with slack-bolt (async), HTTP or Socket Mode, and ``publish``.

A thin translator (DESIGN): a slash command in, one core call, a pure Block Kit renderer out.
"""

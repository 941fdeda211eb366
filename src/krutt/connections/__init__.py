"""Calendars where they live: a safe HTTP layer and one fetcher per kind of connection.

No Django here. A fetcher takes its address, its cursor (what the last sync left), a clock
where it needs one and an HTTP client, and returns what it read plus the new cursor; the
shell (`krutt.web.connections`) stores both and writes through the calendar import.
"""

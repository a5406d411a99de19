"""Back office for attendees and badges: lists, CSV import, revoke + reissue, print runs,
erasure requests. One module per model (attendees, badges, privacy), with the list filters
and the actions they share; importing the package registers them all."""

from badges.admin import attendees, badges, privacy

__all__ = ["attendees", "badges", "privacy"]

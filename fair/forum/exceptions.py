"""What the forum services refuse, each with a message for people (``str(error)``)."""


class ForumError(ValueError):
    """A program edit or a vote that cannot be done; the message says why."""


class VotingClosed(ForumError):
    """The item is not open for votes (not opened yet, or closed)."""

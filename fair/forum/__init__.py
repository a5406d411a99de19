"""The forum of a fair: rooms, sessions (short talks on pilot projects) with their speakers,
and the items the audience votes on after each talk. Votes and visitors' agendas belong to
their badges and live in ``badges.forum``."""

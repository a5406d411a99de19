"""Writes of the badges app, one module per use case: ``issue`` (issue, revoke, reissue, mark
printed), ``visitor_registration`` (self-registration with double opt-in) and
``attendee_import`` (CSV imports from ticketing systems)."""

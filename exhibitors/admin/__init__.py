"""The organizers' back office for exhibitors, one module per concern.

Workflow changes (approve, waitlist, reject, withdraw, stand, quota, portal invitation) are
admin actions (``actions``): each is one small class with ``check()`` (would the service
refuse?) and ``execute()`` (call the service); the actions never write to the database
themselves. State, stand and staff quota are read-only in the change form for the same
reason. ``forms`` holds the actions' intermediate forms, ``filters`` the list filters;
``exhibitor``, ``staff`` and ``records`` register one model admin each (records: the audit log
and portal accounts, read-only).

Staff badges are the badges app's business (apps import only downwards): the staff admin
changes the staff list through the exhibitor services, and the badges app follows
(exhibitors/signals.py); the badges admin lists the badges per exhibitor.
"""

from exhibitors.admin import exhibitor, records, staff  # noqa: F401  (registers the admins)

"""What the exhibitor services announce to the apps above them.

Apps import only downwards (``fair`` ← ``exhibitors`` ← ``badges`` ← …): the exhibitor
services do not know that stand staff carry badges. They send these signals instead, inside
their own transaction and after their own checks, so that a receiver's write commits or rolls
back together with the change it follows. ``badges`` listens (``badges/services/staff.py``,
connected in ``badges/apps.py``): it issues, refreshes and revokes staff badges.

Every signal is sent with ``sender`` = the model class and the record as a keyword argument.
Receivers must not swallow errors: an error rolls the whole change back.
"""

from django.dispatch import Signal

# A staff member was added or changed (name, email, role): ``staff_member``.
staff_member_saved = Signal()
# A staff member is about to be deleted from the staff list: ``staff_member``.
staff_member_leaving = Signal()
# The company name of an exhibitor changed: ``exhibitor``.
exhibitor_renamed = Signal()
# An exhibitor was rejected or withdrawn, or is about to be deleted: its stand staff may no
# longer enter the fair. ``exhibitor``.
exhibitor_staff_closed = Signal()

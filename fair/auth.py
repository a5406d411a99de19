"""Logging in: exhibitors with their email address, organizers with a user name.

* ``EmailOrUsernameBackend``: the user name as Django checks it, else the email address in any
  case. A portal account's user name is the contact address, but a person who exhibits at two
  fairs has a second account named ``<id>.<address>``: the address then finds the one account
  whose password matches.
* ``login_key``: the key of the per-account limit on wrong passwords (fair/views.py,
  ``login_rate_limited``), normalized like Django's login form normalizes the user name
  (NFKC), and case-folded and stripped as well, so ``ｏrganizer``, ``Organizer`` and
  `` organizer `` share one budget.
"""

import unicodedata
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

BACKEND = "fair.auth.EmailOrUsernameBackend"


class EmailOrUsernameBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None or not username or not password or "@" not in username:
            return user
        matches = [
            candidate
            for candidate in get_user_model().objects.filter(email__iexact=username.strip())
            if candidate.check_password(password) and self.user_can_authenticate(candidate)
        ]
        return matches[0] if len(matches) == 1 else None


class LoginForm(AuthenticationForm):
    """Django's login form, asking for the email address (organizers may give a user name)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.label = _("Email")
        field.help_text = _("Organizers may use their user name.")
        field.widget.attrs.update(
            {"autocomplete": "username", "inputmode": "email", "autocapitalize": "none"}
        )


def login_key(username: str) -> str:
    """The account's rate-limit key: NFKC like the login form, case-folded, stripped."""
    return unicodedata.normalize("NFKC", username).strip().casefold()

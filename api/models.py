"""API tokens of the back-office API (``/api/v1/``): one per integration, hashed, revocable."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from exhibitors.models import Exhibitor


class ApiToken(models.Model):
    """A bearer token for ``/api/v1/`` that acts for an organizer user or for an exhibitor.

    Only the SHA-256 digest of the token is stored; the token itself is shown once when it is
    created. ``prefix`` (the first characters) lets people tell their tokens apart.
    """

    name = models.CharField(_("name"), max_length=80, help_text=_("e.g. “CRM sync”"))
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("token starts with"), max_length=16, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organizer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_tokens",
    )
    exhibitor = models.ForeignKey(
        Exhibitor,
        verbose_name=_("exhibitor"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_tokens",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A token acts either for an organizer user or for an exhibitor, never both.
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(exhibitor__isnull=True))
                | (Q(user__isnull=True) & Q(exhibitor__isnull=False)),
                name="apitoken_one_owner",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="apitoken_name_not_empty"),
            models.CheckConstraint(
                condition=Q(token_hash__regex=r"^[0-9a-f]{64}$"), name="apitoken_hash_format"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def owner_label(self) -> str:
        if self.exhibitor_id:
            return str(self.exhibitor)
        return str(self.user)

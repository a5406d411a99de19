from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken
from api.v1.services import ApiTokenError, api_token_create, api_token_revoke

if TYPE_CHECKING:
    _TokenAdmin = admin.ModelAdmin[ApiToken]
else:
    _TokenAdmin = admin.ModelAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(_TokenAdmin):
    """Create (the key is shown once, in a message) and revoke back-office API tokens."""

    list_display = ["name", "prefix", "owner", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username", "exhibitor__company_name"]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    autocomplete_fields = ["exhibitor"]
    actions = ["revoke"]

    def get_fields(  # type: ignore[override]  # a flat list is one of the allowed shapes
        self, request: HttpRequest, obj: ApiToken | None = None
    ) -> list[str]:
        if obj is None:
            return ["name", "user", "exhibitor"]
        return ["name", "user", "exhibitor", *self.readonly_fields]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> list[str]:
        if obj is None:
            return []
        return ["name", "user", "exhibitor", *self.readonly_fields]

    @admin.display(description=_("belongs to"))
    def owner(self, token: ApiToken) -> str:
        return token.owner_label

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            return
        try:
            token, key = api_token_create(
                name=obj.name,
                user=obj.user,
                exhibitor=obj.exhibitor,
                created_by=request.user if isinstance(request.user, User) else None,
            )
        except ApiTokenError as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        obj.pk = token.pk
        self.message_user(
            request,
            _("The new token is %(key)s — copy it now, it is not shown again.") % {"key": key},
            messages.WARNING,
        )

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            api_token_revoke(token=token)
        self.message_user(request, _("Tokens revoked."), messages.SUCCESS)

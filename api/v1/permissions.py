"""Who may call what on ``/api/v1/``: organizers everything, exhibitors their own data."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from api.v1.selectors import Caller, api_caller


def request_caller(request: Request) -> Caller | None:
    """The caller of this request (organizer or exhibitor), computed once per request."""
    if not hasattr(request, "_fairlead_caller"):
        request._fairlead_caller = api_caller(  # type: ignore[attr-defined]
            user=request.user, auth=request.auth
        )
    caller: Caller | None = request._fairlead_caller  # type: ignore[attr-defined]
    return caller


class IsApiCaller(BasePermission):
    """An organizer (staff) or an exhibitor, by API token or by session."""

    message = _("This account may not use the back-office API.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request_caller(request) is not None


class IsOrganizer(BasePermission):
    """Organizers only (staff users and organizer tokens); exhibitors get 403."""

    message = _("Only organizers may do this.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        caller = request_caller(request)
        return caller is not None and caller.is_organizer

"""The exhibitor's tokens for the back-office API, a page of the exhibitor portal
(/exhibitor/leads/api-tokens/): create a token (its key is shown once) and revoke one.

It lives in ``api`` because API tokens are the API's own records; ``fair/urls.py`` mounts it
in the ``leads`` namespace beside the lead pages, where the portal links it from.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from api.v1.selectors import api_tokens_for_exhibitor
from api.v1.services import ApiTokenError, api_token_create, api_token_revoke
from exhibitors.models import Exhibitor
from exhibitors.portal import PortalRequest, portal_context, portal_page


def _no_store(response: HttpResponse) -> HttpResponse:
    # A new token's key is on the page: never kept by a cache or the back/forward cache.
    response["Cache-Control"] = "no-store, private"
    return response


@require_http_methods(["GET", "POST"])
@portal_page
def api_tokens(request: PortalRequest, exhibitor: Exhibitor) -> HttpResponse:
    """The exhibitor's tokens for the back-office API: create (shown once) and revoke."""
    new_key = ""
    error = ""
    if request.method == "POST":
        if "revoke" in request.POST:
            token_id = request.POST["revoke"]
            # Only an id this exhibitor's list could hold; anything else is no such token.
            token = (
                api_tokens_for_exhibitor(exhibitor=exhibitor).filter(pk=int(token_id)).first()
                if token_id.isascii() and token_id.isdigit() and len(token_id) <= 18
                else None
            )
            if token is None:
                raise Http404("no such token")
            api_token_revoke(token=token)
            messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
            return redirect("leads:api_tokens")
        try:
            _token, new_key = api_token_create(
                name=request.POST.get("name", ""), exhibitor=exhibitor, created_by=request.user
            )
        except ApiTokenError as exc:
            error = str(exc)
    context = portal_context(
        exhibitor,
        "leads",
        tokens=list(api_tokens_for_exhibitor(exhibitor=exhibitor)),
        new_key=new_key,
        error=error,
        name=request.POST.get("name", "") if error else "",
    )
    status = 422 if error else 200
    return _no_store(render(request, "leads/api_tokens.html", context, status=status))

"""The portal's API-token page; ``fair/urls.py`` mounts it at /exhibitor/leads/ in the
``leads`` namespace (URL name ``leads:api_tokens``)."""

from django.urls import path

from api import portal_views

urlpatterns = [
    path("api-tokens/", portal_views.api_tokens, name="api_tokens"),
]

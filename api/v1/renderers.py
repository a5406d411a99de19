"""The browsable API's HTML under the site's Content-Security-Policy (fair/security.py)."""

from collections.abc import Mapping
from typing import Any

from rest_framework.renderers import BrowsableAPIRenderer

from fair.security import csp_header_name, csp_style_attribute_sources, csp_with

# The inline style attributes of DRF's rest_framework/base.html (the "Extra Actions" menu and
# the "Filters" button); allowed by their hashes, so no other inline style can run.
DRF_INLINE_STYLES = ("float: right; margin-right: 10px",)


class ApiBrowsableRenderer(BrowsableAPIRenderer):
    """DRF's browsable API without inline ``<style>`` and with exactly DRF's own inline style
    attributes allowed.

    The ``<style>`` DRF adds holds the Pygments colors for code blocks in Markdown view
    descriptions, which this API does not use, so it is left out.
    """

    def get_context(
        self, data: Any, accepted_media_type: str | None, renderer_context: Mapping[str, Any]
    ) -> dict[str, Any]:
        context = super().get_context(data, accepted_media_type, renderer_context)
        context["code_style"] = None
        return context

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> Any:
        response = (renderer_context or {}).get("response")
        if response is not None:
            sources = ["'self'", *csp_style_attribute_sources(*DRF_INLINE_STYLES)]
            response[csp_header_name()] = csp_with({"style-src": sources})
        return super().render(data, accepted_media_type, renderer_context)

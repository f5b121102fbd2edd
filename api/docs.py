"""The API's documentation page: Swagger UI from drf-spectacular-sidecar's vendored files.

The split view serves its start-up script as a file of its own (no inline script), so the page
carries a Content-Security-Policy that allows nothing but this site: no CDN could be used even by
mistake. Swagger UI sets style attributes, hence 'unsafe-inline' for styles only; its logo and
icons are data: URIs.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView

DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


class ApiDocsView(SpectacularSwaggerSplitView):
    title = "SMA API"

    @extend_schema(exclude=True)
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().get(request, *args, **kwargs)
        response["Content-Security-Policy"] = DOCS_CSP
        return response

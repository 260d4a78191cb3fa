from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from paperfeed.ops.health import check_health


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, report = check_health()
    return JsonResponse(report, status=200 if healthy else 503)

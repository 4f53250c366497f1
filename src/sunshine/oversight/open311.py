"""Open311 GeoReport v2 (JSON): services, requests (GET and POST) and one request's status.

Mapping (docs/oversight.md): ``service_code`` is the case category, ``jurisdiction_id`` the
county's 6-digit region code, ``service_request_id`` the case code, ``agency_responsible``
the handling unit, ``expected_datetime`` the deadline of the clock now running, and
``status`` is ``open`` or ``closed`` (declined counts as closed). Output is read through
:mod:`sunshine.oversight.public`: never the description, the reporter, the school or the
handler. Cases sent up because they concern a unit's head are not listed (only their own
code fetches them). A POST with a name, e-mail or phone is a named report; otherwise it is
anonymous. POSTs act as the endpoint itself ("open311"), never as a signed-in browser user,
so they need no CSRF token. POSTs are limited per client IP address
(``SUNSHINE_OPEN311_MAX_POSTS`` in ``SUNSHINE_OPEN311_WINDOW_MINUTES``): beyond it, a 429 in
the Open311 error format with a ``Retry-After`` header.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest, JsonResponse, QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from sunshine.accounts import ratelimit
from sunshine.errors import DomainError, RateLimited
from sunshine.oversight import services
from sunshine.oversight.models import Case, Category
from sunshine.oversight.public import PublicCase, public_view

ACTOR = "open311"
MAX_RESULTS = 1000
DEFAULT_WINDOW = dt.timedelta(days=90)
PUBLIC_KINDS = (Case.Kind.COMPLAINT, Case.Kind.TIP_OFF, Case.Kind.PETITION)
SERVICE_CODES = [c for c in Category.values if c != Category.ADMISSION_RESULT]
RATE_SCOPE = "open311"


def _json(body: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(body, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _error(status: int, description: str) -> JsonResponse:
    return _json([{"code": status, "description": description}], status=status)


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _request_json(case: PublicCase) -> dict[str, Any]:
    return {
        "service_request_id": case.code,
        "status": "open" if case.is_open else "closed",
        "status_notes": case.status_label,
        "service_name": case.category_label,
        "service_code": case.category,
        "description": None,  # reporters' text may name people: never published
        "agency_responsible": case.agency,
        "service_notice": "",
        "requested_datetime": _iso(case.received_at),
        "updated_datetime": _iso(case.updated_at),
        "expected_datetime": _iso(case.expected_at),
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": case.lat,
        "long": case.long,
        "media_url": None,
    }


@require_safe
def services_list(request: HttpRequest) -> JsonResponse:
    return _json(
        [
            {
                "service_code": code,
                "service_name": str(Category(code).label),
                "description": str(Category(code).label),
                "metadata": False,
                "type": "realtime",
                "keywords": "",
                "group": "admissions",
            }
            for code in SERVICE_CODES
        ]
    )


@require_safe
def service_definition(request: HttpRequest, code: str) -> JsonResponse:
    if code not in SERVICE_CODES:
        return _error(404, f"unknown service_code {code}")
    return _json({"service_code": code, "attributes": []})


def _params(request: HttpRequest) -> QueryDict | dict[str, Any]:
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}
    return request.POST


def _float(value: Any, name: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number") from None


def post_limit() -> ratelimit.Limit:
    return ratelimit.Limit.from_settings(
        "SUNSHINE_OPEN311_MAX_POSTS", "SUNSHINE_OPEN311_WINDOW_MINUTES"
    )


def _admit(request: HttpRequest) -> JsonResponse | None:
    """Count this POST against its client's limit; a 429 when the client has used it up.
    Every POST counts, a refused one does not; the one that uses the limit up is audited
    (``open311.locked``)."""
    client = ratelimit.client_address(request)
    if not client:  # as the SMS limits: no address, nothing to count it against
        return None
    try:
        ratelimit.take(RATE_SCOPE, client, post_limit(), actor=ACTOR, action="open311.locked")
    except RateLimited as e:
        wait = e.retry_after or 1
        minutes = -(-wait // 60)
        response = _error(429, f"too many requests from this address; try again in {minutes} min")
        response["Retry-After"] = str(wait)
        return response
    return None


def _create(request: HttpRequest) -> JsonResponse:
    refused = _admit(request)
    if refused is not None:
        return refused
    p = _params(request)
    name = " ".join(str(p.get(k, "")).strip() for k in ("first_name", "last_name")).strip()
    contact = str(p.get("phone") or p.get("email") or "").strip()
    try:
        lat, long = _float(p.get("lat"), "lat"), _float(p.get("long"), "long")
    except ValueError as e:
        return _error(400, str(e))
    kind = str(p.get("kind") or Case.Kind.COMPLAINT)
    if kind not in PUBLIC_KINDS:
        return _error(400, f"kind must be one of {', '.join(PUBLIC_KINDS)}")
    code = str(p.get("service_code") or "")
    if code not in SERVICE_CODES:
        return _error(400, f"unknown service_code {code!r}")
    try:
        case = services.receive_case(
            actor=ACTOR,
            kind=kind,
            category=code,
            summary=str(p.get("description") or ""),
            region_code=str(p.get("jurisdiction_id") or ""),
            channel="open311",
            anonymous=not (name or contact),
            reporter_name=name,
            reporter_contact=contact,
            lat=lat,
            long=long,
        )
    except DomainError as e:
        return _error(400 if e.http_status == 422 else e.http_status, str(e))
    notice = f"due {_iso(public_view(case).expected_at)}"
    return _json([{"service_request_id": case.code, "service_notice": notice, "account_id": None}])


def _list(request: HttpRequest) -> JsonResponse:
    q = request.GET
    cases = Case.objects.filter(kind__in=PUBLIC_KINDS, about_unit_head=False)
    ids = [i for i in q.get("service_request_id", "").split(",") if i]
    if ids:
        cases = Case.objects.filter(code__in=ids)  # asked by code: fetched like one request
    else:
        end = parse_datetime(q["end_date"]) if q.get("end_date") else timezone.now()
        start = parse_datetime(q["start_date"]) if q.get("start_date") else None
        if end is None or (q.get("start_date") and start is None):
            return _error(400, "start_date and end_date must be ISO 8601 date-times")
        cases = cases.filter(received_at__lte=end, received_at__gte=start or end - DEFAULT_WINDOW)
    if q.get("jurisdiction_id"):
        cases = cases.filter(region_code=q["jurisdiction_id"])
    if q.get("service_code"):
        cases = cases.filter(category__in=q["service_code"].split(","))
    status = q.get("status", "")
    if status == "open":
        cases = cases.exclude(status__in=(Case.Status.CLOSED, Case.Status.DECLINED))
    elif status == "closed":
        cases = cases.filter(status__in=(Case.Status.CLOSED, Case.Status.DECLINED))
    found = cases.prefetch_related("clocks").order_by("-received_at")[:MAX_RESULTS]
    return _json([_request_json(public_view(c)) for c in found])


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def requests_view(request: HttpRequest) -> JsonResponse:
    return _create(request) if request.method == "POST" else _list(request)


@require_safe
def request_detail(request: HttpRequest, code: str) -> JsonResponse:
    case = Case.objects.filter(code=code).first()
    if case is None:
        return _error(404, f"no service request {code}")
    return _json([_request_json(public_view(case))])

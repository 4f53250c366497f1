"""Public pages of the lottery: the ceremonies, one ceremony, and a family's own number."""

from __future__ import annotations

from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sunshine import verify_lottery
from sunshine.ceremony.forms import NumberForm
from sunshine.ceremony.lookup import derive_number, find_published
from sunshine.ceremony.models import Ceremony

DRAWN_STATES = (Ceremony.State.DRAWN, Ceremony.State.PUBLISHED)


@require_safe
def ceremony_list(request: HttpRequest) -> HttpResponse:
    ceremonies = Ceremony.objects.select_related("season").defer("pool_ids", "pool_groups")
    return render(request, "ceremony/list.html", {"ceremonies": ceremonies.defer("transcript")})


@require_safe
def ceremony_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ceremony = get_object_or_404(
        Ceremony.objects.select_related("season").defer("pool_ids", "pool_groups", "transcript"),
        pk=pk,
    )
    drawn = ceremony.state in DRAWN_STATES
    entries = {entry.role: entry for entry in ceremony.inputs.all()}
    context = {
        "ceremony": ceremony,
        "pool_size": len(Ceremony.objects.values_list("pool_ids", flat=True).get(pk=pk)),
        # Typed values stay hidden until the draw, so no one can choose theirs after seeing
        # the others'; the roles that have entered are shown as the ceremony proceeds.
        "witness_rows": [(role, entries.get(role)) for role in ceremony.witness_roles],
        "show_values": drawn,
        "published": ceremony.state == Ceremony.State.PUBLISHED,
        "redraws": list(ceremony.redraws.all()),
    }
    return render(request, "ceremony/detail.html", context)


@require_safe
def transcript(request: HttpRequest, pk: int) -> HttpResponse:
    ceremony = get_object_or_404(Ceremony, pk=pk, state=Ceremony.State.PUBLISHED)
    response = HttpResponse(ceremony.transcript.encode("utf-8"), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="lottery-{pk}.json"'
    return response


@require_safe
def verifier(request: HttpRequest) -> FileResponse:
    path = Path(verify_lottery.__file__)
    if not path.is_file():
        raise Http404("verifier not installed")
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename="verify_lottery.py",
        content_type="text/x-python",
    )


@require_safe
def number(request: HttpRequest) -> HttpResponse:
    form = NumberForm(request.GET if "public_id" in request.GET else None)
    context: dict[str, object] = {"form": form}
    status = 200
    if form.is_valid():
        public_id = form.cleaned_data["public_id"]
        ceremony = find_published(public_id)
        if ceremony is None:
            form.add_error(
                "public_id",
                _("没有找到报名编号 %(id)s：它不在任何已公布的摇号中。请核对编号。")
                % {"id": public_id},
            )
            status = 404
        else:
            context["result"] = derive_number(ceremony, public_id)
    return render(request, "ceremony/number.html", context, status=status)

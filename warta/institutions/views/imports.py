"""The coordinator's import: upload, see every row's fate, then confirm."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from warta.institutions.forms import ImportForm
from warta.institutions.imports import KINDS, Row, import_file, import_rows
from warta.institutions.views.agencies import _require_coordinator

_SESSION_KEY = "warta_import"


def import_upload(request: HttpRequest) -> HttpResponse:
    me = _require_coordinator(request)
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        initial={"kind": request.GET.get("kind", "agencies")},
    )
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.WARTA_MAX_IMPORT_BYTES:
            form.add_error(
                "file",
                _("Berkas terlalu besar (maks. %(mb)d MB).")
                % {"mb": settings.WARTA_MAX_IMPORT_BYTES // (1024 * 1024)},
            )
        else:
            kind = form.cleaned_data["kind"]
            result = import_file(
                kind=kind,
                region=me.region,
                actor=request.user,
                content=upload.read(),
                filename=upload.name,
                commit=False,
            )
            if result.ok:
                # The rows wait in the session until confirmed; they are validated again then.
                request.session[_SESSION_KEY] = {
                    "kind": kind,
                    "filename": upload.name,
                    "rows": [[r.line, r.values] for r in result.rows],
                }
            else:
                request.session.pop(_SESSION_KEY, None)
    return render(
        request,
        "institutions/import.html",
        {
            "form": form,
            "result": result,
            "kinds": KINDS,
            "max_mb": settings.WARTA_MAX_IMPORT_BYTES // (1024 * 1024),
        },
    )


@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    me = _require_coordinator(request)
    pending = request.session.pop(_SESSION_KEY, None)
    if not pending or pending.get("kind") not in KINDS:
        messages.error(request, _("Tidak ada impor yang menunggu; unggah berkasnya lagi."))
        return redirect("institutions:import")
    rows = [Row(line=line, values=values) for line, values in pending["rows"]]
    result = import_rows(
        kind=pending["kind"], region=me.region, actor=request.user, rows=rows, commit=True
    )
    if result.committed:
        messages.success(
            request,
            _("Impor selesai: %(c)d baru, %(u)d diperbarui, %(n)d tidak berubah.")
            % {
                "c": result.count("create"),
                "u": result.count("update"),
                "n": result.count("unchanged"),
            },
        )
        return redirect("institutions:import")
    messages.error(request, _("Data berubah sejak pratinjau; tidak ada yang diimpor."))
    return render(
        request,
        "institutions/import.html",
        {
            "form": ImportForm(initial={"kind": pending["kind"]}),
            "result": result,
            "kinds": KINDS,
            "max_mb": settings.WARTA_MAX_IMPORT_BYTES // (1024 * 1024),
        },
    )

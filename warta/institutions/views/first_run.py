"""First run (no region yet) and setting a password from a link."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from warta.core import throttle
from warta.core.forms import add_service_errors
from warta.core.services import audit_record
from warta.core.views import client_ip
from warta.institutions import services
from warta.institutions.forms import SetupForm
from warta.institutions.setup import setup_needed, setup_token_valid


@login_not_required
def first_run(request: HttpRequest) -> HttpResponse:
    if not setup_needed():
        raise Http404
    form = SetupForm(request.POST or None, initial={"timezone": "Asia/Jakarta"})
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        # The token is long, but a guesser still gets the login form's patience only, per
        # address: one guesser must not lock the page for the administrator setting it up.
        if not throttle.setup_try(ip_address=ip):
            form.add_error("token", _("Terlalu banyak percobaan. Coba lagi dalam 15 menit."))
        elif not setup_token_valid(form.cleaned_data["token"]):
            form.add_error("token", _("Token penyiapan salah. Jalankan `warta setup-token`."))
        else:
            throttle.setup_token_accepted(ip_address=ip)
            data = form.cleaned_data
            try:
                region, user = services.region_setup(
                    name=data["name"],
                    kind=data["kind"],
                    timezone=data["timezone"],
                    coordinator_username=data["coordinator_username"],
                    coordinator_email=data["coordinator_email"],
                    coordinator_password=data["coordinator_password"],
                    coordinator_name=data["coordinator_name"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    _(
                        "%(name)s siap. Tambahkan perangkat daerah, petugas "
                        "dan kanal, atau impor dari berkas."
                    )
                    % {"name": region.name},
                )
                return redirect("institutions:agency_list")
    return render(request, "institutions/first_run.html", {"form": form})


@method_decorator(login_not_required, name="dispatch")
class PasswordSetView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_set.html"
    success_url = reverse_lazy("login")
    post_reset_login = False

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        audit_record(
            actor=form.user,
            action="user.password_set_by_link",
            obj=form.user,
            region_id=getattr(getattr(form.user, "officer", None), "region_id", None),
        )
        messages.success(self.request, _("Kata sandi disimpan. Silakan masuk."))
        return response

"""Guardrails API: check a text before saving it (the same checks as on submit)."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from warta.core.api import IsOfficer
from warta.guardrails.registry import CheckSubject, run_checks
from warta.institutions.access import get_agency_for_user
from warta.lib.findings import worst
from warta.lib.platforms import Platform


class CheckRequest(serializers.Serializer):
    agency = serializers.IntegerField()
    platform = serializers.ChoiceField(choices=Platform.choices)
    caption = serializers.CharField(max_length=20000, allow_blank=True)
    title = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")
    first_comment = serializers.CharField(
        max_length=5000, allow_blank=True, required=False, default=""
    )


class CheckResponse(serializers.Serializer):
    worst = serializers.CharField(allow_null=True)
    findings = serializers.ListField(child=serializers.DictField())


class CheckView(APIView):
    """Run every pre-publish check on a text; nothing is stored."""

    permission_classes = [IsOfficer]

    @extend_schema(request=CheckRequest, responses=CheckResponse)
    def post(self, request: Request) -> Response:
        form = CheckRequest(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        agency = get_agency_for_user(request.user, data["agency"]).agency
        findings = run_checks(
            CheckSubject(
                platform=data["platform"],
                caption=data["caption"],
                title=data["title"],
                first_comment=data["first_comment"],
                region_id=agency.region_id,
                agency_id=agency.pk,
            )
        )
        return Response({"worst": worst(findings), "findings": [f.to_json() for f in findings]})


def register(router) -> None:  # type: ignore[no-untyped-def]
    pass


urlpatterns = [path("guardrails/check/", CheckView.as_view(), name="guardrails-check")]

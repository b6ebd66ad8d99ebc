"""REST API of analytics: indices per agency, and export-file imports with their progress."""

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from warta.analytics import selectors
from warta.analytics.imports.services import metric_import_create
from warta.analytics.models import MetricImport
from warta.analytics.tasks import process_metric_import
from warta.channels.models import Channel
from warta.core.api import IsOfficer
from warta.institutions.access import editable_agencies, require_officer, visible_agencies
from warta.lib.platforms import Platform


def _figures_json(f: selectors.AgencyFigures) -> dict[str, Any]:
    c, r = f.consistency, f.response
    return {
        "agency": {"id": f.agency.pk, "short_name": f.agency.short_name, "name": f.agency.name},
        "score": f.score,
        "consistency": None
        if c is None
        else {
            "score": c.score,
            "achieved_per_week": c.achieved_per_week,
            "target_per_week": c.target_per_week,
            "cadence": round(c.cadence, 3),
            "regularity": round(c.regularity, 3),
            "longest_gap_days": c.longest_gap_days,
            "advice": c.advice,
        },
        "content_mix": {
            "alignment": f.mix.alignment,
            "activity_share": round(f.mix.activity_share, 1),
            "activity_heavy": f.mix.activity_heavy,
            "target_is_default": f.mix.target_is_default,
            "rows": [
                {
                    "category": m.category,
                    "posts": m.posts,
                    "share": round(m.share, 1),
                    "target": round(m.target, 1),
                }
                for m in f.mix.rows
            ],
        },
        "response": {
            "engagement_rate": None if r.engagement_rate is None else round(r.engagement_rate, 3),
            "engagement_rate_basis": r.rate_basis,
            "positive": r.positive,
            "neutral": r.neutral,
            "negative": r.negative,
            "questions": r.questions,
            "answered": r.answered,
            "median_first_response_minutes": r.median_response_minutes,
            "mean_first_response_minutes": r.mean_response_minutes,
        },
        "apathy_warning": {
            "firing": f.apathy.firing,
            "drop_percent": f.apathy.drop_percent,
            "period_start": f.apathy.period_start,
            "period_end": f.apathy.period_end,
            "reason": f.apathy.reason,
        },
        "warnings": [w.text for w in f.warnings],
        "alerts": [
            {"severity": w.severity.name.lower(), "text": w.text, "action": w.action, "url": w.url}
            for w in f.warnings
        ],
        "weeks": [{"start": w, "posts": p, "engagement": e} for w, p, e in f.weeks],
    }


class IndicesView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        summary="Indices of every agency the caller may read",
        parameters=[
            OpenApiParameter("start", date),
            OpenApiParameter("end", date),
            OpenApiParameter("platform", str, enum=Platform.values),
        ],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        region = require_officer(request.user).region
        tz = ZoneInfo(region.timezone)
        default = selectors.default_filters(tz)
        try:
            start = date.fromisoformat(
                request.query_params.get("start") or default.start.isoformat()
            )
            end = date.fromisoformat(request.query_params.get("end") or default.end.isoformat())
        except ValueError:
            raise serializers.ValidationError({"start": "YYYY-MM-DD"}) from None
        if end < start or (end - start).days > 732:
            raise serializers.ValidationError({"end": "Rentang tanggal tidak valid."})
        platform = request.query_params.get("platform", "")
        if platform and platform not in Platform.values:
            raise serializers.ValidationError({"platform": "Platform tidak dikenal."})
        figures = selectors.agencies_figures(
            visible_agencies(request.user).filter(is_active=True),
            selectors.Filters(start, end, platform),
            tz,
        )
        return Response(
            {
                "start": start,
                "end": end,
                "platform": platform,
                "results": [_figures_json(f) for f in figures],
            }
        )


class ImportSerializer(serializers.ModelSerializer):
    class Meta:
        model = MetricImport
        fields = [
            "id",
            "channel",
            "original_name",
            "status",
            "detected_format",
            "rows_total",
            "rows_done",
            "created_count",
            "unchanged_count",
            "posts_created",
            "row_error_count",
            "row_errors",
            "error",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    channel = serializers.IntegerField()
    file = serializers.FileField()
    timezone = serializers.CharField(required=False, allow_blank=True)


class ImportCreateView(APIView):
    permission_classes = [IsOfficer]
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Upload a platform export file for a channel",
        request=ImportUploadSerializer,
        responses={202: ImportSerializer},
    )
    def post(self, request: Request) -> Response:
        try:
            channel_id = int(request.data.get("channel", ""))
        except (TypeError, ValueError):
            raise serializers.ValidationError({"channel": "Wajib diisi."}) from None
        channel = Channel.objects.filter(
            pk=channel_id, agency__in=visible_agencies(request.user)
        ).first()
        if channel is None:
            raise Http404
        if not editable_agencies(request.user).filter(pk=channel.agency_id).exists():
            raise PermissionDenied
        upload = request.FILES.get("file")
        if upload is None:
            raise serializers.ValidationError({"file": "Wajib diisi."})
        with transaction.atomic():
            job = metric_import_create(
                channel=channel,
                data=upload.read(),
                filename=upload.name or "export.csv",
                actor=request.user,
                source_timezone=request.data.get("timezone", ""),
            )
            transaction.on_commit(lambda: process_metric_import.enqueue(job.pk))
        return Response(ImportSerializer(job).data, status=202)


class ImportDetailView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(summary="An import's progress and report", responses={200: ImportSerializer})
    def get(self, request: Request, pk: int) -> Response:
        job = MetricImport.objects.filter(
            pk=pk, channel__agency__in=visible_agencies(request.user)
        ).first()
        if job is None:
            raise Http404
        return Response(ImportSerializer(job).data)


def register(router: Any) -> None:
    """Analytics has no model viewsets; its endpoints are the urlpatterns below."""


urlpatterns = [
    path("analytics/indices/", IndicesView.as_view(), name="analytics-indices"),
    path("analytics/imports/", ImportCreateView.as_view(), name="analytics-import-create"),
    path("analytics/imports/<int:pk>/", ImportDetailView.as_view(), name="analytics-import-detail"),
]

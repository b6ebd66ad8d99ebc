"""REST API v1: each app contributes a router module `<app>/api.py`."""

from rest_framework.routers import DefaultRouter

from warta.channels.api import ChannelViewSet
from warta.institutions.api import AgencyViewSet, OfficerViewSet

router = DefaultRouter()
router.register("agencies", AgencyViewSet, basename="agency")
router.register("officers", OfficerViewSet, basename="officer")
router.register("channels", ChannelViewSet, basename="channel")

urlpatterns = router.urls

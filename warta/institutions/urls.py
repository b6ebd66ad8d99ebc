from django.urls import path

from warta.institutions import views

app_name = "institutions"

urlpatterns = [
    path("opd/", views.agency_list, name="agency_list"),
    path("opd/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("petugas/", views.officer_list, name="officer_list"),
]

"""The statistics of granted support (DESIGN §7), mounted at /statistik/."""

from django.urls import path

from grants.views import statistics

app_name = "statistics"

urlpatterns = [
    path("", statistics.statistics_page, name="page"),
    path("<slug:table>.csv", statistics.statistics_csv, name="csv"),
]

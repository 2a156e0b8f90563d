from django.urls import path

from decisions.views import national_statistics

app_name = "national_statistics"

urlpatterns = [
    path("", national_statistics.page, name="page"),
    path("csv/", national_statistics.download, name="download"),
]

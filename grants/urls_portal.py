from django.urls import path

from decisions.views import report
from grants.views import portal

app_name = "portal"

urlpatterns = [
    path("", portal.dashboard, name="dashboard"),
    path("<int:pk>/", portal.application, name="application"),
    path("<int:pk>/komplettera/", portal.complete, name="complete"),
    path("<int:pk>/meddelanden/", portal.message, name="message"),
    path("<int:pk>/aterta/", portal.withdraw, name="withdraw"),
    path("<int:pk>/redovisning/", report.report, name="report"),
    path("<int:pk>/redovisning/spara/", report.report_autosave, name="report_autosave"),
    path("<int:pk>/redovisning/bilagor/", report.report_upload, name="report_upload"),
    path(
        "<int:pk>/redovisning/bilagor/<int:attachment_pk>/",
        report.report_attachment,
        name="report_attachment",
    ),
    path(
        "<int:pk>/redovisning/bilagor/<int:attachment_pk>/ta-bort/",
        report.report_attachment_remove,
        name="report_attachment_remove",
    ),
]

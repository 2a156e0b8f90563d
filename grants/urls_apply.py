from django.urls import path, register_converter

from grants import steps
from grants.views import apply, attachments, submit


class StepConverter:
    """Match only the form's steps, so other routes under an application are never taken."""

    regex = "|".join(steps.STEP_CODES)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(StepConverter, "application_step")

app_name = "apply"

urlpatterns = [
    path("ny/<int:call_pk>/", apply.start, name="start"),
    path("<int:pk>/<application_step:step>/", apply.step, name="step"),
    path("<int:pk>/<application_step:step>/spara/", apply.autosave, name="autosave"),
    path(
        "<int:pk>/bilagor/<int:attachment_pk>/",
        attachments.attachment_download,
        name="attachment",
    ),
    path(
        "<int:pk>/bilagor/<int:attachment_pk>/ta-bort/",
        attachments.attachment_remove,
        name="attachment_remove",
    ),
    path("<int:pk>/skicka-in/", submit.submit, name="submit"),
    path("<int:pk>/be-om-inskickning/", submit.request_submission, name="request_submission"),
    path("<int:pk>/kvitto/", submit.receipt, name="receipt"),
    path("<int:pk>/kopia.pdf", submit.submitted_copy, name="submitted_copy"),
]

from django.urls import path

from grants.views.casework import case, handling, letters, queue

app_name = "casework"

urlpatterns = [
    path("", queue.queue, name="queue"),
    path("<int:pk>/", case.case, name="case"),
    path("<int:pk>/bilagor/<int:attachment_pk>/", case.attachment, name="attachment"),
    path("<int:pk>/ansokan.pdf", case.submitted_copy, name="submitted_copy"),
    path("<int:pk>/anteckningar/", case.note, name="note"),
    path("<int:pk>/meddelanden/", case.message, name="message"),
    path("<int:pk>/ta/", handling.take, name="take"),
    path("<int:pk>/tilldela/", handling.assign, name="assign"),
    path("<int:pk>/komplettering/", handling.request_completion, name="request_completion"),
    path("<int:pk>/jav/", handling.declare_conflict, name="declare_conflict"),
    path("<int:pk>/bedomning/", handling.assess, name="assess"),
    path("<int:pk>/foresla/", handling.propose, name="propose"),
    path("<int:pk>/beslutsbrev.pdf", letters.decision_letter, name="decision_letter"),
    path(
        "<int:pk>/aterkrav/<int:claim_pk>/brev.pdf",
        letters.repayment_letter,
        name="repayment_letter",
    ),
]

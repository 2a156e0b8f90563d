from django.urls import path

from decisions.views import calls, committee, deciding, report

app_name = "deciding"

urlpatterns = [
    path("beslut/", deciding.proposals, name="proposals"),
    path("<int:pk>/besluta/", deciding.decide, name="decide"),
    path("<int:pk>/aterforvisa/", deciding.return_for_review, name="return"),
    path("<int:pk>/redovisning/", report.review, name="follow_up"),
    path(
        "<int:pk>/redovisning/bilagor/<int:attachment_pk>/",
        report.review_attachment,
        name="follow_up_attachment",
    ),
    path("<int:pk>/redovisning/godkann/", report.accept, name="accept_report"),
    path(
        "<int:pk>/redovisning/komplettering/", report.request_completion, name="report_completion"
    ),
    path("<int:pk>/aterkrav/", report.claim_repayment, name="claim_repayment"),
    path("namnd/", committee.committee, name="committee"),
    path("namnd/<int:pk>/", committee.committee_decision, name="committee_decision"),
    path("namnd/<int:pk>/beslutslista.pdf", committee.decision_list, name="decision_list"),
    path("namnd/<int:pk>/brev/", committee.committee_letters, name="committee_letters"),
    path("utlysningar/", calls.calls, name="calls"),
    path("utlysningar/<int:pk>/", calls.call, name="call"),
]

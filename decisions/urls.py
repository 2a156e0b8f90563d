from django.urls import path

from decisions.views import letters, requisition

app_name = "decisions"

urlpatterns = [
    path("<int:pk>/rekvisition/<int:payment_pk>/", requisition.requisition, name="requisition"),
    path("<int:pk>/beslutsbrev.pdf", letters.letter, name="letter"),
    path(
        "<int:pk>/aterkrav/<int:claim_pk>/brev.pdf",
        letters.repayment_letter,
        name="repayment_letter",
    ),
]

from django.urls import path

from decisions.views import letters

app_name = "decisions"

urlpatterns = [
    path("<int:pk>/beslutsbrev.pdf", letters.letter, name="letter"),
    path(
        "<int:pk>/aterkrav/<int:claim_pk>/brev.pdf",
        letters.repayment_letter,
        name="repayment_letter",
    ),
]

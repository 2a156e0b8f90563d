from django.urls import path

from decisions.views.finance import accounts, batches, overview, repayments

app_name = "finance"

urlpatterns = [
    path("", overview.overview, name="overview"),
    # Bank details (payout accounts): decisions/views/finance/accounts.py
    path("konton/", accounts.queue, name="accounts"),
    path("konton/<int:pk>/", accounts.account, name="account"),
    path("konton/<int:pk>/verifiera/", accounts.verify, name="verify_account"),
    path("konton/<int:pk>/avvisa/", accounts.reject, name="reject_account"),
    # Payable payments and payment batches: decisions/views/finance/batches.py
    path("utbetalningar/", batches.payable, name="payable"),
    path("utbetalningar/<int:pk>/misslyckad/", batches.payment_fail, name="payment_fail"),
    path("utbetalningsunderlag/", batches.batches, name="batches"),
    path("utbetalningsunderlag/<int:pk>/", batches.batch, name="batch"),
    path("utbetalningsunderlag/<int:pk>/attestera/", batches.attest, name="attest"),
    path("utbetalningsunderlag/<int:pk>/exportera/", batches.export, name="export"),
    path("utbetalningsunderlag/<int:pk>/bekrafta/", batches.confirm, name="confirm"),
    path("utbetalningsunderlag/<int:pk>/makulera/", batches.cancel, name="cancel"),
    path("utbetalningsunderlag/<int:pk>/filer/<str:format>/", batches.download, name="download"),
    # Repayment claims: decisions/views/finance/repayments.py
    path("aterkrav/", repayments.claims, name="repayments"),
    path("aterkrav/<int:pk>/", repayments.claim, name="repayment"),
    path("aterkrav/<int:pk>/brev.pdf", repayments.letter, name="repayment_letter"),
    path("aterkrav/<int:pk>/aterbetalt/", repayments.settle, name="settle_repayment"),
    path("aterkrav/<int:pk>/avskriv/", repayments.write_off, name="write_off_repayment"),
]

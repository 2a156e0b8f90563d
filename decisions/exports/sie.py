"""The ledger file of a payment batch: SIE 4I, the Swedish accounting import format (DESIGN §6).

``#FORMAT PC8`` means code page 437, as the SIE 4 specification requires; a character it lacks
is written as "?", and control characters are left out. The file declares the dimensions its rows use (1 cost centre, 6 project, and
20 for the programme's activity code, a free dimension number) and holds one voucher (``#VER``)
for the batch, dated its payment date: a debit row per payment on its programme's account and
dimensions, with the case number and payee as the row's text, and one credit row on the region's
bank account (``settings.REGION["ledger_bank_account"]``) for the whole batch, so the voucher's
rows sum to zero. Series and number are left empty: the ledger numbers the voucher it imports.
The accounts and objects are not declared (``#KONTO``, ``#OBJEKT``): the ledger has them, with
their names, and an import must not rename them.
"""

import re
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from decisions.exports.base import BatchExporter
from decisions.models import BatchExport

ENCODING = "cp437"
COST_CENTRE, PROJECT, ACTIVITY = 1, 6, 20
DIMENSIONS = {COST_CENTRE: "Kostnadsställe", PROJECT: "Projekt", ACTIVITY: "Verksamhet"}
_PROGRAMME = "decision__application__call__programme__"
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def quoted(text: str) -> str:
    """Return ``text`` as a SIE string: in quotes, with quotes and backslashes escaped, on one
    line, without control characters."""
    text = " ".join(_CONTROL.sub(" ", str(text)).split())
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def amount(value: Decimal) -> str:
    return f"{value:.2f}"


def objects(cost_centre: str, project: str, activity: str) -> str:
    """Return a row's object list: ``{1 "7210" 6 "P12"}`` with the dimensions it has."""
    parts = [
        f"{dimension} {quoted(code)}"
        for dimension, code in (
            (COST_CENTRE, cost_centre),
            (PROJECT, project),
            (ACTIVITY, activity),
        )
        if code
    ]
    return "{" + " ".join(parts) + "}"


class SieExporter(BatchExporter):
    identifier = BatchExport.Format.SIE
    name = _("Ledger file (SIE 4I)")
    extension = "si"
    content_type = "text/plain; charset=cp437"

    FIELDS = (
        f"{_PROGRAMME}account",
        f"{_PROGRAMME}cost_centre",
        f"{_PROGRAMME}project_code",
        f"{_PROGRAMME}activity_code",
        "amount",
        "decision__application__case_number",
        "instalment",
        "payee_name",
    )

    def write(self, stream) -> None:
        batch = self.batch
        region = settings.REGION
        payments = self.payments().select_related(None)
        total = payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        made = self.made_at()
        day = batch.payment_date.strftime("%Y%m%d")
        title = f"Utbetalningsunderlag {batch.pk}"

        def line(text: str) -> None:
            stream.write((text + "\r\n").encode(ENCODING, errors="replace"))

        line("#FLAGGA 0")
        line('#PROGRAM "Bidrag" "1.0"')
        line("#FORMAT PC8")
        line(f"#GEN {made:%Y%m%d}")
        line("#SIETYP 4")
        line(f"#ORGNR {region['org_number']}")
        line(f"#FNAMN {quoted(region['name'])}")
        for dimension, name in DIMENSIONS.items():
            line(f"#DIM {dimension} {quoted(name)}")
        line(f'#VER "" "" {day} {quoted(title)} {made:%Y%m%d}')
        line("{")
        rows = payments.values_list(*self.FIELDS).iterator(chunk_size=2000)
        for account, cost_centre, project, activity, value, case, instalment, payee in rows:
            text = quoted(f"{case}-{instalment} {payee}"[:200])
            line(
                f"#TRANS {account} {objects(cost_centre, project, activity)} {amount(value)} "
                f'"" {text}'
            )
        line(
            f'#TRANS {region["ledger_bank_account"]} {{}} {amount(Decimal(0) - total)} "" {quoted(title)}'
        )
        line("}")

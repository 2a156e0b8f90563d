"""The bank file of a payment batch: an ISO 20022 ``pain.001.001.03`` credit transfer (DESIGN §6).

Written as the Swedish banks read it (the Swedish Bankers' Association's "Swedish Common
Interpretation of ISO 20022 Payment Messages" and its appendix "Common Payment Types in Sweden"):

- one ``PmtInf`` for the batch, executed on its payment date (``ReqdExctnDt``), service level
  ``NURG`` (Bankgiro, Plusgiro and account payments are not urgent payments), debited to the
  region's account (``settings.REGION``): its IBAN when one is set, otherwise its Bankgiro
  number as ``Othr/Id`` with ``SchmeNm/Prtry`` ``BGNR`` (Nordea takes only IBAN or BBAN: set
  ``REGION_IBAN`` there), and its bank's BIC. The region is named by its org. no. in
  ``InitgPty`` and ``Dbtr`` (``OrgId/Othr``, scheme ``BANK``), or in ``InitgPty`` by the id
  its bank gave it (``REGION_BANK_INITIATOR_ID``), as Nordea requires;
- one ``CdtTrfTxInf`` per payment, from the payee copied onto the payment when it was batched
  (never the organisation's details as they are now):

  - a Bankgiro number: ``CdtrAcct/Id/Othr/Id`` (digits only) with ``SchmeNm/Prtry`` ``BGNR``,
    the agent Bankgirot (``ClrSysMmbId``, clearing system ``SESBA``, member ``9900``);
  - a Plusgiro number: the same with ``PGNR`` and the agent PlusGirot (``9960``);
  - a Swedish bank account: its BBAN, the four-digit clearing number and the account number
    (``SchmeNm/Cd`` ``BBAN``), with the clearing number as the agent's ``SESBA`` member id.
    Swedbank's five-digit clearing numbers (8xxx-x) are written with their first four digits,
    the fifth being a check digit payments leave out (Bankgirot, "Bankernas kontonummer");
  - an IBAN: ``CdtrAcct/Id/IBAN``, and the payee's BIC as ``CdtrAgt`` when known; without a BIC
    the agent is left out (it is optional, and the bank finds it from the IBAN);

- the payee's org. no. as ``Cdtr/Id/OrgId/Othr`` when it is a legal person's; a sole trader's
  personnummer is personal data the bank does not need;
- ``EndToEndId`` is the case number and the instalment ("KUL 2026/00012-1"), the remittance
  text (``RmtInf/Ustrd``) the payment's reference, so the grantee's statement names the case;
- ``NbOfTxs`` and ``CtrlSum`` are counted by the database before the transactions are written,
  and are the same at both levels: the file is written as it is read, never held in memory.

Texts are cut to the schema's lengths (names 70, ``EndToEndId`` 35, remittance 140) after
control characters, which XML cannot carry, are taken out. ``MsgId`` and ``CreDtTm`` come from
the batch (its export time), so the file is the same bytes each time it is written.
"""

import re
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _
from lxml import etree

from decisions.exports.base import BatchExporter
from decisions.models import BatchExport
from organisations.models import PayoutAccount

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
#: The Swedish clearing system, and the clearing numbers of Bankgirot and PlusGirot.
SWEDISH_CLEARING = "SESBA"
BANKGIRO_MEMBER = "9900"
PLUSGIRO_MEMBER = "9960"
CENT = Decimal("0.01")
#: Characters XML 1.0 cannot carry, and other control characters a bank would refuse.
_UNWRITABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _text(text: str, length: int) -> str:
    """Return ``text`` on one line, without control characters, cut to the schema's
    maximum ``length``."""
    return " ".join(_UNWRITABLE.sub(" ", text).split())[:length].rstrip()


def _amount(value: Decimal) -> str:
    return str(value.quantize(CENT))


def _sub(parent, tag: str, text: str | None = None, **attributes):
    element = etree.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def _clearing_agent(parent, member: str):
    agent = _sub(parent, "CdtrAgt")
    system = _sub(_sub(agent, "FinInstnId"), "ClrSysMmbId")
    _sub(_sub(system, "ClrSysId"), "Cd", SWEDISH_CLEARING)
    _sub(system, "MmbId", member)


def _account(tag: str, number: str, *, proprietary=None, code=None, iban=False):
    """Return a ``DbtrAcct`` or ``CdtrAcct``: an IBAN, or another number in a named scheme."""
    account = etree.Element(tag)
    if iban:
        _sub(_sub(account, "Id"), "IBAN", number)
        return account
    other = _sub(_sub(account, "Id"), "Othr")
    _sub(other, "Id", number)
    scheme = _sub(other, "SchmeNm")
    if proprietary:
        _sub(scheme, "Prtry", proprietary)
    else:
        _sub(scheme, "Cd", code)
    return account


def _organisation_id(parent, identifier: str):
    other = _sub(_sub(_sub(parent, "Id"), "OrgId"), "Othr")
    _sub(other, "Id", identifier)
    _sub(_sub(other, "SchmeNm"), "Cd", "BANK")


def bank_account_parts(number: str) -> tuple[str, str]:
    """Return the clearing number payments use (four digits) and the account number of a
    Swedish bank account stored as ``CCCC-AAAAAAA`` (``CCCCC-…`` for Swedbank's 8xxx-x)."""
    clearing, _, account = number.partition("-")
    return _digits(clearing)[:4], _digits(account)


class Pain001Exporter(BatchExporter):
    identifier = BatchExport.Format.PAIN001
    name = _("Bank file (ISO 20022 pain.001)")
    extension = "xml"
    content_type = "application/xml"

    FIELDS = (
        "decision__application__case_number",
        "instalment",
        "amount",
        "payee_name",
        "payee_org_number",
        "payee_account_kind",
        "payee_account_number",
        "payee_bic",
        "reference",
    )

    def write(self, stream) -> None:
        payments = self.payments().select_related(None)
        totals = payments.aggregate(count=Count("pk"), total=Sum("amount"))
        count, total = totals["count"], totals["total"] or Decimal(0)
        created = self.made_at()
        message_id = f"BIDRAG-{self.batch.pk}-{created:%Y%m%d%H%M%S}"
        with etree.xmlfile(stream, encoding="UTF-8") as xml:
            xml.write_declaration()
            # Elements without a namespace are written without a declaration of their own and
            # read as the document's default namespace.
            with (
                xml.element(f"{{{NAMESPACE}}}Document", nsmap={None: NAMESPACE}),
                xml.element("CstmrCdtTrfInitn"),
            ):
                xml.write(self._group_header(message_id, created, count, total))
                with xml.element("PmtInf"):
                    for element in self._payment_information(message_id, count, total):
                        xml.write(element)
                    rows = payments.values_list(*self.FIELDS).iterator(chunk_size=2000)
                    for row in rows:
                        xml.write(self._transaction(*row))

    def _group_header(self, message_id, created, count, total):
        region = settings.REGION
        header = etree.Element("GrpHdr")
        _sub(header, "MsgId", message_id)
        _sub(header, "CreDtTm", created.replace(tzinfo=None).isoformat())
        _sub(header, "NbOfTxs", str(count))
        _sub(header, "CtrlSum", _amount(total))
        party = _sub(header, "InitgPty")
        _sub(party, "Nm", _text(region["name"], 70))
        initiator = _text(region.get("initiator_id") or "", 35)
        _organisation_id(party, initiator or _digits(region["org_number"]))
        return header

    def _payment_information(self, message_id, count, total):
        region = settings.REGION
        elements = []
        for tag, text in (
            ("PmtInfId", f"{message_id}-1"),
            ("PmtMtd", "TRF"),
            ("NbOfTxs", str(count)),
            ("CtrlSum", _amount(total)),
        ):
            element = etree.Element(tag)
            element.text = text
            elements.append(element)
        kind = etree.Element("PmtTpInf")
        _sub(_sub(kind, "SvcLvl"), "Cd", "NURG")
        elements.append(kind)
        day = etree.Element("ReqdExctnDt")
        day.text = self.batch.payment_date.isoformat()
        elements.append(day)
        debtor = etree.Element("Dbtr")
        _sub(debtor, "Nm", _text(region["name"], 70))
        _sub(_sub(debtor, "PstlAdr"), "Ctry", "SE")
        _organisation_id(debtor, _digits(region["org_number"]))
        elements.append(debtor)
        if region.get("iban"):
            iban = re.sub(r"\s", "", region["iban"]).upper()
            elements.append(_account("DbtrAcct", iban, iban=True))
        else:
            elements.append(_account("DbtrAcct", _digits(region["bankgiro"]), proprietary="BGNR"))
        agent = etree.Element("DbtrAgt")
        _sub(_sub(agent, "FinInstnId"), "BIC", region["bic"])
        elements.append(agent)
        return elements

    def _transaction(
        self, case_number, instalment, amount, name, org_number, kind, number, bic, reference
    ):
        transaction = etree.Element("CdtTrfTxInf")
        _sub(_sub(transaction, "PmtId"), "EndToEndId", _text(f"{case_number}-{instalment}", 35))
        _sub(_sub(transaction, "Amt"), "InstdAmt", _amount(amount), Ccy="SEK")
        if kind == PayoutAccount.Kind.BANKGIRO:
            _clearing_agent(transaction, BANKGIRO_MEMBER)
            account = _account("CdtrAcct", _digits(number), proprietary="BGNR")
        elif kind == PayoutAccount.Kind.PLUSGIRO:
            _clearing_agent(transaction, PLUSGIRO_MEMBER)
            account = _account("CdtrAcct", _digits(number), proprietary="PGNR")
        elif kind == PayoutAccount.Kind.BANK_ACCOUNT:
            clearing, account_number = bank_account_parts(number)
            _clearing_agent(transaction, clearing)
            account = _account("CdtrAcct", clearing + account_number, code="BBAN")
        else:
            if bic:
                _sub(_sub(_sub(transaction, "CdtrAgt"), "FinInstnId"), "BIC", bic)
            account = _account("CdtrAcct", number, iban=True)
        creditor = _sub(transaction, "Cdtr")
        _sub(creditor, "Nm", _text(name, 70))
        digits = _digits(org_number)
        # A legal person's org. no. identifies the payee; a sole trader's personnummer is
        # personal data the bank does not need (its third digit is below 2).
        if len(digits) == 10 and digits[2] >= "2":
            _organisation_id(creditor, digits)
        transaction.append(account)
        if reference and (remittance := _text(reference, 140)):
            _sub(_sub(transaction, "RmtInf"), "Ustrd", remittance)
        return transaction

"""Decision letters and repayment letters: archival PDFs rendered from snapshots only.

A letter is written from the JSON ``snapshot`` copied when the decision (or claim) was made, in
the language the applicant chose, by the templates in ``templates/letters/``. WeasyPrint turns
it into a tagged A4 PDF (PDF/UA-1) that is also PDF/A-3b, with the snapshot attached as
machine-readable data. The same snapshot always gives the same text. ``decisions.delivery``
stores the letter once and sends it.
"""

import hashlib
import json
import threading
from datetime import date, datetime
from decimal import Decimal
from xml.etree.ElementTree import fromstring, register_namespace, tostring

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.dateparse import parse_date, parse_datetime

#: What a screen reader and an archive are told the PDF conforms to, beside PDF/A-3b. PDF/A
#: needs the pdfuaid schema described, as it is not one of its predefined schemas.
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_PDFUA_SCHEMA = f"""<rdf:Description xmlns:rdf="{_RDF}" rdf:about=""
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
  <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
      <pdfaProperty:name>part</pdfaProperty:name>
      <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
      <pdfaProperty:category>internal</pdfaProperty:category>
      <pdfaProperty:description>Part of ISO 14289 the document conforms to</pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
  </rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>"""
_PDFUA_PART = f"""<rdf:Description xmlns:rdf="{_RDF}" rdf:about=""
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"><pdfuaid:part>1</pdfuaid:part></rdf:Description>"""

# PDF/A requires these exact prefixes for the extension schema's namespaces.
for _prefix, _uri in (
    ("pdfaExtension", "http://www.aiim.org/pdfa/ns/extension/"),
    ("pdfaSchema", "http://www.aiim.org/pdfa/ns/schema#"),
    ("pdfaProperty", "http://www.aiim.org/pdfa/ns/property#"),
):
    register_namespace(_prefix, _uri)

#: WeasyPrint's options for every letter: PDF/A-3b (its attachments allowed), and tagged.
PDF_OPTIONS = {"pdf_variant": "pdf/a-3b", "pdf_tags": True}

_local = threading.local()


def _weasyprint():
    """Return this thread's font configuration and URL fetcher, made once and reused.

    Both are costly to make: the fetcher loads the system's certificates each time (about 17 ms)
    and the font configuration reads the system's fonts. A letter fetches nothing from the
    network, so the fetcher allows only local files and data URLs.
    """
    if not hasattr(_local, "fetcher"):
        from weasyprint import URLFetcher
        from weasyprint.text.fonts import FontConfiguration

        _local.fetcher = URLFetcher(allowed_protocols=("file", "data"))
        _local.font_config = FontConfiguration()
    return _local.font_config, _local.fetcher


def _archival_metadata(metadata):
    """Return ``metadata`` that also declares PDF/UA-1 in the XMP packet PDF/A requires."""
    from weasyprint.document import DocumentMetadata

    class ArchivalMetadata(DocumentMetadata):
        def generate_rdf_metadata(self, variant, version, conformance):
            # Only WeasyPrint's packet and the constants above are parsed: nothing untrusted.
            rdf = fromstring(super().generate_rdf_metadata(variant, version, conformance))  # noqa: S314
            for fragment in (_PDFUA_SCHEMA, _PDFUA_PART):
                rdf.append(fromstring(fragment))  # noqa: S314
            return tostring(rdf, encoding="utf-8")

    return ArchivalMetadata(**vars(metadata))


def render_pdf(*, html: str, snapshot: dict, attachment_name: str, description: str) -> bytes:
    """Return ``html`` as a tagged PDF/A-3b with ``snapshot`` attached as JSON.

    Everything in the file comes from ``html`` and ``snapshot``, so rendering them again gives
    the same letter: the file identifier is the HTML's hash and the attachment's dates are the
    snapshot's.
    """
    from weasyprint import HTML, Attachment

    font_config, fetcher = _weasyprint()
    data = json.dumps(snapshot, ensure_ascii=False, indent=2, sort_keys=True)
    made = _snapshot_datetime(snapshot)
    attachment = Attachment(
        string=data,
        name=attachment_name,
        description=description,
        created=made,
        modified=made,
        relationship="Source",
        url_fetcher=fetcher,
    )
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).render(
        font_config=font_config, **PDF_OPTIONS
    )
    document.metadata = _archival_metadata(document.metadata)
    return document.write_pdf(
        attachments=[attachment],
        pdf_identifier=hashlib.sha256(html.encode()).digest()[:16],
        finisher=_list_attachment_once,
        **PDF_OPTIONS,
    )


def _list_attachment_once(document, pdf) -> None:
    """List each attached file once in the catalogue's /AF.

    WeasyPrint 70 adds an attachment to /AF both from the name tree and from its file
    specification, so the same reference appears twice; PDF/A-3 wants each file listed once.
    """
    import pydyf

    listed = pdf.catalog.get("AF")
    if listed is None:
        return
    unique = []
    for reference in listed:
        if reference not in unique:
            unique.append(reference)
    pdf.catalog["AF"] = pydyf.Array(unique)


def _snapshot_datetime(snapshot: dict) -> datetime:
    day = parse_date(snapshot.get("decision_date") or snapshot.get("claim_date") or "")
    day = day or date(2000, 1, 1)
    return datetime(day.year, day.month, day.day, 12, 0)


# Reading the snapshot


def _date(value) -> date | None:
    return parse_date(value) if value else None


def _datetime(value) -> datetime | None:
    return parse_datetime(value) if value else None


def _money(value) -> Decimal:
    return Decimal(value or "0")


def text_blocks(text: str) -> list[dict]:
    """Return text as the letter prints it: paragraphs, and lists of the lines starting "- ".

    ``[{"kind": "p", "text": ...}, {"kind": "ul", "items": [...]}]``; a blank line starts a
    new paragraph, and lines of a paragraph are joined.
    """
    blocks = []
    for chunk in (text or "").replace("\r\n", "\n").split("\n\n"):
        kind, lines = None, []
        for line in (line.strip() for line in chunk.split("\n")):
            if not line:
                continue
            item = line.startswith(("- ", "– ", "• "))
            if lines and kind != ("ul" if item else "p"):
                blocks.append(_block(kind, lines))
                lines = []
            kind = "ul" if item else "p"
            lines.append(line[2:].strip() if item else line)
        if lines:
            blocks.append(_block(kind, lines))
    return blocks


def _block(kind: str, lines: list[str]) -> dict:
    if kind == "ul":
        return {"kind": "ul", "items": lines}
    return {"kind": "p", "text": " ".join(lines)}


class DecisionLetter:
    """The decision letter (beslutsbrev) of DESIGN §5.1, from a decision's snapshot."""

    template = "letters/decision_letter.html"

    def __init__(self, snapshot: dict):
        if snapshot.get("version", 1) < 2:
            raise ValueError("Decision letters are rendered from snapshots of version 2 on.")
        self.snapshot = snapshot
        self.language = snapshot["language"]

    def context(self) -> dict:
        s = self.snapshot
        texts = s.get("texts", {})
        committee = s.get("committee")
        return {
            "snapshot": s,
            "language": self.language,
            "region": s["region"],
            "case_number": s["case_number"],
            "decision_date": _date(s["decision_date"]),
            "outcome": s["outcome"],
            "outcome_label": s["outcome_label"],
            "is_grant": s["outcome"] in ("approved", "approved_partly"),
            "is_partly": s["outcome"] == "approved_partly",
            "amount": _money(s["amount"]),
            "requested_amount": _money(s["requested_amount"]),
            "organisation": s["organisation"],
            "application": {
                "title": s["application"]["title"],
                "submitted_at": _datetime(s["application"]["submitted_at"]),
                "activity_starts": _date(s["application"]["activity_starts"]),
                "activity_ends": _date(s["application"]["activity_ends"]),
            },
            "programme": s["programme"],
            "call": s["call"],
            "decided_by": s["decided_by"],
            "presenter": s["presenter"],
            "delegation_reference": s["delegation_reference"],
            "committee": {
                "body": committee["body"],
                "meeting_date": _date(committee["meeting_date"]),
                "paragraph": keep_together(committee["paragraph"]),
            }
            if committee
            else None,
            "payment_plan": [
                step | {"amount": _money(step["amount"])} for step in s["payment_plan"]
            ],
            "payout_account": s["payout_account"],
            "report_due_date": _date(s["report_due_date"]),
            "contact": s["contact"],
            "reasons": text_blocks(s["reasons"]),
            "conditions": text_blocks(s["conditions"]),
            "report_text": text_blocks(texts.get("report", "")),
            "repayment_text": text_blocks(texts.get("repayment", "")),
            "appeal_text": text_blocks(texts.get("appeal", "")),
        }

    def html(self) -> str:
        with translation.override(self.language):
            return render_to_string(self.template, self.context())

    def attachment_name(self) -> str:
        return f"beslut-{file_stem(self.snapshot['case_number'])}.json"

    def render(self) -> bytes:
        return render_pdf(
            html=self.html(),
            snapshot=self.snapshot,
            attachment_name=self.attachment_name(),
            description="Bidrag decision snapshot",
        )


class RepaymentLetter:
    """The decision to claim a grant back (återkrav), from the claim's snapshot."""

    template = "letters/repayment_letter.html"

    def __init__(self, snapshot: dict):
        self.snapshot = snapshot
        self.language = snapshot["language"]

    def context(self) -> dict:
        s = self.snapshot
        decision = s["decision"]
        return {
            "snapshot": s,
            "language": self.language,
            "region": s["region"],
            "case_number": s["case_number"],
            "claim_date": _date(s["claim_date"]),
            "amount": _money(s["amount"]),
            "paid_amount": _money(s["paid_amount"]),
            "due_date": _date(s["due_date"]),
            "reasons": text_blocks(s["reasons"]),
            "organisation": s["organisation"],
            "application": s["application"],
            "programme": s["programme"],
            "call": s["call"],
            "decision": decision
            | {
                "decision_date": _date(decision["decision_date"]),
                "amount": _money(decision["amount"]),
            },
            "claimed_by": s["claimed_by"],
            "cancelled_amount": _money(s["cancelled_amount"]),
            "contact": s["contact"],
            "repayment_text": text_blocks(s["texts"].get("repayment", "")),
            "appeal_text": text_blocks(s["texts"].get("appeal", "")),
        }

    def html(self) -> str:
        with translation.override(self.language):
            return render_to_string(self.template, self.context())

    def attachment_name(self) -> str:
        return f"aterkrav-{file_stem(self.snapshot['case_number'])}.json"

    def render(self) -> bytes:
        return render_pdf(
            html=self.html(),
            snapshot=self.snapshot,
            attachment_name=self.attachment_name(),
            description="Bidrag repayment claim snapshot",
        )


def keep_together(paragraph: str) -> str:
    """Return a minutes' § as printed: "§ 87" never breaks between the sign and the number."""
    return paragraph.replace("§ ", "§\u00a0")


def file_stem(case_number: str) -> str:
    """Return a case number as it goes into a file name: "KUL 2026/0042" is "KUL-2026-0042"."""
    return "-".join(case_number.replace("/", " ").split())


def decision_letter_html(decision) -> str:
    """Return the HTML of the decision's letter, written from its snapshot only."""
    return DecisionLetter(decision.snapshot).html()


def render_decision_letter(decision) -> bytes:
    """Return the decision's letter as a tagged PDF/A-3b with the snapshot attached."""
    return DecisionLetter(decision.snapshot).render()


def repayment_letter_html(claim) -> str:
    """Return the HTML of the repayment claim's letter, written from its snapshot only."""
    return RepaymentLetter(claim.snapshot).html()


def render_repayment_letter(claim) -> bytes:
    """Return the repayment claim's letter as a tagged PDF/A-3b with the snapshot attached."""
    return RepaymentLetter(claim.snapshot).render()

"""The organisation pages of My pages: register, the organisation, payout account, documents.

Every page is for members of the organisation only: anyone else gets 404, as if it did not
exist; anonymous visitors are sent to log in.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from organisations import services
from organisations.models import Membership, Organisation, OrganisationDocument, PayoutAccount
from tests import factories

PERSONNUMMER = "121212-1212"
IBAN = "SE45 5000 0000 0583 9825 7466"

REGISTRATION = {
    "name": "Ragunda musikförening",
    "org_number": "2321000214",
    "org_type": "association",
    "municipality": "2303",
    "street_address": "Storgatan 1",
    "postal_code": "84070",
    "city": "Hammarstrand",
    "email": "info@ragunda.example.org",
    "phone": "0696-100 00",
    "website": "",
}


def url(name, organisation, *args):
    return reverse(f"organisations:{name}", args=[organisation.pk, *args])


@pytest.fixture
def document(organisation, applicant):
    return services.organisation_document_add(
        organisation=organisation,
        actor=applicant,
        kind="statutes",
        year=timezone.localdate().year,
        file=ContentFile(factories.PDF_BYTES, name="s.pdf"),
        original_name="Stadgar.pdf",
        content_type="application/pdf",
    )


@pytest.fixture
def sole_trader(applicant):
    return services.organisation_register(
        actor=applicant,
        name="Alva Sökande Konst",
        org_number="19" + PERSONNUMMER,
        org_type="sole_trader",
        municipality="2380",
    )


# Login and access


@pytest.mark.parametrize("name", ["detail", "edit", "invite", "payout_account", "documents"])
def test_anonymous_visitors_are_sent_to_log_in(client, organisation, name):
    response = client.get(url(name, organisation))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_anonymous_visitors_are_sent_to_log_in_to_register(client, db):
    response = client.get(reverse("organisations:register"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["detail", "edit", "invite", "payout_account", "documents"])
def test_another_applicant_gets_404_for_every_page(client, organisation, applicant_b, name):
    factories.organisation(applicant_b)
    client.force_login(applicant_b)
    assert client.get(url(name, organisation)).status_code == 404


def test_another_applicant_cannot_download_a_document(client, document, applicant_b):
    client.force_login(applicant_b)
    response = client.get(url("document_download", document.organisation, document.pk))
    assert response.status_code == 404


def test_a_document_is_not_found_under_another_organisation(
    client, document, applicant, applicant_b
):
    other = factories.organisation(applicant_b)
    services.membership_add(organisation=other, user=applicant, role="member", actor=applicant_b)
    client.force_login(applicant)

    response = client.get(url("document_download", other, document.pk))

    assert response.status_code == 404


def test_another_applicant_cannot_change_the_payout_account(client, organisation, applicant_b):
    client.force_login(applicant_b)

    response = client.post(
        url("payout_account", organisation),
        {"kind": "iban", "number": IBAN, "holder_name": "Bo"},
    )

    assert response.status_code == 404
    assert organisation.payout_accounts.count() == 1


# Registering


def test_registering_makes_the_user_signatory(client, applicant_b):
    client.force_login(applicant_b)
    assert client.get(reverse("organisations:register")).status_code == 200

    response = client.post(reverse("organisations:register"), REGISTRATION)

    organisation = Organisation.objects.get()
    assert response.url == reverse("organisations:detail", args=[organisation.pk])
    assert organisation.org_number == "232100-0214"
    assert organisation.postal_code == "840 70"
    assert Membership.objects.get(organisation=organisation).user == applicant_b


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("232100-021", "must have 10 digits"),
        ("232100-0215", "check digit is wrong"),
        (PERSONNUMMER, "only accepted for sole traders"),
        ("23210O-0214", "only digits"),
    ],
)
def test_a_wrong_number_is_explained_and_nothing_typed_is_lost(
    client, applicant_b, number, message
):
    client.force_login(applicant_b)

    response = client.post(
        reverse("organisations:register"),
        REGISTRATION | {"org_number": number, "publish_consent": "on"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    for value in ["Ragunda musikförening", number, "Storgatan 1", "84070", "0696-100 00"]:
        assert f'value="{value}"' in page
    assert '<option value="2303" selected>' in page
    assert '<option value="association" selected>' in page
    assert "checked" in page
    assert not Organisation.objects.exists()


def test_a_sole_trader_registers_with_a_personnummer(client, applicant_b):
    client.force_login(applicant_b)

    response = client.post(
        reverse("organisations:register"),
        REGISTRATION | {"org_number": "19" + PERSONNUMMER, "org_type": "sole_trader"},
        follow=True,
    )

    organisation = Organisation.objects.get()
    assert organisation.org_number == PERSONNUMMER
    page = response.content.decode()
    assert "121212-****" in page
    assert PERSONNUMMER not in page and PERSONNUMMER.replace("-", "") not in page


def test_missing_fields_are_named(client, applicant_b):
    client.force_login(applicant_b)

    response = client.post(reverse("organisations:register"), {"name": "X"})

    page = response.content.decode()
    assert 'href="#id_org_number"' in page and 'href="#id_municipality"' in page
    assert not Organisation.objects.exists()


# The organisation page


def test_the_organisation_page_shows_what_a_member_needs(
    client, organisation, applicant, member, document
):
    client.force_login(member)

    response = client.get(url("detail", organisation))

    page = response.content.decode()
    assert response.status_code == 200
    assert organisation.name in page and organisation.org_number in page
    assert "Maja Medlem" in page and "Alva Sökande" in page
    assert "Stadgar.pdf" in page
    assert url("document_download", organisation, document.pk) in page
    account = organisation.payout_accounts.get()
    assert account.number in page
    assert reverse("portal:dashboard") in page
    # A contact person sees no signatory's actions, only how to leave.
    assert url("invite", organisation) not in page
    assert url("edit", organisation) not in page
    assert "Leave the organisation" in page
    assert 'name="role"' not in page


def test_a_signatory_sees_the_actions(client, organisation, applicant, member):
    client.force_login(applicant)

    page = client.get(url("detail", organisation)).content.decode()

    assert url("invite", organisation) in page
    assert url("edit", organisation) in page
    membership = Membership.objects.get(user=member)
    assert url("member_remove", organisation, membership.pk) in page
    assert url("member_role", organisation, membership.pk) in page


def test_a_personnummer_is_masked_on_every_organisation_page(client, sole_trader, applicant):
    client.force_login(applicant)

    for name in ["detail", "edit", "payout_account", "documents"]:
        page = client.get(url(name, sole_trader)).content.decode()
        assert PERSONNUMMER not in page, name
        assert PERSONNUMMER.replace("-", "") not in page, name
    page = client.get(url("detail", sole_trader)).content.decode()
    assert "121212-****" in page


def test_the_organisation_page_query_count_does_not_grow(
    client, organisation, applicant, django_assert_num_queries
):
    def add_people_and_papers(n):
        for _ in range(n):
            person = factories.user()
            services.membership_add(
                organisation=organisation, user=person, role="member", actor=applicant
            )
            services.join_request_create(organisation=organisation, actor=factories.user())
            services.invitation_create(
                organisation=organisation,
                actor=applicant,
                email=factories.user().email,
                role="member",
            )
            services.organisation_document_add(
                organisation=organisation,
                actor=person,
                kind="annual_report",
                year=timezone.localdate().year,
                file=ContentFile(factories.PDF_BYTES, name="a.pdf"),
                original_name="Årsredovisning.pdf",
                content_type="application/pdf",
            )

    add_people_and_papers(1)
    client.force_login(applicant)
    # Session and user, organisation with role, members, requests, invitations, accounts,
    # documents.
    with django_assert_num_queries(8):
        client.get(url("detail", organisation))
    add_people_and_papers(4)
    with django_assert_num_queries(8):
        response = client.get(url("detail", organisation))
    assert response.content.decode().count("Årsredovisning.pdf") == 5


# Payout account


def test_a_signatory_changes_the_payout_account(client, organisation, applicant):
    client.force_login(applicant)

    response = client.post(
        url("payout_account", organisation),
        {"kind": "iban", "number": IBAN, "holder_name": organisation.name, "bic": "essesess"},
        follow=True,
    )

    pending = organisation.payout_accounts.pending().get()
    assert (pending.number, pending.bic) == ("SE4550000000058398257466", "ESSESESS")
    page = response.content.decode()
    assert "awaits verification by the region" in page
    assert "payments go to the verified account" in page


def test_the_bic_is_dropped_for_other_kinds(client, organisation, applicant):
    client.force_login(applicant)

    client.post(
        url("payout_account", organisation),
        {"kind": "plusgiro", "number": "4105468-5", "holder_name": "X", "bic": "nonsense"},
    )

    assert organisation.payout_accounts.pending().get().bic == ""


@pytest.mark.parametrize(
    ("kind", "number", "message"),
    [
        ("bankgiro", "123-456", "must have 7 or 8 digits"),
        ("bankgiro", "5050-1056", "check digit is wrong"),
        ("plusgiro", "4105468-6", "check digit is wrong"),
        ("bank_account", "0123, 1234567", "do not recognise the clearing number 0123"),
        ("bank_account", "6000, 1234567890", "at most 9 digits"),
        ("iban", "SE45 5000 0000 0583 9825 7467", "check digits are wrong"),
        ("iban", "SE45 5000", "24 characters"),
    ],
)
def test_each_mistake_in_the_number_gets_its_own_message(
    client, organisation, applicant, kind, number, message
):
    client.force_login(applicant)

    response = client.post(
        url("payout_account", organisation),
        {"kind": kind, "number": number, "holder_name": "Storsjöteatern"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert response.context["form"].errors["number"]
    assert f'value="{number}"' in page and 'value="Storsjöteatern"' in page
    assert f'value="{kind}" required id' in page and "checked" in page
    assert organisation.payout_accounts.count() == 1


def test_a_contact_person_sees_the_account_but_cannot_change_it(client, organisation, member):
    client.force_login(member)

    page = client.get(url("payout_account", organisation)).content.decode()
    assert organisation.payout_accounts.get().number in page
    assert 'name="number"' not in page

    response = client.post(
        url("payout_account", organisation), {"kind": "iban", "number": IBAN, "holder_name": "M"}
    )
    assert response.status_code == 403
    assert organisation.payout_accounts.count() == 1


def test_a_rejected_change_shows_its_reason(client, organisation, applicant, finance_2):
    change = services.payout_account_add(
        organisation=organisation, actor=applicant, kind="iban", number=IBAN, holder_name="X"
    )
    services.payout_account_reject(
        account=change, actor=finance_2, reason="The holder is a private person."
    )
    client.force_login(applicant)

    page = client.get(url("payout_account", organisation)).content.decode()

    assert "The rejected change" in page
    assert "The holder is a private person." in page
    assert organisation.payout_accounts.verified().get().number in page
    page = client.get(url("detail", organisation)).content.decode()
    assert "A change was rejected" in page
    assert "The holder is a private person." in page


def test_without_an_account_the_page_says_so(client, applicant):
    organisation = services.organisation_register(
        actor=applicant,
        name="Utan konto",
        org_number=factories.org_number(),
        org_type="association",
        municipality="2380",
    )
    client.force_login(applicant)

    page = client.get(url("payout_account", organisation)).content.decode()

    assert "no verified payout account" in page
    assert not PayoutAccount.objects.filter(organisation=organisation).exists()


# Documents


def upload(name="Protokoll.pdf", content=factories.PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_member_uploads_a_document(client, organisation, member):
    client.force_login(member)
    page = client.get(url("documents", organisation)).content.decode()
    year = timezone.localdate().year
    assert f'<option value="{year}" selected>' in page

    response = client.post(
        url("documents", organisation),
        {"kind": "annual_meeting_minutes", "year": year - 1, "file": upload()},
        follow=True,
    )

    document = OrganisationDocument.objects.get()
    assert (document.kind, document.year, document.original_name, document.uploaded_by) == (
        "annual_meeting_minutes",
        year - 1,
        "Protokoll.pdf",
        member,
    )
    page = response.content.decode()
    assert "Protokoll.pdf" in page
    assert f"<h2>{year - 1}</h2>" in page


def test_a_failed_upload_keeps_the_kind_and_year(client, organisation, applicant):
    client.force_login(applicant)
    year = timezone.localdate().year - 2

    response = client.post(
        url("documents", organisation),
        {"kind": "annual_report", "year": year, "file": upload("virus.exe", b"MZ\x90\x00" * 50)},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "is not a PDF" in page
    assert '<option value="annual_report" selected>' in page
    assert f'<option value="{year}" selected>' in page
    assert not OrganisationDocument.objects.exists()


def test_a_year_outside_the_list_is_refused(client, organisation, applicant):
    client.force_login(applicant)

    client.post(
        url("documents", organisation), {"kind": "statutes", "year": 1999, "file": upload()}
    )

    assert not OrganisationDocument.objects.exists()


def test_a_member_downloads_a_document(client, document, member):
    client.force_login(member)

    response = client.get(url("document_download", document.organisation, document.pk))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == factories.PDF_BYTES
    assert "Stadgar.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_documents_are_listed_by_year(client, organisation, applicant, document):
    services.organisation_document_add(
        organisation=organisation,
        actor=applicant,
        kind="activity_report",
        year=document.year - 1,
        file=ContentFile(factories.PDF_BYTES, name="v.pdf"),
        original_name="Verksamhetsberättelse.pdf",
        content_type="application/pdf",
    )
    client.force_login(applicant)

    page = client.get(url("documents", organisation)).content.decode()

    assert page.index(f"<h2>{document.year}</h2>") < page.index("Stadgar.pdf")
    assert page.index("Stadgar.pdf") < page.index(f"<h2>{document.year - 1}</h2>")
    assert page.index(f"<h2>{document.year - 1}</h2>") < page.index("Verksamhetsberättelse.pdf")

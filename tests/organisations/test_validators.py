"""Tests for the organisation-number and payout-number validators, with real numbers.

Where each number comes from:

- 232100-0214 Region Jämtland Härjedalen (regionjh.se), 212000-2528 Östersunds kommun
  (sv.wikipedia.org), 556047-3521 Bankgirocentralen BGC AB (its "Bankernas kontonummer").
- 19121212-1212 is Skatteverket's published test personnummer (Tolvan Tolvansson).
- Bankgiro 160-9908 is Bankgirot's own (same document), 5050-1055 Skatteverket's, 5402-9681
  and 297-3675 Carnegie Fonder's (as used in barsoom/banktools-se's tests).
- Plusgiro 90 1950-6 is Radiohjälpen's 90-account (sv.wikipedia.org, sverigesradio.se);
  28 65 43-4 and 410 54 68-5 IKEA's and 4-2 Sveriges riksbank's (barsoom/banktools-se).
- SE45 5000 0000 0583 9825 7466 is the Swedish example in SWIFT's IBAN registry; it holds
  the SEB account 5839-825 746 6. DE89 3704 0044 0532 0130 00 is the German example.
- The other bank accounts are the examples in the tests of swantzter/kontonummer
  and barsoom/banktools-se, which follow Bankgirot's published rules.

A number marked "constructed" was made for one rule, with its check digit computed.
"""

from itertools import pairwise

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from organisations import validators


def error_of(func, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        func(*args, **kwargs)
    return excinfo.value


# Organisation numbers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("232100-0214", "232100-0214"),
        ("2321000214", "232100-0214"),
        (" 232100 0214 ", "232100-0214"),
        ("232100–0214", "232100-0214"),  # en dash pasted from a document
        ("16232100-0214", "232100-0214"),
        ("162321000214", "232100-0214"),
        ("212000-2528", "212000-2528"),
        ("556047-3521", "556047-3521"),
    ],
)
def test_org_number_of_legal_person_is_normalised(value, expected):
    assert validators.normalise_org_number(value) == expected
    assert validators.normalise_org_number(value, allow_personal=True) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("232100-0215", "invalid_checksum"),  # last digit mistyped
        ("232100-0241", "invalid_checksum"),  # two digits swapped
        ("23210-0214", "invalid_length"),
        ("232100-02144", "invalid_length"),
        ("", "invalid_length"),
        ("2321OO-0214", "invalid_characters"),  # letter O for zero
        ("17232100-0214", "invalid_org_number"),  # 12 digits must start with 16, 19 or 20
        ("19232100-0214", "invalid_org_number"),  # a century prefix on a legal person
        ("001399-0007", "invalid_org_number"),  # constructed: third digit 1, month 13
        ("120230-1238", "invalid_org_number"),  # constructed: 30 February
        ("16121212-1212", "invalid_org_number"),  # 16 is for legal persons only
    ],
)
def test_org_number_mistakes_are_refused_with_their_code(value, code):
    assert error_of(validators.normalise_org_number, value, allow_personal=True).code == code


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("19121212-1212", "121212-1212"),
        ("191212121212", "121212-1212"),
        ("121212-1212", "121212-1212"),
        ("121212+1212", "121212-1212"),  # the plus of a person over 100
        ("121272-1219", "121272-1219"),  # constructed samordningsnummer: day 12 + 60
    ],
)
def test_personnummer_is_accepted_for_sole_traders(value, expected):
    assert validators.normalise_org_number(value, allow_personal=True) == expected


@pytest.mark.parametrize("value", ["19121212-1212", "121212-1212", "121272-1219"])
def test_personnummer_is_refused_for_others(value):
    error = error_of(validators.normalise_org_number, value)

    assert error.code == "personal_number_not_allowed"
    with translation.override("en"):
        assert "only accepted for sole traders" in error.messages[0]


def test_personnummer_with_wrong_check_digit_is_refused():
    error = error_of(validators.normalise_org_number, "121212-1213", allow_personal=True)

    assert error.code == "invalid_checksum"


def test_validate_org_number_accepts_only_legal_persons():
    validators.validate_org_number("232100-0214")

    assert error_of(validators.validate_org_number, "121212-1212").code == (
        "personal_number_not_allowed"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("121212-1212", True),
        ("19121212-1212", True),
        ("121272-1219", True),
        ("232100-0214", False),
        ("16232100-0214", False),
        ("120230-1238", False),
        ("", False),
        ("not a number", False),
    ],
)
def test_is_personal_number(value, expected):
    assert validators.is_personal_number(value) is expected


# Bankgiro and Plusgiro -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("160-9908", "160-9908"),
        ("1609908", "160-9908"),
        ("5050-1055", "5050-1055"),
        ("5402 9681", "5402-9681"),
        ("54029681", "5402-9681"),
        ("297-3675", "297-3675"),
    ],
)
def test_bankgiro_is_normalised(value, expected):
    assert validators.normalise_bankgiro(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("5050-1056", "invalid_checksum"),
        ("5050-1505", "invalid_checksum"),
        ("505-105", "invalid_length"),
        ("5050-10555", "invalid_length"),
        ("5O50-1055", "invalid_characters"),
    ],
)
def test_bankgiro_mistakes_are_refused(value, code):
    assert error_of(validators.normalise_bankgiro, value).code == code


def test_bankgiro_length_message_is_clear():
    with translation.override("en"):
        error = error_of(validators.normalise_bankgiro, "505-105")

        assert error.messages == ["The Bankgiro number must have 7 or 8 digits."]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("90 1950-6", "901950-6"),
        ("9019506", "901950-6"),
        ("28 65 43-4", "286543-4"),
        ("410 54 68-5", "4105468-5"),
        ("4-2", "4-2"),
    ],
)
def test_plusgiro_is_normalised(value, expected):
    assert validators.normalise_plusgiro(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("410 54 68-6", "invalid_checksum"),
        ("90 1905-6", "invalid_checksum"),
        ("4", "invalid_length"),
        ("410 54 68-51", "invalid_length"),
        ("PG 90 1950-6", "invalid_characters"),
    ],
)
def test_plusgiro_mistakes_are_refused(value, code):
    assert error_of(validators.normalise_plusgiro, value).code == code


# Swedish bank accounts -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "bank"),
    [
        # Swedbank and the savings banks, type 2 comment 3: five-digit clearing number.
        ("8424-4, 983 189 224-6", "84244-9831892246", "Swedbank"),
        ("8351-9, 392 242 224-5", "83519-3922422245", "Swedbank"),
        ("8129-9, 043 386 711-6", "81299-0433867116", "Swedbank"),
        ("8424 983 189 224-6", "84244-9831892246", "Swedbank"),  # fifth digit left out
        ("842449831892246", "84244-9831892246", "Swedbank"),
        ("84249831892246", "84244-9831892246", "Swedbank"),
        ("8000-2-80000003", "80002-0080000003", "Swedbank"),  # zero-filled
        # Handelsbanken, type 2 comment 2.
        ("6789 123 456 789", "6789-123456789", "Handelsbanken"),
        ("6789 - 123 456 789", "6789-123456789", "Handelsbanken"),
        ("6789123456789", "6789-123456789", "Handelsbanken"),
        # Nordea personkonto, type 2 comment 1.
        ("3300 000620-5124", "3300-0006205124", "Nordea (personkonto)"),
        ("3300-800928-6249", "3300-8009286249", "Nordea (personkonto)"),
        ("3300, 19800928-6249", "3300-8009286249", "Nordea (personkonto)"),
        # SEB, type 1 comment 1.
        ("5839-825 746 6", "5839-8257466", "SEB"),
        ("5839 8257466", "5839-8257466", "SEB"),
        ("58398257466", "5839-8257466", "SEB"),
        ("5839000008257466", "5839-8257466", "SEB"),  # 16 digits, as in payment files
        # Klarna Bank, type 1 comment 2; Multitude Bank, type 1 comment 1.
        ("9789 111 111 3", "9789-1111113", "Klarna Bank"),
        ("9071, 417 23 83", "9071-4172383", "Multitude Bank"),
    ],
)
def test_bank_account_is_normalised(value, expected, bank):
    assert validators.normalise_bank_account(value) == expected
    assert validators.parse_bank_account(value).bank == bank


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("8424-1, 983 189 224-6", "invalid_clearing_number"),  # fifth digit wrong
        ("8424-4, 983 189 224-7", "invalid_checksum"),
        ("8424-4, 983 182 924-6", "invalid_checksum"),  # two digits swapped
        ("6789 123 456 788", "invalid_checksum"),
        ("3300 000620-5125", "invalid_checksum"),
        ("5839-825 747 6", "invalid_checksum"),
        ("5839-825 476 6", "invalid_checksum"),  # two digits swapped
        ("9789 111 111 4", "invalid_checksum"),
        ("58391, 825 746 6", "invalid_clearing_number"),  # only 8xxx has a fifth digit
        ("1000 1234567", "unknown_clearing_number"),
        ("9999 1234567", "unknown_clearing_number"),
        ("5839 18257466", "invalid_length"),  # SEB has 7 account digits
        ("6789 1234567890", "invalid_length"),  # Handelsbanken has 9
        ("583", "invalid_length"),
        ("", "invalid_length"),
        ("5839-825 746 6 SEB", "invalid_characters"),
        ("5839-825,746,6", "invalid_characters"),
    ],
)
def test_bank_account_mistakes_are_refused(value, code):
    assert error_of(validators.normalise_bank_account, value).code == code


def test_clearing_series_do_not_overlap():
    series = sorted(validators._CLEARING_SERIES, key=lambda s: s.first)

    assert all(earlier.last < later.first for earlier, later in pairwise(series))


def test_swedbank_check_digit_message_offers_the_iban():
    with translation.override("en"):
        error = error_of(validators.normalise_bank_account, "8424-4, 983 189 224-7")

        assert "IBAN" in error.messages[0]


def test_bank_account_gives_the_four_digit_clearing_number_for_payment_files():
    account = validators.parse_bank_account("8424-4, 983 189 224-6")

    assert account.clearing == "84244"
    assert account.payment_clearing == "8424"
    assert account.account == "9831892246"


def test_iban_example_holds_the_seb_account_it_names():
    stored_iban = validators.normalise_iban("SE45 5000 0000 0583 9825 7466")
    account = validators.parse_bank_account(stored_iban[-11:])

    assert (account.bank, str(account)) == ("SEB", "5839-8257466")


# IBAN and BIC --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("SE45 5000 0000 0583 9825 7466", "SE4550000000058398257466"),
        ("se4550000000058398257466", "SE4550000000058398257466"),
        ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
    ],
)
def test_iban_is_normalised(value, expected):
    assert validators.normalise_iban(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("SE45 5000 0000 0583 9825 7467", "invalid_checksum"),
        ("SE54 5000 0000 0583 9825 7466", "invalid_checksum"),  # check digits swapped
        ("SE45 5000 0000 0583 9825 746", "invalid_length"),
        ("XX45 5000 0000 0583 9825 7466", "invalid_country"),
        ("5000 0000 0583 9825 7466", "invalid_characters"),
        ("", "invalid_characters"),
    ],
)
def test_iban_mistakes_are_refused(value, code):
    assert error_of(validators.normalise_iban, value).code == code


@pytest.mark.parametrize(
    ("value", "expected"),
    [("ESSESESS", "ESSESESS"), ("handsess", "HANDSESS"), ("SWED SE SS XXX", "SWEDSESSXXX")],
)
def test_bic_is_normalised(value, expected):
    assert validators.normalise_bic(value) == expected
    validators.validate_bic(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [("ESSESE", "invalid_bic"), ("1SSESESS", "invalid_bic"), ("ESSEXXSS", "invalid_country")],
)
def test_bic_mistakes_are_refused(value, code):
    assert error_of(validators.normalise_bic, value).code == code


# Payout accounts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "number", "expected"),
    [
        ("bankgiro", "54029681", "5402-9681"),
        ("plusgiro", "90 1950-6", "901950-6"),
        ("bank_account", "8424-4, 983 189 224-6", "84244-9831892246"),
        ("iban", "SE45 5000 0000 0583 9825 7466", "SE4550000000058398257466"),
    ],
)
def test_payout_number_is_normalised_by_kind(kind, number, expected):
    assert validators.normalise_payout_number(kind, number) == expected


def test_payout_number_is_checked_by_the_rule_of_its_kind():
    error = error_of(validators.normalise_payout_number, "bankgiro", "SE4550000000058398257466")

    assert error.code == "invalid_characters"


def test_payout_number_of_unknown_kind_is_refused():
    assert error_of(validators.normalise_payout_number, "swish", "123 456 78 90").code == (
        "invalid_kind"
    )

"""Check and normalise Swedish organisation numbers and the numbers grants are paid to.

Every function either returns the number in the one form it is stored in, or raises
``django.core.exceptions.ValidationError`` with a message a treasurer can act on and a
``code`` that says which mistake was made:

- ``invalid_characters``: something other than digits and separators;
- ``invalid_length``: too few or too many digits;
- ``invalid_checksum``: a check digit does not match (usually a typing mistake);
- ``invalid_org_number``: neither an organisation number nor a personal identity number;
- ``personal_number_not_allowed``: a personnummer where only organisations are accepted;
- ``invalid_clearing_number`` / ``unknown_clearing_number``: the bank's clearing number;
- ``invalid_country``: an IBAN or BIC with a country code that does not exist;
- ``invalid_kind``: an unknown kind of payout account.

The check digits are computed by python-stdnum wherever it has the algorithm (Luhn, IBAN
mod 97, BIC, personnummer dates). Only the banks' weighted mod 11 and their clearing-number
table are written here, because no maintained Python library carries them.
"""

import datetime
import re
from collections.abc import Callable
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import bic, iban, luhn, numdb
from stdnum import exceptions as stdnum_exceptions
from stdnum.se import personnummer
from stdnum.util import clean

_SEPARATORS = re.compile(r"[\s-]")


def _check_digit_error() -> ValidationError:
    return ValidationError(
        _("The check digit is wrong: check the number for a typing mistake."),
        code="invalid_checksum",
    )


def _digits(value: str, *, extra_separators: str = "") -> str | None:
    """Return the digits of a number typed with spaces and hyphens, or None if it has others.

    Unicode dashes and digits pasted from documents are mapped to ASCII first.
    """
    compact = _SEPARATORS.sub("", clean(value or "", extra_separators))
    if compact and not (compact.isascii() and compact.isdigit()):
        return None
    return compact


# Organisation numbers and personal identity numbers -------------------------------------


def _birth_date(digits: str) -> datetime.date | None:
    """Return the date of birth in a personnummer or samordningsnummer (10 or 12 digits).

    A samordningsnummer is a personnummer whose day of birth has 60 added to it.
    """
    day = int(digits[-6:-4])
    if day > 60:
        digits = f"{digits[:-6]}{day - 60:02d}{digits[-4:]}"
    try:
        return personnummer.get_birth_date(f"{digits[:-4]}-{digits[-4:]}")
    except (stdnum_exceptions.ValidationError, ValueError):
        return None


def _is_legal_person(digits: str) -> bool:
    # Bolagsverket's numbers have a "month" of 20 or more, so they never collide with a
    # personnummer.
    return int(digits[2]) >= 2


def normalise_org_number(value: str, *, allow_personal: bool = False) -> str:
    """Return the organisation number as ``NNNNNN-NNNN`` or raise ValidationError.

    Accept it with or without hyphen and spaces, and in the 12-digit form with a century
    (``16`` for legal persons, ``19``/``20`` for a personnummer). A personnummer or
    samordningsnummer is accepted only when ``allow_personal`` is true (sole traders).
    """
    digits = _digits(value, extra_separators="+")
    if digits is None:
        raise ValidationError(
            _("The organisation number may contain only digits and a hyphen."),
            code="invalid_characters",
        )
    if len(digits) not in (10, 12):
        raise ValidationError(
            _("The organisation number must have 10 digits, for example 232100-0214."),
            code="invalid_length",
        )
    century = digits[:2] if len(digits) == 12 else ""
    digits = digits[-10:]
    if century not in ("", "16", "19", "20"):
        raise ValidationError(
            _("A 12-digit number must start with 16, 19 or 20. Enter the last 10 digits."),
            code="invalid_org_number",
        )
    if not luhn.is_valid(digits):
        raise _check_digit_error()
    if _is_legal_person(digits):
        if century in ("19", "20"):
            raise ValidationError(
                _("This is not a valid organisation number: leave out the first two digits."),
                code="invalid_org_number",
            )
    elif century == "16" or _birth_date(century + digits) is None:
        raise ValidationError(
            _(
                "This is neither a valid organisation number nor a valid personal identity "
                "number: check the number."
            ),
            code="invalid_org_number",
        )
    elif not allow_personal:
        raise ValidationError(
            _(
                "A personal identity number is only accepted for sole traders. Enter the "
                "organisation's organisation number."
            ),
            code="personal_number_not_allowed",
        )
    return f"{digits[:6]}-{digits[6:]}"


def is_personal_number(value: str) -> bool:
    """Return whether the number has the form of a personnummer or samordningsnummer.

    The check digit is not tested: this decides what is masked as personal data, and a
    number that merely looks like a personnummer is masked too.
    """
    digits = _digits(value, extra_separators="+")
    if not digits or len(digits) not in (10, 12):
        return False
    if len(digits) == 12 and digits[:2] not in ("19", "20"):
        return False
    return not _is_legal_person(digits[-10:]) and _birth_date(digits) is not None


def validate_org_number(value: str) -> None:
    """Raise ValidationError unless the value is a legal person's organisation number."""
    normalise_org_number(value, allow_personal=False)


# Bankgiro and Plusgiro ----------------------------------------------------------------


def normalise_bankgiro(value: str) -> str:
    """Return the Bankgiro number as ``NNN-NNNN`` or ``NNNN-NNNN`` or raise ValidationError."""
    digits = _digits(value)
    if digits is None:
        raise ValidationError(
            _("The Bankgiro number may contain only digits and a hyphen."),
            code="invalid_characters",
        )
    if not 7 <= len(digits) <= 8:
        raise ValidationError(
            _("The Bankgiro number must have 7 or 8 digits."), code="invalid_length"
        )
    if not luhn.is_valid(digits):
        raise _check_digit_error()
    return f"{digits[:-4]}-{digits[-4:]}"


def normalise_plusgiro(value: str) -> str:
    """Return the Plusgiro number with a hyphen before its check digit (``4105468-5``)."""
    digits = _digits(value)
    if digits is None:
        raise ValidationError(
            _("The Plusgiro number may contain only digits, spaces and a hyphen."),
            code="invalid_characters",
        )
    if not 2 <= len(digits) <= 8:
        raise ValidationError(
            _("The Plusgiro number must have between 2 and 8 digits."), code="invalid_length"
        )
    if not luhn.is_valid(digits):
        raise _check_digit_error()
    return f"{digits[:-1]}-{digits[-1]}"


# Swedish bank accounts ------------------------------------------------------------------
#
# The rules are Bankgirot's "Bankernas kontonummer" (Bankgirocentralen BGC AB; the user
# manual bankernaskontonummeruppbyggnad_anvandarmanual_sv.pdf, 2017-03-07 edition and later).
# The clearing-number table follows that document as transcribed and kept up to date in
# the MIT-licensed library swantzter/kontonummer (src/banks.ts), with the ranges
# cross-checked against barsoom/banktools-se (lib/banktools-se/account/clearing_number.rb).
# Bankinfrastruktur i Sverige assigns new series from time to time: an unknown clearing
# number is refused with a request for the IBAN, and a new bank is a new row here.
#
# Type 1: clearing number (4 digits) + 7 account digits, mod 11 with the weights
#   1, 10, 9, ..., 2, 1 from the left; comment 1 weighs the last three digits of the
#   clearing number and the account, comment 2 all four and the account.
# Type 2: the clearing number is not part of the check. Comment 1: mod 10 (Luhn) over the
#   10-digit account; comment 2 (Handelsbanken): mod 11 over the 9-digit account;
#   comment 3 (Swedbank 8xxx, Plusgirot): mod 10 over the account (up to 10 digits).
# Swedbank's clearing numbers starting with 8 are printed with a fifth digit (8327-9), the
# Luhn check digit of the first four (the examples in swantzter/kontonummer's and
# barsoom/banktools-se's tests all follow this); payments use only the first four. We
# store it, computing it when it is left out, so that one account has one stored form.


def _mod11(digits: str) -> bool:
    """Return whether the digits pass the banks' mod 11 test (weights 1..10 from the right)."""
    return sum(int(d) * (i % 10 + 1) for i, d in enumerate(reversed(digits))) % 11 == 0


def _type1_comment1(clearing: str, account: str) -> bool:
    return _mod11(clearing[1:] + account)


def _type1_comment2(clearing: str, account: str) -> bool:
    return _mod11(clearing + account)


def _type2_mod10(clearing: str, account: str) -> bool:
    return luhn.is_valid(account)


def _type2_mod11(clearing: str, account: str) -> bool:
    return _mod11(account)


class _Series(NamedTuple):
    """A range of clearing numbers, its bank, account length and check-digit rule."""

    first: int
    last: int
    bank: str
    account_length: int
    passes: Callable[[str, str], bool]  # (four-digit clearing, account) -> valid


_CLEARING_SERIES = (
    _Series(1100, 1199, "Nordea", 7, _type1_comment1),
    _Series(1200, 1399, "Danske Bank", 7, _type1_comment1),
    _Series(1400, 2099, "Nordea", 7, _type1_comment1),
    _Series(2300, 2399, "Ålandsbanken", 7, _type1_comment2),
    _Series(2400, 2499, "Danske Bank", 7, _type1_comment1),
    _Series(3000, 3299, "Nordea", 7, _type1_comment1),
    _Series(3300, 3300, "Nordea (personkonto)", 10, _type2_mod10),
    _Series(3301, 3399, "Nordea", 7, _type1_comment1),
    _Series(3400, 3409, "Länsförsäkringar Bank", 7, _type1_comment1),
    _Series(3410, 3781, "Nordea", 7, _type1_comment1),
    _Series(3782, 3782, "Nordea (personkonto)", 10, _type2_mod10),
    _Series(3783, 3999, "Nordea", 7, _type1_comment1),
    _Series(4000, 4999, "Nordea", 7, _type1_comment2),
    _Series(5000, 5999, "SEB", 7, _type1_comment1),
    _Series(6000, 6999, "Handelsbanken", 9, _type2_mod11),
    _Series(7000, 7999, "Swedbank", 7, _type1_comment1),
    _Series(8000, 8999, "Swedbank", 10, _type2_mod10),
    _Series(9020, 9029, "Länsförsäkringar Bank", 7, _type1_comment2),
    _Series(9040, 9049, "Citibank", 7, _type1_comment2),
    _Series(9060, 9069, "Länsförsäkringar Bank", 7, _type1_comment1),
    _Series(9070, 9079, "Multitude Bank", 7, _type1_comment1),
    _Series(9100, 9109, "Nordnet Bank", 7, _type1_comment2),
    _Series(9120, 9124, "SEB", 7, _type1_comment1),
    _Series(9130, 9149, "SEB", 7, _type1_comment1),
    _Series(9150, 9169, "Skandiabanken", 7, _type1_comment2),
    _Series(9170, 9179, "Ikano Bank", 7, _type1_comment1),
    _Series(9180, 9189, "Danske Bank", 10, _type2_mod10),
    _Series(9190, 9199, "DNB Bank", 7, _type1_comment2),
    _Series(9230, 9239, "Marginalen Bank", 7, _type1_comment1),
    _Series(9250, 9259, "SBAB", 7, _type1_comment1),
    _Series(9260, 9269, "DNB Bank", 7, _type1_comment2),
    _Series(9270, 9279, "ICA Banken", 7, _type1_comment1),
    _Series(9280, 9289, "Resurs Bank", 7, _type1_comment1),
    _Series(9300, 9349, "Swedbank", 10, _type2_mod10),
    _Series(9390, 9399, "Landshypotek", 7, _type1_comment2),
    _Series(9400, 9449, "Forex Bank", 7, _type1_comment1),
    _Series(9460, 9469, "Santander Consumer Bank", 7, _type1_comment1),
    _Series(9470, 9479, "BNP Paribas", 7, _type1_comment2),
    _Series(9500, 9549, "Nordea (Plusgirot)", 10, _type2_mod10),
    _Series(9550, 9569, "Avanza Bank", 7, _type1_comment2),
    _Series(9570, 9579, "Sparbanken Syd", 10, _type2_mod10),
    _Series(9580, 9589, "Aion Bank", 7, _type1_comment1),
    _Series(9590, 9599, "Erik Penser Bank", 7, _type1_comment2),
    _Series(9630, 9639, "Lån & Spar Bank", 7, _type1_comment1),
    _Series(9640, 9649, "Nordax Bank", 7, _type1_comment2),
    _Series(9650, 9659, "MedMera Bank", 7, _type1_comment2),
    _Series(9660, 9669, "Svea Bank", 7, _type1_comment2),
    _Series(9670, 9679, "JAK Medlemsbank", 7, _type1_comment2),
    _Series(9680, 9689, "Bluestep Bank", 7, _type1_comment1),
    _Series(9700, 9709, "Ekobanken", 7, _type1_comment2),
    _Series(9710, 9719, "Lunar Bank", 7, _type1_comment2),
    _Series(9750, 9759, "Northmill Bank", 7, _type1_comment2),
    _Series(9780, 9789, "Klarna Bank", 7, _type1_comment2),
    _Series(9880, 9889, "Riksgälden", 7, _type1_comment2),
    _Series(9890, 9899, "Riksgälden", 10, _type2_mod10),
    _Series(9960, 9969, "Nordea (Plusgirot)", 10, _type2_mod10),
)

# The clearing number, then a comma or space, or for Swedbank's "8327-9" also a hyphen.
_CLEARING_THEN_ACCOUNT = re.compile(
    r"(?P<clearing>\d{4}|\d{4}-?\d)\s*(?:[,\s]|(?<=\d-\d)-)\s*(?P<account>\d[\d\s-]*)"
)


class BankAccount(NamedTuple):
    """A Swedish bank account: the bank, its clearing number and the account digits."""

    bank: str
    clearing: str  # four digits, or five for Swedbank's 8xxx-x
    account: str  # zero-padded to the bank's length

    def __str__(self):
        return f"{self.clearing}-{self.account}"

    @property
    def payment_clearing(self) -> str:
        """Return the four-digit clearing number payment files use."""
        return self.clearing[:4]


def _split_bank_account(value: str) -> tuple[str, str]:
    """Split typed input into clearing-number digits and account digits."""
    text = clean(value or "").strip()
    if not re.fullmatch(r"[\d\s,-]*", text):
        raise ValidationError(
            _("The account number may contain only digits, spaces, hyphens and a comma."),
            code="invalid_characters",
        )
    if match := _CLEARING_THEN_ACCOUNT.fullmatch(text):
        return match["clearing"].replace("-", ""), _SEPARATORS.sub("", match["account"])
    digits = re.sub(r"\D", "", text)
    if "," in text:
        # A comma that is not between the clearing number and the account number.
        raise ValidationError(
            _("Write the clearing number first, then a comma, then the account number."),
            code="invalid_characters",
        )
    # Run together, Swedbank's 8xxx accounts are written either with the fifth clearing
    # digit (5 + 10 = 15 digits) or without it.
    clearing_length = 5 if digits.startswith("8") and len(digits) == 15 else 4
    return digits[:clearing_length], digits[clearing_length:]


def parse_bank_account(value: str) -> BankAccount:
    """Return the bank account typed as e.g. "8327-9, 123 456 789-0" or raise ValidationError."""
    clearing, account = _split_bank_account(value)
    if len(clearing) < 4:
        raise ValidationError(
            _("Enter the clearing number (4 digits) followed by the account number."),
            code="invalid_length",
        )
    if len(clearing) == 5 and not clearing.startswith("8"):
        raise ValidationError(
            _(
                "The clearing number has 4 digits; only Swedbank accounts whose clearing "
                "number starts with 8 have a fifth digit (such as 8327-9)."
            ),
            code="invalid_clearing_number",
        )
    if len(clearing) == 5 and not luhn.is_valid(clearing):
        raise ValidationError(
            _("The fifth digit of the clearing number is wrong: check the clearing number."),
            code="invalid_clearing_number",
        )
    series = next((s for s in _CLEARING_SERIES if s.first <= int(clearing[:4]) <= s.last), None)
    if series is None:
        raise ValidationError(
            _(
                "We do not recognise the clearing number %(clearing)s. Check it with your "
                "bank, or give the account's IBAN instead."
            ),
            code="unknown_clearing_number",
            params={"clearing": clearing[:4]},
        )
    if series.first in (3300, 3782) and len(account) == 12 and account[:2] in ("19", "20"):
        account = account[2:]  # a personkonto typed as a 12-digit personnummer
    if len(account) > series.account_length:
        account = account.lstrip("0")  # zero-filled to 16 digits, as in payment files
    if not account or len(account) > series.account_length:
        raise ValidationError(
            _(
                "At %(bank)s the account number has at most %(length)s digits after the "
                "clearing number."
            ),
            code="invalid_length",
            params={"bank": series.bank, "length": series.account_length},
        )
    account = account.zfill(series.account_length)
    if not series.passes(clearing[:4], account):
        if series.first == 8000:
            # Bankgirot: "as a rule" mod 10; a few very old accounts have no check digit.
            raise ValidationError(
                _(
                    "The check digit is wrong: check the number for a typing mistake. If "
                    "your bank confirms the number is right, give the account's IBAN "
                    "instead."
                ),
                code="invalid_checksum",
            )
        raise _check_digit_error()
    if clearing.startswith("8"):
        clearing = clearing[:4] + luhn.calc_check_digit(clearing[:4])
    return BankAccount(bank=series.bank, clearing=clearing, account=account)


def normalise_bank_account(value: str) -> str:
    """Return the bank account as ``CCCC-AAAAAAA`` (``CCCCC-…`` for Swedbank 8xxx-x)."""
    return str(parse_bank_account(value))


# IBAN and BIC -----------------------------------------------------------------------------


# python-stdnum's copy of the IBAN registry: country code -> BBAN layout.
_IBAN_COUNTRIES = numdb.get("iban")


def normalise_iban(value: str) -> str:
    """Return the IBAN in capitals without spaces, e.g. ``SE4550000000058398257466``."""
    number = iban.compact(value or "")
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]+", number):
        raise ValidationError(
            _(
                "An IBAN starts with the country's two letters and two check digits, "
                "followed by letters and digits, for example SE45 5000 0000 0583 9825 7466."
            ),
            code="invalid_characters",
        )
    if number.startswith("SE") and len(number) != 24:
        raise ValidationError(
            _("A Swedish IBAN has 24 characters: SE followed by 22 digits."),
            code="invalid_length",
        )
    if not _IBAN_COUNTRIES.info(number)[0][1]:
        raise ValidationError(
            _("The IBAN starts with %(country)s, which is not a country that uses IBAN."),
            code="invalid_country",
            params={"country": number[:2]},
        )
    try:
        iban.validate(number)
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(
            _("The IBAN's check digits are wrong: check the number for a typing mistake."),
            code="invalid_checksum",
        ) from None
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            _("The IBAN has the wrong length or layout for %(country)s."),
            code="invalid_length",
            params={"country": number[:2]},
        ) from None
    return number


def normalise_bic(value: str) -> str:
    """Return the BIC (SWIFT code) in capitals without spaces, e.g. ``ESSESESS``."""
    try:
        return bic.validate(value or "")
    except stdnum_exceptions.InvalidComponent:
        raise ValidationError(
            _("The BIC's country code (its 5th and 6th letters) does not exist."),
            code="invalid_country",
        ) from None
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            _(
                "A BIC has 8 or 11 characters: four letters for the bank, two for the "
                "country, then letters or digits, for example ESSESESS."
            ),
            code="invalid_bic",
        ) from None


def validate_bic(value: str) -> None:
    """Raise ValidationError unless the value is a valid BIC."""
    normalise_bic(value)


# Payout accounts --------------------------------------------------------------------------

_PAYOUT_NORMALISERS = {
    "bankgiro": normalise_bankgiro,
    "plusgiro": normalise_plusgiro,
    "bank_account": normalise_bank_account,
    "iban": normalise_iban,
}


def normalise_payout_number(kind: str, number: str) -> str:
    """Return the payout account number in its stored form for its kind."""
    normalise = _PAYOUT_NORMALISERS.get(kind)
    if normalise is None:
        raise ValidationError(
            _("Choose how the grant is to be paid: Bankgiro, Plusgiro, bank account or IBAN."),
            code="invalid_kind",
        )
    return normalise(number)

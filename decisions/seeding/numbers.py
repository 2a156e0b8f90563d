"""Valid Swedish identifiers for invented organisations: org numbers, personnummer, accounts.

Every number is built with its real check digit (Luhn, the banks' mod 11, IBAN mod 97) and then
passed through ``organisations.validators``, so the seed never stores a number the application
itself would refuse.
"""

import random
from datetime import date, timedelta

from stdnum import iban as stdnum_iban
from stdnum import luhn

from organisations import validators

#: The first three digits of organisation numbers by type. The first digit is Bolagsverket's
#: group (2 public bodies, 5 limited companies, 7 economic associations, 8 non-profit
#: associations and foundations, 9 partnerships); the third is 2 or more, as for every legal
#: person.
ORG_NUMBER_PREFIXES = {
    "association": ["802", "802", "802", "817", "893"],
    "study_association": ["802", "817"],
    "library": ["212", "232"],
    "foundation": ["802", "835", "897"],
    "municipality": ["212"],
    "economic_association": ["769", "716"],
    "company": ["556", "559"],
    "other": ["802", "252", "969"],
}

#: Clearing series a seeded bank account is drawn from: (first, last, account length, rule).
#: The rules follow ``organisations.validators``: "type1" weighs the last three clearing digits
#: and the account (mod 11), "mod11" the account alone, "luhn" the account alone (mod 10).
BANK_SERIES = [
    (5000, 5999, 7, "type1"),  # SEB
    (6000, 6999, 9, "mod11"),  # Handelsbanken
    (8000, 8999, 10, "luhn"),  # Swedbank (printed with a fifth clearing digit)
    (3000, 3299, 7, "type1"),  # Nordea
    (9570, 9579, 10, "luhn"),  # Sparbanken Syd
]

#: IBAN bank codes and BICs of Swedish banks, and a few neighbouring countries' banks.
SWEDISH_IBAN_BANKS = [
    ("500", "ESSESESS"),
    ("800", "SWEDSESS"),
    ("600", "HANDSESS"),
    ("300", "NDEASESS"),
]
FOREIGN_IBANS = [("DE", 18, "DEUTDEFF"), ("FI", 14, "NDEAFIHH"), ("DK", 14, "DABADKKK")]


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def _formatted(body: str) -> str:
    """Return nine digits with their Luhn check digit as ``NNNNNN-NNNN``."""
    number = body + luhn.calc_check_digit(body)
    return f"{number[:6]}-{number[6:]}"


def org_number(rng: random.Random, org_type: str, taken: set[str]) -> str:
    """Return an organisation number of a legal person that is not in ``taken``, and add it."""
    while True:
        number = _formatted(rng.choice(ORG_NUMBER_PREFIXES[org_type]) + _digits(rng, 6))
        if number not in taken:
            taken.add(number)
            return number


def personnummer(rng: random.Random, taken: set[str]) -> str:
    """Return a valid personnummer (born 1950–2003) that is not in ``taken``, and add it."""
    first = date(1950, 1, 1)
    span = (date(2003, 12, 31) - first).days
    while True:
        born = first + timedelta(days=rng.randrange(span))
        number = _formatted(born.strftime("%y%m%d") + _digits(rng, 3))
        if number not in taken:
            taken.add(number)
            return number


def _mod11_check_digit(digits: str) -> str | None:
    """Return the digit that makes ``digits`` + it pass the banks' mod 11, or None if it is 10."""
    # The weights run 1, 2, ..., 10, 1, ... from the right; the check digit weighs 1.
    total = sum(int(d) * ((i + 1) % 10 + 1) for i, d in enumerate(reversed(digits)))
    check = -total % 11
    return None if check == 10 else str(check)


def bankgiro(rng: random.Random) -> str:
    """Return a Bankgiro number (7 or 8 digits with a Luhn check digit), as stored."""
    body = str(rng.randint(1, 9)) + _digits(rng, rng.choice([5, 6, 6, 6]))
    return validators.normalise_bankgiro(body + luhn.calc_check_digit(body))


def plusgiro(rng: random.Random) -> str:
    """Return a Plusgiro number (5–8 digits with a Luhn check digit), as stored."""
    body = str(rng.randint(1, 9)) + _digits(rng, rng.randint(3, 6))
    return validators.normalise_plusgiro(body + luhn.calc_check_digit(body))


def bank_account(rng: random.Random, personal_number: str | None = None) -> str:
    """Return a Swedish bank account as stored; a sole trader may have a Nordea personkonto."""
    if personal_number is not None:
        return validators.normalise_bank_account(f"3300, {personal_number.replace('-', '')}")
    while True:
        first, last, length, rule = rng.choice(BANK_SERIES)
        clearing = str(rng.randint(first, last))
        body = _digits(rng, length - 1)
        if rule == "luhn":
            check = luhn.calc_check_digit(body)
        elif rule == "mod11":
            check = _mod11_check_digit(body)
        else:
            check = _mod11_check_digit(clearing[1:] + body)
        if check is not None:
            return validators.normalise_bank_account(f"{clearing}, {body}{check}")


def iban(rng: random.Random, *, foreign: bool = False) -> tuple[str, str]:
    """Return an IBAN, as stored, and its bank's BIC: Swedish unless ``foreign``."""
    if foreign:
        country, length, bic = rng.choice(FOREIGN_IBANS)
        bban = _digits(rng, length)
    else:
        country = "SE"
        bank, bic = rng.choice(SWEDISH_IBAN_BANKS)
        bban = bank + _digits(rng, 17)
    check = stdnum_iban.calc_check_digits(f"{country}00{bban}")
    return validators.normalise_iban(f"{country}{check}{bban}"), bic

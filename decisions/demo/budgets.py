"""Balanced budgets for the demo's applications, shaped like those of their programme.

Costs equal other income plus the amount applied for, and other income covers more than the
programme's required co-financing share; every line is whole hundreds of kronor.
"""

import math
from decimal import Decimal

from decisions.demo.applications import (
    ARR,
    CIV,
    KUL_COMMITTEE,
    KUL_DECIDED,
    KUL_OPEN,
    VKU,
    ApplicationSpec,
)

MUNICIPALITY_NAMES = {
    "2303": "Ragunda kommun",
    "2305": "Bräcke kommun",
    "2309": "Krokoms kommun",
    "2313": "Strömsunds kommun",
    "2321": "Åre kommun",
    "2326": "Bergs kommun",
    "2361": "Härjedalens kommun",
    "2380": "Östersunds kommun",
}

_PROJECT_COSTS = [
    ("fees", "0.50", "Arvoden till medverkande konstnärer enligt MU-avtalet"),
    ("premises", "0.08", "Lokalhyra och scenteknik"),
    ("travel", "0.10", "Resor och logi för medverkande"),
    ("marketing", "0.08", "Marknadsföring, affischer och annonser"),
    ("material", "0.14", "Material och utrustning"),
    ("accessibility", "0.05", "Syntolkning, teckenspråkstolkning och hörslinga"),
    ("other_cost", "0.05", "Försäkringar och oförutsedda kostnader"),
]
_OPERATING_COSTS = [
    ("fees", "0.62", "Löner och arvoden inklusive sociala avgifter"),
    ("premises", "0.14", "Hyra för lokaler och förråd"),
    ("travel", "0.06", "Turnéresor och logi"),
    ("marketing", "0.05", "Marknadsföring och publikarbete"),
    ("material", "0.07", "Material, teknik och utrustning"),
    ("accessibility", "0.03", "Tillgänglighetsåtgärder"),
    ("other_cost", "0.03", "Administration, revision och försäkringar"),
]
_ASSOCIATION_COSTS = [
    ("fees", "0.45", "Arvoden till ledare och kulturpedagoger"),
    ("premises", "0.20", "Lokalhyra"),
    ("travel", "0.08", "Resor"),
    ("marketing", "0.05", "Information och marknadsföring"),
    ("material", "0.12", "Material"),
    ("accessibility", "0.05", "Tillgänglighetsåtgärder"),
    ("other_cost", "0.05", "Administration och försäkringar"),
]
_EVENT_COSTS = [
    ("fees", "0.55", "Arvoden till artister och medverkande"),
    ("premises", "0.15", "Lokalhyra, ljud och ljus"),
    ("travel", "0.12", "Resor och logi för artisterna"),
    ("marketing", "0.10", "Affischer och annonser"),
    ("accessibility", "0.04", "Hörslinga och tolkning"),
    ("other_cost", "0.04", "STIM-avgifter och försäkringar"),
]

# By call: the share of the costs financed by other income, the cost lines, the income lines.
_SHAPES = {
    KUL_DECIDED: ("0.30", _PROJECT_COSTS, "project"),
    KUL_OPEN: ("0.30", _PROJECT_COSTS, "project"),
    KUL_COMMITTEE: ("0.30", _PROJECT_COSTS, "project"),
    VKU: ("0.45", _OPERATING_COSTS, "operating"),
    CIV: ("0.25", _ASSOCIATION_COSTS, "association"),
    ARR: ("0.35", _EVENT_COSTS, "event"),
}


def _incomes(shape: str, municipality: str) -> list[tuple[str, str, str]]:
    funder = MUNICIPALITY_NAMES.get(municipality, "kommunen")
    return {
        "project": [
            ("own_contribution", "0.35", "Egen insats och medlemsavgifter"),
            ("other_funder", "0.45", f"Kulturbidrag från {funder}"),
            ("ticket_sales", "0.20", "Biljettintäkter"),
        ],
        "operating": [
            ("other_funder", "0.60", f"Verksamhetsbidrag från {funder}"),
            ("ticket_sales", "0.25", "Biljett- och entréintäkter"),
            ("sponsorship", "0.15", "Sponsring från lokala företag"),
        ],
        "association": [
            ("own_contribution", "0.60", "Medlemsavgifter och ideellt arbete"),
            ("other_funder", "0.40", f"Föreningsbidrag från {funder}"),
        ],
        "event": [
            ("ticket_sales", "0.60", "Biljettintäkter"),
            ("own_contribution", "0.40", "Egen insats"),
        ],
    }[shape]


def _split(total: int, parts: list[tuple[str, str, str]], kind: str) -> list[dict]:
    """Split ``total`` by the parts' shares in whole hundreds; the last part takes the rest."""
    lines = []
    remaining = total
    for index, (category, share, description) in enumerate(parts):
        if index == len(parts) - 1:
            amount = remaining
        else:
            amount = int(total * Decimal(share) / 100) * 100
            remaining -= amount
        lines.append(
            {"kind": kind, "category": category, "description": description, "amount": amount}
        )
    return lines


def budget_lines(spec: ApplicationSpec, municipality: str, *, revised: bool = False) -> list[dict]:
    """Return the budget lines of the application, or of its revision after a completion."""
    own_share, costs, shape = _SHAPES[spec.call]
    requested = spec.requested
    total = math.ceil(requested / (1 - float(own_share)) / 1000) * 1000
    lines = _split(total, costs, "cost") + _split(
        total - requested, _incomes(shape, municipality), "income"
    )
    if revised:
        # The applicant answers the officer by adding an accessibility line, financed by
        # voluntary work of the members.
        lines += [
            {
                "kind": "cost",
                "category": "accessibility",
                "description": "Hörslinga och ramp till dansbanan",
                "amount": 6000,
            },
            {
                "kind": "income",
                "category": "own_contribution",
                "description": "Ideellt arbete med rampen",
                "amount": 6000,
            },
        ]
    return [line | {"amount": Decimal(line["amount"])} for line in lines]

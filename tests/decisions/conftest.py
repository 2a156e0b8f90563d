"""Fixtures the deciding tests share."""

import pytest

from decisions import payments as payment_services
from grants.models import Programme
from tests import factories
from tests.factories import banking_day


@pytest.fixture
def organisation_b(applicant_b, finance):
    return factories.organisation(applicant_b, verified_by=finance, name="Krokoms filmklubb")


@pytest.fixture
def proposals(call, officer, organisation, organisation_b):
    """Three proposals of the call, for a committee: approve 150 000 kr, approve 60 000 of
    80 000 kr (organisation B's), reject."""
    return [
        factories.proposal(call, officer, requested="150000", organisation_obj=organisation),
        factories.proposal(
            call,
            officer,
            requested="80000",
            amount="60000",
            recommendation="approve_partly",
            organisation_obj=organisation_b,
        ),
        factories.proposal(call, officer, requested="40000", recommendation="reject"),
    ]


@pytest.fixture
def payable(approved):
    """The first instalment (80 %, on the decision) of the approved grant: 40 000 kr."""
    return approved.decision.payments.get(instalment=1)


@pytest.fixture
def planned(approved):
    """The last instalment (20 %, after the accepted report): 10 000 kr."""
    return approved.decision.payments.get(instalment=2)


@pytest.fixture
def batch(payable, finance):
    return payment_services.batch_create(
        actor=finance, payments=[payable], payment_date=banking_day()
    )


@pytest.fixture
def attested(batch, finance_2):
    return payment_services.batch_attest(batch=batch, actor=finance_2)


@pytest.fixture
def exported(attested, finance):
    return payment_services.batch_export(batch=attested, actor=finance)


@pytest.fixture
def on_request(programme, proposed, decider, delegation):
    """The second instalment of a grant whose programme pays half on requisition."""
    Programme.objects.filter(pk=programme.pk).update(
        payment_plan=[
            {"share": "0.5", "trigger": "on_decision"},
            {"share": "0.5", "trigger": "on_request"},
        ]
    )
    decision = factories.decide(proposed, decider)
    return decision.payments.get(instalment=2)

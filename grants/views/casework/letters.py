"""The letters of a case for staff: the decision letter and repayment letters (PDF).

The case is fetched with ``application_for_caseworker`` first, so jäv gets the case page's 403
and a draft or missing case 404 before anything of the letter is read.
"""

from django.views.decorators.http import require_safe

from decisions import selectors as decision_selectors
from decisions.delivery import letter_filename, repayment_letter_filename
from decisions.views.letters import letter_response
from grants import selectors
from grants.views.casework import caseworker_required


@caseworker_required
@require_safe
def decision_letter(request, pk: int):
    """Send the case's decision letter to a caseworker who may view the case."""
    application = selectors.application_for_caseworker(user=request.user, pk=pk)
    decision = decision_selectors.decision_for_case(application=application)
    return letter_response(decision.letter, filename=letter_filename(decision))


@caseworker_required
@require_safe
def repayment_letter(request, pk: int, claim_pk: int):
    """Send a repayment letter of the case to a caseworker who may view the case."""
    application = selectors.application_for_caseworker(user=request.user, pk=pk)
    claim = decision_selectors.repayment_claim_for_case(application=application, pk=claim_pk)
    return letter_response(claim.letter, filename=repayment_letter_filename(claim))

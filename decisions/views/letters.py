"""The applicant's letters: the decision letter and repayment letters (PDF).

``letter_response`` sends a stored letter; the staff views of a case's letters
(``grants.views.casework.letters``) use it too.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from decisions import selectors
from decisions.delivery import letter_filename, repayment_letter_filename


def letter_response(letter, *, filename: str) -> FileResponse:
    """Send a stored letter (a ``FieldFile``) inline as a PDF; 404 until it is stored.

    Not ``private_file_response``: its CSP sandbox stops the browser's PDF viewer showing the
    letter inline. The content is our own rendered PDF, never an upload.
    """
    if not letter:
        raise Http404
    try:
        handle = letter.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=False, filename=filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def letter(request, pk):
    """Send the decision letter (PDF) to a member of the organisation; 404 until it is produced."""
    decision = selectors.decision_for_applicant(user=request.user, pk=pk)
    return letter_response(decision.letter, filename=letter_filename(decision))


@login_required
@require_safe
def repayment_letter(request, pk, claim_pk):
    """Send a repayment letter (PDF) to a member of the organisation; 404 until it is produced."""
    claim = selectors.repayment_claim_for_applicant(user=request.user, decision_pk=pk, pk=claim_pk)
    return letter_response(claim.letter, filename=repayment_letter_filename(claim))

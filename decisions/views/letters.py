"""The applicant's decision pages: the decision letter."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from decisions import selectors


def letter_filename(decision) -> str:
    """Return the letter's file name, e.g. beslut-KUL-2026-0042.pdf."""
    case_number = decision.application.case_number or str(decision.pk)
    return "beslut-" + "-".join(case_number.replace("/", " ").split()) + ".pdf"


@login_required
@require_safe
def letter(request, pk):
    """Send the decision letter (PDF) to a member of the organisation; 404 until it is produced."""
    decision = selectors.decision_for_applicant(user=request.user, pk=pk)
    if not decision.letter:
        raise Http404
    try:
        handle = decision.letter.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=False,
        filename=letter_filename(decision),
        content_type="application/pdf",
    )
    # Not private_file_response: its CSP sandbox stops the browser's PDF viewer showing the
    # letter inline. The content is our own rendered PDF, never an upload.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

"""The worded parts of the letters: the built-in defaults and the administrators' own texts.

A letter takes a part from the programme's ``LetterText``, else from the one for every
programme, else from the default below in the letter's language. The texts are copied into the
decision's snapshot when the decision is made (``letter_texts_for``), so a letter re-rendered
years later says what the sent one said.
"""

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from decisions.models import LetterText
from grants.models import Programme

Part = LetterText.Part

#: The region's standard conditions for a grant (DESIGN §5.1), suggested for an approval.
STANDARD_CONDITIONS = _(
    "The grant may be used only for the activity described in the application. Major changes "
    "need the region's written approval in advance. Region Jämtland Härjedalen is to be named "
    "as a funder in all information and marketing about the activity. Participants and the "
    "audience are to be told about the accessibility of the activity."
)

REPORT_REQUIREMENTS = _(
    "The final report is submitted in Bidrag under My pages by a signatory of the "
    "organisation. It must contain:\n"
    "- what was done, compared with the application;\n"
    "- the number of participants by age group and gender;\n"
    "- the target groups and the municipalities the activity reached;\n"
    "- how the five perspectives (accessibility, the child and youth perspective, gender "
    "equality, equality, and the indigenous and minority perspective) were put into practice;\n"
    "- the actual costs and income, line by line, and how much of the grant was used.\n"
    "\n"
    "Money that was not used as decided is to be paid back. Ask the contact person below if "
    "the report cannot be submitted in time."
)

REPAYMENT_GROUNDS = _(
    "The region may claim the grant back, in full or in part, if:\n"
    "- the activity is not carried out, or is carried out to a substantially smaller extent "
    "than applied for;\n"
    "- the grant is used for something other than what it was granted for;\n"
    "- the grant was given on the basis of false or incomplete information;\n"
    "- the conditions of this decision are not met;\n"
    "- no final report is submitted, or it is not completed when asked."
)

APPEAL_MUNICIPAL_LAW = _(
    "This decision can be appealed by judicial review (laglighetsprövning) under chapter 13 of "
    "the Local Government Act (2017:725). Any member of the region may appeal. The court can "
    "only examine whether the decision was lawfully made, and can set it aside but not replace "
    "it with another decision.\n"
    "\n"
    "The appeal is made in writing to the Administrative Court in Härnösand "
    "(Förvaltningsrätten i Härnösand). It must have reached the court within three weeks of the "
    "day on which the region's official notice board announced that the minutes of the meeting "
    "that made the decision, or to which a decision made by delegation was reported, had been "
    "approved. State which decision is appealed and why it should be set aside, and include the "
    "case number."
)

APPEAL_ADMINISTRATIVE = _(
    "This decision can be appealed under sections 40–45 of the Administrative Procedure Act "
    "(2017:900). The appeal is made in writing and addressed to the Administrative Court in "
    "Härnösand (Förvaltningsrätten i Härnösand), but is sent to Region Jämtland Härjedalen, "
    "Box 654, 831 27 Östersund. It must have reached the region within three weeks of the day "
    "you were notified of this decision.\n"
    "\n"
    "State which decision is appealed, for example by its case number, how you want the "
    "decision changed, and why. The region first checks that the appeal arrived in time and "
    "considers whether to change the decision itself; if it does not, the appeal is passed on "
    "to the court."
)

DEFAULTS = {
    Part.CONDITIONS: STANDARD_CONDITIONS,
    Part.REPORT: REPORT_REQUIREMENTS,
    Part.REPAYMENT: REPAYMENT_GROUNDS,
}
APPEAL_DEFAULTS = {
    Programme.AppealKind.MUNICIPAL_LAW: APPEAL_MUNICIPAL_LAW,
    Programme.AppealKind.ADMINISTRATIVE: APPEAL_ADMINISTRATIVE,
}


def default_text(*, part: str, language: str, appeal_kind: str = "") -> str:
    """Return the built-in text of a part of the letter, in ``language``."""
    if part == Part.APPEAL:
        text = APPEAL_DEFAULTS.get(appeal_kind, APPEAL_MUNICIPAL_LAW)
    else:
        text = DEFAULTS[part]
    with translation.override(language):
        return str(text)


def letter_texts_for(*, programme: Programme, language: str) -> dict[str, str]:
    """Return every worded part of the letter for ``programme`` in ``language`` (one query)."""
    own = {}
    for text in LetterText.objects.filter(language=language).filter(
        Q(programme=programme) | Q(programme__isnull=True)
    ):
        # The programme's own text wins over the one for every programme.
        if text.programme_id is not None or text.part not in own:
            own[text.part] = text.text.strip()
    return {
        part: own.get(part)
        or default_text(part=part, language=language, appeal_kind=programme.appeal_kind)
        for part in Part.values
    }


def standard_conditions(*, programme: Programme, language: str) -> str:
    """Return the standard conditions to suggest for a grant in ``programme``."""
    return letter_texts_for(programme=programme, language=language)[Part.CONDITIONS]

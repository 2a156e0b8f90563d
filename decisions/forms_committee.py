"""The committee page's form: the proposals of one call, and the meeting that decided them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from decisions.committee import COMMITTEE_BODY
from decisions.services import CommitteeMeeting
from grants.forms import DateInput
from grants.models import Application
from grants.workflow import ApplicationState


class CommitteeDecisionForm(forms.Form):
    """What the secretary records; ``decisions.services.committee_decide`` checks the rest.

    Any submitted case of the call is a valid choice, so that a case that is no longer a
    proposal, or one the secretary has jäv for, is refused by the service with its case number.
    """

    applications = forms.ModelMultipleChoiceField(
        label=_("Proposals to decide"),
        queryset=Application.objects.none(),
        error_messages={
            "required": _("Choose at least one proposal."),
            "invalid_choice": _("Choose proposals of this call only."),
            "invalid_pk_value": _("Choose proposals of this call only."),
        },
    )
    body = forms.CharField(
        label=_("Committee"),
        max_length=200,
        initial=COMMITTEE_BODY,
        error_messages={"required": _("Give the committee that decided.")},
    )
    meeting_date = forms.DateField(
        label=_("Meeting date"),
        widget=DateInput(),
        help_text=_("The day of the meeting that decided; it cannot be in the future."),
        error_messages={
            "required": _("Give the date of the meeting."),
            "invalid": _("Give the date of the meeting as year-month-day, e.g. 2026-11-19."),
        },
    )
    paragraph = forms.CharField(
        label=_("Minutes §"),
        max_length=20,
        help_text=_("The paragraph of the minutes that records the decision, e.g. § 87."),
        error_messages={"required": _("Give the § of the minutes that records the decision.")},
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = (
            Application.objects.filter(call=call)
            .exclude(state=ApplicationState.DRAFT)
            .select_related("organisation", "assessment__officer")
        )

    def meeting(self) -> CommitteeMeeting:
        """Return the meeting as typed; call only when the form is valid."""
        data = self.cleaned_data
        return CommitteeMeeting(
            body=data["body"], meeting_date=data["meeting_date"], paragraph=data["paragraph"]
        )

    def selected(self) -> set[str]:
        """Return the primary keys of the ticked cases as submitted (or as initially ticked)."""
        if self.is_bound:
            return set(self.data.getlist(self.add_prefix("applications")))
        return {str(pk) for pk in self.initial.get("applications", [])}

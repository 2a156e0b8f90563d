"""What applicant A meets on My pages besides its cases: messages, a request to join, an invitation.

Written through the same services as the pages use, after the cases have reached their states.
"""

from typing import TYPE_CHECKING

from grants import services as grant_services
from grants.workflow import ApplicationState as S
from organisations import services as organisation_services

if TYPE_CHECKING:
    from decisions.demo.builder import DemoBuilder

APPLICANT_A = "applicant-a@example.org"
ORGANISATION_A = "storsjoljus"

#: (officer's question, applicant's answer or "" when the officer still waits for one).
CONVERSATIONS = {
    S.UNDER_REVIEW: (
        "Hej! Vi har börjat läsa er ansökan. Kommer föreställningarna att teckentolkas, och "
        "finns det i så fall med i budgeten?",
        "Hej! Ja, två av föreställningarna teckentolkas. Kostnaden ligger under "
        "tillgänglighetsåtgärder i budgeten.",
    ),
    S.COMPLETION_REQUESTED: (
        "Hör gärna av er här om något i begäran om komplettering är oklart.",
        "",
    ),
    S.APPROVED: (
        "Grattis till beslutet! Glöm inte att regionens logotyp ska finnas med på affischerna.",
        "Tack! Vi skickar med en bild på affischen i slutredovisningen.",
    ),
}


def write_portal_activity(demo: "DemoBuilder") -> None:
    """Write messages in A's open cases, a pending request to join A and an open invitation."""
    applicant = demo.user(APPLICANT_A)
    organisation = demo.organisation(ORGANISATION_A)
    written = set()
    for application in organisation.applications.select_related("assigned_officer").order_by("pk"):
        conversation = CONVERSATIONS.get(application.state)
        if conversation is None or application.state in written:
            continue
        officer = application.assigned_officer
        if officer is None:
            continue
        written.add(application.state)
        question, answer = conversation
        grant_services.case_message_send(application=application, actor=officer, body=question)
        if answer:
            grant_services.case_message_send(application=application, actor=applicant, body=answer)
    organisation_services.join_request_create(
        organisation=organisation,
        actor=demo.user("lena.westin@example.org"),
        message="Hej! Jag är ny kassör i föreningen sedan årsmötet och behöver kunna se "
        "våra ansökningar.",
    )
    organisation_services.invitation_create(
        organisation=organisation,
        actor=applicant,
        email="sekreterare@storsjoljus.example.org",
        role="member",
    )
    demo.say(
        f"My pages of {organisation.name}: messages in {len(written)} cases, "
        "a request to join from lena.westin@example.org, an open invitation"
    )

"""Write one chunk of planned applications with their whole lifecycle and audit entries."""

from decisions.models import (
    Decision,
    FollowUpReport,
    Payment,
    PaymentBatch,
    PaymentBatchItem,
    RepaymentClaim,
)
from decisions.seeding.cases import build_case
from decisions.seeding.context import SeedContext
from decisions.seeding.decided import build_decision
from decisions.seeding.timeline import DECIDED, Plan
from grants.models import (
    Application,
    Assessment,
    Attachment,
    BudgetLine,
    CompletionRequest,
    CriterionScore,
)
from organisations.models import Membership, Organisation, PayoutAccount, User

#: The seeded tables, parents before children.
TABLES = [
    User,
    Organisation,
    Membership,
    PayoutAccount,
    Application,
    BudgetLine,
    Attachment,
    CompletionRequest,
    Assessment,
    CriterionScore,
    Decision,
    PaymentBatch,
    Payment,
    PaymentBatchItem,
    FollowUpReport,
    RepaymentClaim,
]


def write_chunk(ctx: SeedContext, plans: list[Plan]) -> None:
    """Build the chunk's rows in memory, write them table by table, then audit them."""
    for plan in plans:
        case = build_case(ctx, plan)
        if plan.state in DECIDED:
            build_decision(ctx, case)
        case.application.updated_at = case.last_event
    ctx.tables.flush()
    ctx.tables.add("audit.LogEntry", ctx.trail.write())

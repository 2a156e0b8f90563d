"""Reads the pages need, limited to what the user may see (STYLE rule 2)."""

from dataclasses import dataclass
from math import ceil

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from grants import permissions
from grants.models import (
    Application,
    Call,
    CaseMessage,
    CompletionRequest,
    ConflictOfInterest,
    InternalNote,
)
from grants.workflow import UNDECIDED_STATES, ApplicationState
from organisations.models import Membership


def calls_open(*, at=None) -> QuerySet[Call]:
    """Return the calls that accept applications now, soonest closing first."""
    at = at or timezone.now()
    return (
        Call.objects.filter(opens_at__lte=at, closes_at__gt=at, programme__is_active=True)
        .select_related("programme")
        .order_by("closes_at")
    )


def applications_for_applicant(*, user) -> QuerySet[Application]:
    """Return the applications of the organisations the user acts for, newest first."""
    if not user.is_authenticated:
        return Application.objects.none()
    return (
        Application.objects.filter(organisation__memberships__user=user)
        .select_related("organisation", "call__programme")
        .order_by("-updated_at")
    )


def application_for_applicant(*, user, pk: int) -> Application:
    """Return one application of the user's organisations; a missing and a forbidden one are 404."""
    return get_object_or_404(applications_for_applicant(user=user), pk=pk)


def applications_for_dashboard(*, user) -> QuerySet[Application]:
    """Return the user's applications with their decision, the open completion request's due
    date (``open_request_due``) and the region's unread messages (``unread_messages``)."""
    open_request_due = CompletionRequest.objects.filter(
        application=OuterRef("pk"), answered_at__isnull=True
    ).values("due_date")[:1]
    unread = (
        CaseMessage.objects.filter(
            application=OuterRef("pk"), from_staff=True, read_at__isnull=True
        )
        .order_by()
        .values("application")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        applications_for_applicant(user=user)
        .select_related("decision")
        .annotate(
            open_request_due=Subquery(open_request_due),
            unread_messages=Coalesce(Subquery(unread), Value(0), output_field=IntegerField()),
        )
    )


# The officer workspace (/handlaggning/)


class ConflictDenied(PermissionDenied):
    """The user has jäv for the case's organisation: the page shows that, and nothing else."""


def conflict_organisation_ids(*, user) -> set[int]:
    """Return the organisations the user has jäv for: declared, or by being a member."""
    declared = ConflictOfInterest.objects.filter(user=user).values_list("organisation_id")
    member = Membership.objects.filter(user=user).values_list("organisation_id")
    return {organisation_id for (organisation_id,) in declared.union(member)}


def applications_for_caseworker(
    *, user, conflicts: set[int] | None = None
) -> QuerySet[Application]:
    """Return the submitted applications a caseworker may open: every case except drafts and
    those of organisations the user has jäv for. Anyone else gets none."""
    if not permissions.is_caseworker(user):
        return Application.objects.none()
    if conflicts is None:
        conflicts = conflict_organisation_ids(user=user)
    return Application.objects.exclude(state=ApplicationState.DRAFT).exclude(
        organisation_id__in=conflicts
    )


def application_for_caseworker(*, user, pk: int) -> Application:
    """Return one case for the officer workspace.

    A missing case, a draft, and any case for someone who is not a caseworker are 404. A case
    the user has jäv for raises ``ConflictDenied`` (403): the user knows of the jäv already, and
    the page tells nothing of the case.
    """
    if not permissions.is_caseworker(user):
        raise PermissionDenied(_("This page is for the region's culture officers."))
    application = get_object_or_404(
        Application.objects.exclude(state=ApplicationState.DRAFT).select_related(
            "organisation", "call__programme", "assigned_officer", "author"
        ),
        pk=pk,
    )
    if permissions.has_conflict(user, application.organisation):
        raise ConflictDenied(
            _(
                "You have a conflict of interest (jäv) for this case's organisation, so you "
                "cannot see or handle the case."
            )
        )
    return application


# Handling a case (issue 4, helper C): whom a case can be given to.


def officers_for_case(*, application: Application) -> QuerySet:
    """Return the active culture officers who may handle the case, by name: holders of the
    handle permission (through a group or their own) without jäv for its organisation."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    from organisations.models import User

    app_label, codename = permissions.HANDLE.split(".")
    handle = Permission.objects.filter(codename=codename, content_type__app_label=app_label)
    by_group = User.objects.filter(groups__permissions__in=handle).values("pk")
    by_user = User.objects.filter(user_permissions__in=handle).values("pk")
    organisation_id = application.organisation_id
    declared = ConflictOfInterest.objects.filter(organisation_id=organisation_id)
    members = Membership.objects.filter(organisation_id=organisation_id)
    return (
        User.objects.filter(Q(pk__in=by_group) | Q(pk__in=by_user), is_active=True)
        .exclude(pk__in=declared.values("user_id"))
        .exclude(pk__in=members.values("user_id"))
        .order_by("full_name", "email")
    )


# The case page


def case_thread(*, application: Application) -> QuerySet[CaseMessage]:
    """Return the messages of the case with their senders, oldest first."""
    return application.messages.select_related("sender").order_by("created_at", "id")


def internal_notes_of(*, application: Application) -> QuerySet[InternalNote]:
    """Return the staff's notes in the case with their authors, oldest first."""
    return application.internal_notes.select_related("author").order_by("created_at", "id")


def completion_requests_of(*, application: Application) -> QuerySet[CompletionRequest]:
    """Return the completion requests of the case and who asked and answered, oldest first."""
    requests = application.completion_requests.select_related("requested_by", "answered_by")
    return requests.order_by("requested_at", "id")


def other_applications_of(*, application: Application) -> QuerySet[Application]:
    """Return the organisation's other submitted applications, newest first, each with its call,
    programme, decision and follow-up report (reverse relations: grants does not import
    decisions)."""
    return (
        Application.objects.filter(organisation_id=application.organisation_id)
        .exclude(pk=application.pk)
        .exclude(state=ApplicationState.DRAFT)
        .select_related("call__programme", "decision", "decision__follow_up_report")
        .annotate(report_request_due=Subquery(_open_report_request().values("due_date")[:1]))
        .order_by("-submitted_at", "-id")
    )


# Final reports owed to the region. The reports are the decisions app's; grants reaches them
# through the reverse relations, by name.

#: The states in which the grantee owes the region its final report: not yet submitted, or to
#: be completed after the officer's request.
REPORT_OWED_STATES = (ApplicationState.APPROVED, ApplicationState.REPORT_COMPLETION_REQUESTED)


def _open_report_request() -> QuerySet[CompletionRequest]:
    return CompletionRequest.objects.filter(
        application=OuterRef("pk"),
        subject=CompletionRequest.Subject.REPORT,
        answered_at__isnull=True,
    )


def report_due_date() -> Case:
    """Return the date by which a case's final report is owed: the open completion request's
    due date when the officer asked for the report to be completed, else the report's own; NULL
    when no report is owed."""
    return Case(
        When(
            state=ApplicationState.REPORT_COMPLETION_REQUESTED,
            then=Subquery(_open_report_request().values("due_date")[:1]),
        ),
        When(state=ApplicationState.APPROVED, then=F("decision__follow_up_report__due_date")),
        default=None,
        output_field=DateField(),
    )


def report_overdue(*, today) -> Q:
    """Return the condition "the case's final report is owed and its due date (the completion
    request's, when one is open) has passed"."""
    return Q(state__in=REPORT_OWED_STATES) & (
        Q(state=ApplicationState.APPROVED, decision__follow_up_report__due_date__lt=today)
        | Q(
            Exists(_open_report_request().filter(due_date__lt=today)),
            state=ApplicationState.REPORT_COMPLETION_REQUESTED,
        )
    )


# The queue


#: The columns each ``?sort=`` key orders by (see ``grants.filters.SORTS``), before the primary
#: key that makes every order total: a page then holds the same cases whichever end it is read from.
QUEUE_SORT_COLUMNS = {
    "submitted": ["submitted_at", "pk"],
    "case_number": ["case_number"],  # unique
    "organisation": ["organisation__name", "pk"],
    "amount": ["requested_amount", "pk"],
    "state": [
        Case(
            *(When(state=state, then=Value(rank)) for rank, state in enumerate(ApplicationState)),
            output_field=IntegerField(),
        ),
        "pk",
    ],
}

#: Columns sorted as the queue's index on them is, with NULLs first when ascending and last when
#: descending. (No listed case lacks a submission date; the drafts in the model's own index
#: on it, which puts NULLs first in descending order, would have to be read past on every page.)
QUEUE_SORT_NULLS_FIRST = {"submitted_at"}

#: Up to this many matches, a search's page is read from the matching ids and sorted; with more,
#: by walking the sort order's index until the page is full, which then comes soon.
SEARCH_BY_IDS_UP_TO = 1000


@dataclass(frozen=True)
class QueueStateCount:
    """How many cases of the queue are in a state."""

    state: str
    label: str
    count: int


@dataclass(frozen=True)
class QueuePage:
    """One page of the case queue, with the figures the page shows around it."""

    cases: list[Application]
    number: int
    per_page: int
    #: The cases that match every filter.
    total: int
    #: Cases per state matching every filter but the state: in the order of the workflow, the
    #: states with cases and the one filtered by.
    state_counts: list[QueueStateCount]
    #: The case numbers, and nothing else, of the cases the user has jäv for.
    conflict_case_numbers: list[str]
    #: Granted cases whose final report is overdue, matching every filter but the state.
    overdue_reports: int = 0

    @property
    def num_pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def all_states_total(self) -> int:
        return sum(entry.count for entry in self.state_counts)

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.cases else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.cases)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def queue_ordering(sort: str) -> list:
    """Return the ``order_by`` of a ``?sort=`` value such as ``-amount``."""
    descending = sort.startswith("-")
    ordering = []
    for column in QUEUE_SORT_COLUMNS[sort.removeprefix("-")]:
        expression = F(column) if isinstance(column, str) else column
        if column in QUEUE_SORT_NULLS_FIRST:
            nulls = {"nulls_last": True} if descending else {"nulls_first": True}
        else:
            nulls = {}
        ordering.append(expression.desc(**nulls) if descending else expression.asc(**nulls))
    return ordering


def _page_number(value, num_pages: int) -> int:
    """Return the page asked for, the first when it is not a number, the last when beyond it."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), num_pages)


#: The key under which ``_count_by_state`` counts the cases whose final report is overdue.
OVERDUE_REPORTS = "overdue_reports"


def _count_by_state(*querysets, today) -> dict[str, int]:
    """Return the number of cases per state in the querysets together (they must not overlap),
    and under ``OVERDUE_REPORTS`` those whose final report is overdue, in one query."""
    grouped = []
    for queryset in querysets:
        grouped.append(queryset.order_by().values("state").annotate(count=Count("*")))
        grouped.append(
            queryset.filter(report_overdue(today=today))
            .order_by()
            .annotate(key=Value(OVERDUE_REPORTS))
            .values("key")
            .annotate(count=Count("*"))
        )
    rows = grouped[0].union(*grouped[1:], all=True).order_by()
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["state"]] = counts.get(row["state"], 0) + row["count"]
    return counts


def conflict_case_numbers(*, conflicts: set[int], call=None, programme=None) -> list[str]:
    """Return the case numbers, and nothing else, of the cases the user has jäv for."""
    cases = Application.objects.filter(
        organisation_id__in=conflicts, case_number__isnull=False
    ).exclude(state=ApplicationState.DRAFT)
    if call:
        cases = cases.filter(call_id=call)
    if programme:
        cases = cases.filter(call__programme_id=programme)
    return list(cases.order_by("case_number").values_list("case_number", flat=True))


def _queue_rows(
    matching, *, sort: str, start: int, end: int, total: int, today
) -> list[Application]:
    """Return the cases from ``start`` to ``end`` of ``total`` in the order ``sort``, with what
    a row of the queue shows: whether their open completion request is overdue, whether their
    final report is (``report_overdue``, ``report_due``, ``report_days_overdue``), and for a
    case not yet decided, an earlier case of the organisation whose report is overdue
    (``overdue_report_case``: its case number, or None)."""
    if start >= end:
        return []
    ordering = queue_ordering(sort)
    # The page's ids first, from the sort order's index alone (it holds the columns every
    # queue filters by), then their rows: skipping to a page then reads no rows before it.
    in_order = matching.order_by(*ordering).values("pk")
    if start > total // 2:
        # A page in the second half is read from the other end: the skip stays short.
        page_ids = in_order.reverse()[total - end : total - start]
    else:
        page_ids = in_order[start:end]
    open_request_due = CompletionRequest.objects.filter(
        application=OuterRef("pk"), answered_at__isnull=True
    ).values("due_date")[:1]
    overdue_of_organisation = (
        Application.objects.filter(organisation_id=OuterRef("organisation_id"))
        .filter(report_overdue(today=today))
        .order_by("submitted_at", "pk")
        .values("case_number")[:1]
    )
    rows = list(
        Application.objects.filter(pk__in=page_ids)
        .select_related("organisation", "call__programme", "assigned_officer")
        .only(
            "case_number",
            "title",
            "state",
            "requested_amount",
            "submitted_at",
            "organisation__name",
            "organisation__org_type",
            "call__title_sv",
            "call__title_en",
            "call__programme__name_sv",
            "call__programme__name_en",
            "assigned_officer__full_name",
        )
        .annotate(
            open_request_due=Subquery(open_request_due),
            report_due=report_due_date(),
            overdue_report_case=Case(
                When(state__in=UNDECIDED_STATES, then=Subquery(overdue_of_organisation)),
                default=None,
            ),
        )
        .order_by(*ordering)
    )
    for application in rows:
        due = application.open_request_due
        report_due = application.report_due
        application.report_overdue = report_due is not None and report_due < today
        application.report_days_overdue = (today - report_due).days if report_due else 0
        # A report's completion request overdue is shown as the report overdue, not twice.
        application.completion_overdue = (
            due is not None and due < today and not application.report_overdue
        )
    return rows


def applications_for_queue(*, user, filters, page=None) -> QueuePage:
    """Return one page of the case queue: the cases the user may see that match ``filters``
    (a bound ``grants.filters.QueueFilter``), sorted and paged as it says, with the open
    completion request's due date on each case (``open_request_due``).

    The cases the user has jäv for are not among them, so no filter, search or sort can reveal
    anything of them; only their case numbers are returned, apart. Applications withdrawn before
    they were submitted never reached the region and have no case number: they are left out.
    The number of queries is the same whatever the page size; there is no separate COUNT, the
    total is the sum of the counts per state, and the number of cases whose final report is
    overdue is counted in the same query.
    """
    today = timezone.localdate()
    conflicts = conflict_organisation_ids(user=user)
    cases = applications_for_caseworker(user=user, conflicts=conflicts).filter(
        case_number__isnull=False
    )
    narrowed = filters.filter_queryset(cases, exclude=["state", "q"])
    state = filters.value("state")
    search = filters.search_parts()
    if search is None:
        counts = _count_by_state(narrowed, today=today)
    else:
        # A search counted in two parts that do not overlap, each from its own index: the
        # cases of matching organisations, and the others whose own fields match.
        of_organisations = narrowed.filter(organisation_id__in=search.organisations)
        of_own_only = narrowed.filter(search.own).exclude(organisation_id__in=search.organisations)
        counts = _count_by_state(of_organisations, of_own_only, today=today)
    overdue_reports = counts.pop(OVERDUE_REPORTS, 0)
    total = counts.get(state, 0) if state else sum(counts.values())
    labels = dict(ApplicationState.choices)
    state_counts = [
        QueueStateCount(value, labels[value], counts.get(value, 0))
        for value in ApplicationState.values
        if value in counts or value == state
    ]

    def in_state(queryset):
        return queryset.filter(state=state) if state else queryset

    if search is None:
        matching = in_state(narrowed)
    elif total <= SEARCH_BY_IDS_UP_TO:
        # Few matches: read them by id and sort them.
        ids = (
            in_state(of_organisations)
            .values("pk")
            .union(in_state(of_own_only).values("pk"), all=True)
        )
        matching = cases.filter(pk__in=ids)
    else:
        # Many: walk the sort order until the page is full.
        matching = in_state(narrowed).filter(
            search.own | Q(organisation_id__in=search.organisations)
        )

    per_page = filters.per_page
    number = _page_number(page, max(1, ceil(total / per_page)))
    start, end = (number - 1) * per_page, min(number * per_page, total)
    rows = _queue_rows(matching, sort=filters.sort, start=start, end=end, total=total, today=today)

    return QueuePage(
        cases=rows,
        number=number,
        per_page=per_page,
        total=total,
        state_counts=state_counts,
        conflict_case_numbers=conflict_case_numbers(
            conflicts=conflicts, call=filters.value("call"), programme=filters.value("programme")
        ),
        overdue_reports=overdue_reports,
    )

"""The statistics of granted support at /statistik/ (DESIGN §7): aggregates, never single cases.

A grant is a decision approving an application in full or in part (``Decision.GRANTING``), and it
belongs to the year of its decision date. The public sees how many grants were made and what they
amount to, by dimension; caseworkers also see what was decided and rejected, what was applied for
in the decided cases, and the approval rate. Rows never name an organisation or a person.

Every figure is summed in the database, in a fixed number of queries whatever the number of
applications: one query gives the year's figures by every dimension (the call, the organisation's
municipality and type, and the application's lists: target groups, municipalities of the
activity, perspectives, Agenda 2030 goals; programme and strategy area are summed from the
calls), one the years, and two (three for staff) the budget of each call.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from decisions.models import Decision, Payment
from decisions.workflow import PaymentState
from grants.models import Application, Call, Perspective, Programme, StrategyArea, TargetGroup
from grants.steps import AGENDA_2030_GOALS
from organisations.models import Municipality, Organisation

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


@dataclass
class Row:
    """One line of a table: a value of the dimension and what was decided under it.

    ``decided``, ``requested`` and the figures derived from them are None in the public's
    statistics, which count grants only.
    """

    key: str
    label: str
    grants: int = 0
    granted: Decimal = ZERO
    decided: int | None = None
    requested: Decimal | None = None
    share: Decimal = ZERO

    def add(self, *, grants: int, granted, decided: int | None, requested) -> None:
        self.grants += grants
        self.granted += _money(granted)
        if decided is not None:
            self.decided = (self.decided or 0) + decided
            self.requested = (self.requested or ZERO) + _money(requested)

    @property
    def rejected(self) -> int | None:
        return None if self.decided is None else self.decided - self.grants

    @property
    def approval_rate(self) -> Decimal | None:
        """Return the share of the decided applications that were granted, in per cent."""
        if not self.decided:
            return None
        return (Decimal(self.grants) * 100 / self.decided).quantize(Decimal("0.1"))


@dataclass
class Table:
    """A dimension's rows, with what the chart beside them needs (each row's share of the top)."""

    name: str
    title: str
    rows: list[Row]
    note: str = ""
    #: Whether a grant can count on several rows (a list of the application, such as its goals).
    overlapping: bool = False

    def __post_init__(self):
        top = max((row.granted for row in self.rows), default=ZERO)
        for row in self.rows:
            row.share = (row.granted * 100 / top).quantize(CENT) if top else ZERO


@dataclass
class CallBudget:
    """A call's budget against what the year's decisions granted in it and what is paid of it."""

    call_id: int
    title: str
    programme: str
    budget: Decimal
    granted: Decimal = ZERO
    paid: Decimal = ZERO
    #: Staff only: the applications submitted to the call.
    received: int | None = None
    share: Decimal = field(init=False, default=ZERO)
    paid_share: Decimal = field(init=False, default=ZERO)

    def __post_init__(self):
        self.update()

    def update(self) -> None:
        if self.budget:
            self.share = (self.granted * 100 / self.budget).quantize(Decimal("0.1"))
            self.paid_share = (self.paid * 100 / self.budget).quantize(Decimal("0.1"))

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.granted


#: The tables of the page, in the order it shows them: name (as in the CSV's address) and title.
TABLES = {
    "strategy-area": _("Strategy area"),
    "programme": _("Programme"),
    "call": _("Call"),
    "organisation-municipality": _("Municipality of the organisation"),
    "activity-municipality": _("Municipality of the activity"),
    "organisation-type": _("Type of organisation"),
    "target-group": _("Target group"),
    "perspective": _("Perspective"),
    "agenda-goal": _("Agenda 2030 goal"),
    "year": _("Year"),
}
BUDGET = "budget"
BUDGET_TITLE = _("Budget used per call")


def _money(value) -> Decimal:
    """Return a sum from the database as kronor with two decimals (SQLite sums as a float)."""
    if value is None:
        return ZERO
    if isinstance(value, float):
        value = repr(value)
    return Decimal(value).quantize(CENT)


def _new_year(year: int) -> datetime:
    return timezone.make_aware(datetime(year, 1, 1))


def _localised(sv: str, en: str) -> str:
    return en if get_language() == "en" else sv


def statistics_years() -> list[int]:
    """Return the years from the first decision to the last, latest first; empty without any."""
    span = Decision.objects.aggregate(first=Min("decision_date"), last=Max("decision_date"))
    if span["first"] is None:
        return []
    return list(range(span["last"].year, span["first"].year - 1, -1))


def statistics_programmes() -> list[Programme]:
    """Return the programmes to filter by, in the order of their Swedish names."""
    return list(Programme.objects.only("id", "name_sv", "name_en").order_by("name_sv", "pk"))


#: How long computed figures are kept (seconds). A new decision or payment shows at once (it
#: changes ``data_version``); an edit of a call's budget or an organisation's municipality shows
#: within this time.
CACHE_SECONDS = 600


def data_version() -> str:
    """Return what changes whenever a decision is made or a payment is paid: the number of
    decisions, the latest decision's id and the number of paid payments. One small query."""
    decisions = Decision._meta.db_table
    payments = Payment._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {decisions}), (SELECT MAX(id) FROM {decisions}), "  # noqa: S608
            f"(SELECT COUNT(*) FROM {payments} WHERE state = %s)",
            [PaymentState.PAID],
        )
        return "-".join(str(value) for value in cursor.fetchone())


class Statistics:
    """The figures of one year (and optionally one programme), as the public or staff may see them.

    The year's figures by every dimension come from one query (``_groups``), the years' from
    another, the budget of the calls from two (three for staff); each is run the first time a
    table needs it, so a CSV runs only what its table needs.
    """

    def __init__(self, *, year: int, programme: Programme | None = None, staff: bool = False):
        self.year = year
        self.programme = programme
        self.staff = staff

    @cached_property
    def _version(self) -> str:
        return data_version()

    def _cached(self, name: str, compute):
        """Return what ``compute`` returns (plain data, from the database), kept in the cache
        for this year, programme and audience until the data changes (``data_version``) or
        ``CACHE_SECONDS`` have passed."""
        programme = self.programme.pk if self.programme is not None else "all"
        audience = "staff" if self.staff else "public"
        key = f"statistics:{self._version}:{name}:{self.year}:{programme}:{audience}"
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, CACHE_SECONDS)
        return value

    # What is counted

    def _decisions(self, *, whole_period: bool = False):
        """Return the decisions counted: the year's (or every year's), of the programme if one
        is chosen; the public's statistics count grants only."""
        decisions = Decision.objects.order_by()
        if not whole_period:
            decisions = decisions.filter(
                decision_date__gte=date(self.year, 1, 1),
                decision_date__lt=date(self.year + 1, 1, 1),
            )
        if self.programme is not None:
            decisions = decisions.filter(application__call__programme=self.programme)
        if not self.staff:
            decisions = decisions.filter(outcome__in=Decision.GRANTING)
        return decisions

    def _rows(self, labels: Iterable[tuple]) -> dict[str, Row]:
        rows = {str(key): Row(key=str(key), label=str(label)) for key, label in labels}
        if self.staff:
            for row in rows.values():
                row.decided, row.requested = 0, ZERO
        return rows

    def _add(self, row: Row, figures: dict) -> None:
        row.add(
            grants=figures["grants"],
            granted=figures["granted"],
            decided=figures.get("decided"),
            requested=figures.get("requested"),
        )

    # The year's figures by every dimension: one query

    @cached_property
    def _groups(self) -> dict[str, dict[str, dict]]:
        """Return the year's figures by dimension and by value (``_count_groups``), cached."""
        return self._cached("groups", self._count_groups)

    def _count_groups(self) -> dict[str, dict[str, dict]]:
        """Return the year's figures by dimension and by value: {"call": {"12": {...}}, ...}.

        The year's decisions are common tables, one with their call, organisation and the lists
        of their applications (read from the index of migration grants 0006 alone) and one with
        the applicant's perspectives (read from the table). Each dimension is grouped by its
        value, the lists unnested first, and the groups put together with UNION ALL: one pass
        over the year's decisions. PostgreSQL unnests with jsonb_array_elements_text
        (jsonb_each_text for the perspectives, keeping those the applicant wrote something for),
        SQLite with json_each.
        """
        figures = ["outcome", "amount", "requested_amount"]
        columns = {
            "call_id": "application__call_id",
            "organisation_municipality": "application__organisation__municipality",
            "organisation_type": "application__organisation__org_type",
            "target_groups": "application__target_groups",
            "municipalities": "application__municipalities",
            "agenda_goals": "application__agenda_goals",
        }
        counted = self._decisions().values_list(*figures, *columns.values())
        # The perspectives by a lookup per decision: the year's few thousand rows of the wide
        # application table, rather than a scan of all of it.
        texts = (
            Application.objects.filter(pk=OuterRef("application_id"))
            .order_by()
            .values("perspectives")
        )
        described = self._decisions().values_list(*figures, Subquery(texts))
        tables, params = [], ()
        for name, base, names in (
            ("counted", counted, [*figures, *columns]),
            ("described", described, [*figures, "perspectives"]),
        ):
            base_sql, base_params = base.query.sql_with_params()
            # Each read once (PostgreSQL would otherwise repeat a lookup for each use of it).
            materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
            tables.append(f"{name} ({', '.join(names)}) AS {materialized}({base_sql})")
            params = (*params, *base_params)
        granting = ", ".join("%s" for _outcome in Decision.GRANTING)
        sums = (
            f"SUM(CASE WHEN outcome IN ({granting}) THEN 1 ELSE 0 END), SUM(amount), COUNT(*), "
            "SUM(requested_amount)"
        )
        parts = [
            # The columns: one group per call, municipality and type of organisation.
            f"SELECT 'columns', CAST(call_id AS TEXT), organisation_municipality, "  # noqa: S608
            f"organisation_type, {sums} FROM counted "
            "GROUP BY call_id, organisation_municipality, organisation_type",
            # The lists: one group per list and value.
            f"SELECT dimension, item, NULL, NULL, {sums} FROM {_unnest_lists()} "  # noqa: S608
            "GROUP BY dimension, item",
            f"SELECT 'perspectives', item, NULL, NULL, {sums} FROM {_unnest_keys()} "  # noqa: S608
            "GROUP BY item",
        ]
        params = (*params, *(Decision.GRANTING * 3))
        sql = f"WITH {', '.join(tables)} {' UNION ALL '.join(parts)}"
        if connection.vendor == "postgresql":
            # The planner guesses 100 values for each unnested list, which prices the query
            # high enough for JIT compilation; compiling takes longer than the query itself.
            # One query string is one transaction, so the setting ends with the query.
            sql = f"SET LOCAL jit = off; {sql}"
        groups: dict[str, dict[str, dict]] = {}
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for part, item, municipality, org_type, *found in cursor.fetchall():
                grants, granted, decided, requested = found
                figures = {"grants": grants, "granted": granted}
                if self.staff:
                    figures |= {"decided": decided, "requested": requested}
                if part == "columns":
                    # Roll the groups up by each of the three columns.
                    for dimension, value in (
                        ("call_id", item),
                        ("organisation_municipality", municipality),
                        ("organisation_type", org_type),
                    ):
                        _accumulate(groups.setdefault(dimension, {}), str(value), figures)
                else:
                    _accumulate(groups.setdefault(part, {}), str(item), figures)
        return groups

    def _by(self, dimension: str, labels: Iterable[tuple]) -> list[Row]:
        """Return a row for each of ``labels`` (figures or not) and for any other value found."""
        rows = self._rows(labels)
        for item, figures in self._groups.get(dimension, {}).items():
            row = rows.get(item)
            if row is None:
                # A value no longer offered (an old code): shown as stored rather than dropped.
                row = rows[item] = self._rows([(item, item)])[item]
            self._add(row, figures)
        return list(rows.values())

    @cached_property
    def _calls(self) -> dict[int, Call]:
        """Return the calls with decisions in the year, with their programmes."""
        ids = [int(call_id) for call_id in self._groups.get("call_id", {})]
        return Call.objects.select_related("programme").in_bulk(ids)

    def _call_rows(self) -> list[Row]:
        rows = self._by("call_id", [(pk, call.title) for pk, call in self._calls.items()])
        return sorted(rows, key=lambda row: (-row.granted, row.label))

    def _programme_rows(self) -> list[Row]:
        rows: dict[str, Row] = {}
        for call_row in self._call_rows():
            programme = self._calls[int(call_row.key)].programme
            key = str(programme.pk)
            row = rows.get(key) or rows.setdefault(key, self._rows([(key, programme.name)])[key])
            self._add(row, vars(call_row))
        return sorted(rows.values(), key=lambda row: (-row.granted, row.label))

    def _strategy_area_rows(self) -> list[Row]:
        rows = self._rows(StrategyArea.choices)
        for call_row in self._call_rows():
            area = self._calls[int(call_row.key)].programme.strategy_area
            row = rows.get(area) or rows.setdefault(area, self._rows([(area, area)])[area])
            self._add(row, vars(call_row))
        return list(rows.values())

    # The years: every year's figures, of the programme if one is chosen

    @cached_property
    def _year_rows(self) -> list[Row]:
        rows = []
        for group in self._cached("years", self._count_years):
            row = self._rows([(group["year"], group["year"])])[str(group["year"])]
            if not self.staff:
                group = {"grants": group["grants"], "granted": group["granted"]}
            self._add(row, group)
            rows.append(row)
        return rows

    def _count_years(self) -> list[dict]:
        groups = (
            self._decisions(whole_period=True)
            .annotate(year=ExtractYear("decision_date"))
            .values("year")
            .annotate(
                grants=Count("pk", filter=Q(outcome__in=Decision.GRANTING)),
                granted=Sum("amount"),
                decided=Count("pk"),
                requested=Sum("requested_amount"),
            )
            .order_by("year")
        )
        return list(groups)

    # The budget of each call with decisions in the year

    @cached_property
    def budget(self) -> list[CallBudget]:
        """Return the calls with decisions in the year, each with its budget, what the year's
        decisions granted in it and what is paid of those grants; for staff, also the
        applications the call received."""
        granted = self._groups.get("call_id", {})
        budgets = {
            call.pk: CallBudget(
                call_id=call.pk,
                title=call.title,
                programme=call.programme.name,
                budget=call.budget,
                granted=_money(granted[str(call.pk)]["granted"]),
                received=0 if self.staff else None,
            )
            for call in self._calls.values()
        }
        paid = self._cached(
            "paid",
            lambda: list(
                Payment.objects.filter(
                    decision__in=self._decisions().filter(outcome__in=Decision.GRANTING),
                    state=PaymentState.PAID,
                )
                .values_list("decision__application__call_id")
                .annotate(total=Sum("amount"))
                .order_by()
            ),
        )
        for call_id, total in paid:
            if call_id in budgets:
                budgets[call_id].paid = _money(total)
        if self.staff:
            received = self._cached(
                "received-by-call",
                lambda: list(
                    Application.objects.filter(
                        call_id__in=list(budgets), submitted_at__isnull=False
                    )
                    .values_list("call_id")
                    .annotate(count=Count("pk"))
                    .order_by()
                ),
            )
            for call_id, count in received:
                if call_id in budgets:
                    budgets[call_id].received = count
        for budget in budgets.values():
            budget.update()
        return sorted(budgets.values(), key=lambda budget: (-budget.budget, budget.title))

    # What the page shows

    @cached_property
    def total(self) -> Row:
        """Return the year's totals (from the figures by call: no query of its own)."""
        total = self._rows([("total", _("Total"))])["total"]
        for figures in self._groups.get("call_id", {}).values():
            self._add(total, figures)
        return total

    @cached_property
    def received(self) -> int | None:
        """Staff only: the applications submitted in the year (to the programme, if chosen)."""
        if not self.staff:
            return None
        applications = Application.objects.filter(
            submitted_at__gte=_new_year(self.year), submitted_at__lt=_new_year(self.year + 1)
        )
        if self.programme is not None:
            applications = applications.filter(call__programme=self.programme)
        return self._cached("received", applications.count)

    def table(self, name: str) -> Table:
        """Return the table called ``name`` (a key of ``TABLES``); KeyError for another name."""
        title = TABLES[name]
        build = {
            "strategy-area": lambda: (self._strategy_area_rows(), ""),
            "programme": lambda: (self._programme_rows(), ""),
            "call": lambda: (self._call_rows(), ""),
            "organisation-municipality": lambda: (
                self._by("organisation_municipality", Municipality.choices),
                _("Where the organisation has its seat, as it is registered today."),
            ),
            "activity-municipality": lambda: (
                self._by("municipalities", Municipality.choices),
                _(
                    "Where the activity takes place, as the application says. An activity in "
                    "several municipalities counts in each."
                ),
            ),
            "organisation-type": lambda: (
                self._by("organisation_type", Organisation.Type.choices),
                "",
            ),
            "target-group": lambda: (
                self._by("target_groups", TargetGroup.choices),
                _(
                    "As the application names them. A grant with several target groups counts "
                    "for each."
                ),
            ),
            "perspective": lambda: (
                self._by("perspectives", Perspective.choices),
                _(
                    "A grant counts under a perspective when the application describes how the "
                    "activity works with it. A grant can count under several perspectives."
                ),
            ),
            "agenda-goal": lambda: (
                self._by(
                    "agenda_goals",
                    [(number, f"{number}. {name}") for number, name in AGENDA_2030_GOALS],
                ),
                _("The goals the application says it serves. A grant can serve several goals."),
            ),
            "year": lambda: (
                self._year_rows,
                _("Every year with decisions, whichever year is chosen above."),
            ),
        }[name]
        rows, note = build()
        return Table(
            name=name,
            title=str(title),
            rows=rows,
            note=str(note),
            overlapping=name
            in ("activity-municipality", "target-group", "perspective", "agenda-goal"),
        )

    def tables(self) -> list[Table]:
        return [self.table(name) for name in TABLES]


def _accumulate(groups: dict[str, dict], key: str, figures: dict) -> None:
    """Add ``figures`` to those of ``key`` in ``groups``."""
    if key not in groups:
        groups[key] = dict(figures)
        return
    for name, value in figures.items():
        groups[key][name] = (groups[key][name] or 0) + (value or 0)


LISTS = ("target_groups", "municipalities", "agenda_goals")


def _unnest_lists() -> str:
    """Return the FROM clause giving one row per value of each JSON list of the common table
    ``counted``: the list's name as ``dimension``, the value as ``item``."""
    if connection.vendor == "postgresql":
        values = " UNION ALL ".join(
            f"SELECT '{column}', value FROM jsonb_array_elements_text(CASE WHEN "  # noqa: S608
            f"jsonb_typeof({column}) = 'array' THEN {column} ELSE '[]'::jsonb END)"
            for column in LISTS
        )
        return f"counted CROSS JOIN LATERAL ({values}) AS entry (dimension, item)"
    values = " UNION ALL ".join(
        f"SELECT counted.*, '{column}' AS dimension, entry.value AS item "  # noqa: S608
        f"FROM counted, json_each({column}) AS entry WHERE json_type({column}) = 'array'"
        for column in LISTS
    )
    return f"({values}) AS unnested"


def _unnest_keys() -> str:
    """Return the FROM clause giving one row per perspective the applicant wrote something
    for, of the common table ``described``, the perspective named ``item``."""
    if connection.vendor == "postgresql":
        return (
            "described CROSS JOIN LATERAL jsonb_each_text(CASE WHEN jsonb_typeof(perspectives) "
            "= 'object' THEN perspectives ELSE '{}'::jsonb END) AS entry (item, text) "
            "WHERE entry.text <> ''"
        )
    return (
        "(SELECT described.*, entry.key AS item FROM described, json_each(perspectives) AS entry "
        "WHERE json_type(perspectives) = 'object' AND entry.value <> '') AS unnested"
    )

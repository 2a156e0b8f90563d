"""Create the staff roles as groups with their permissions (DESIGN §1).

Applicants need no group: what they may do follows from their memberships.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "officer": [
        "grants.handle_application",
        "grants.view_application",
        "grants.view_assessment",
        "grants.add_assessment",
        "grants.change_assessment",
        "grants.view_conflictofinterest",
        "grants.add_conflictofinterest",
        "grants.view_call",
        "grants.view_programme",
        "organisations.view_organisation",
        "decisions.view_decision",
        "decisions.view_followupreport",
    ],
    "decision_maker": [
        "grants.decide_application",
        "grants.view_application",
        "grants.view_assessment",
        "grants.view_call",
        "grants.view_programme",
        "organisations.view_organisation",
        "decisions.view_decision",
        "decisions.view_delegationrule",
        "decisions.view_repaymentclaim",
    ],
    "secretary": [
        "grants.record_committee_decision",
        "grants.view_application",
        "grants.view_assessment",
        "grants.view_call",
        "grants.view_programme",
        "organisations.view_organisation",
        "decisions.view_decision",
    ],
    "finance": [
        "decisions.manage_payments",
        "decisions.attest_paymentbatch",
        "decisions.settle_repaymentclaim",
        "organisations.verify_payoutaccount",
        "organisations.view_payoutaccount",
        "organisations.view_organisation",
        "decisions.view_payment",
        "decisions.view_paymentbatch",
        "decisions.view_repaymentclaim",
        "decisions.view_decision",
    ],
    "administrator": [
        "grants.add_programme",
        "grants.change_programme",
        "grants.view_programme",
        "grants.add_criterion",
        "grants.change_criterion",
        "grants.delete_criterion",
        "grants.view_criterion",
        "grants.add_call",
        "grants.change_call",
        "grants.view_call",
        "decisions.add_delegationrule",
        "decisions.change_delegationrule",
        "decisions.view_delegationrule",
        "organisations.add_user",
        "organisations.change_user",
        "organisations.view_user",
        "organisations.view_organisation",
        "audit.view_logentry",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so that the groups
    # can be given them (the stub app config needs models_module set for that).
    for app_label in ("organisations", "grants", "decisions", "audit"):
        app_config = apps.get_app_config(app_label)
        stub = getattr(app_config, "models_module", None) is None
        if stub:
            app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        if stub:
            app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0001_initial"),
        ("audit", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = _("Decisions and payments")

    def ready(self):
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="decisions.ensure_roles")


def ensure_roles(sender, **kwargs):
    """Re-create the staff roles after a flush (as tests do); the data migration made them first.

    The roles and their permissions are defined once, in migration 0002_roles.
    """
    from importlib import import_module

    from django.apps import apps

    import_module("decisions.migrations.0002_roles").create_roles(apps, schema_editor=None)

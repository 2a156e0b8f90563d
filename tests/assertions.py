"""Checks shared by the service tests."""

import pytest

from audit.models import LogEntry
from grants.models import Application
from organisations.errors import WorkflowError


def refused(service, **kwargs) -> WorkflowError:
    """Call a service that must refuse; check that it wrote nothing to the audit trail."""
    entries_before = LogEntry.objects.count()
    with pytest.raises(WorkflowError) as excinfo:
        service(**kwargs)
    assert LogEntry.objects.count() == entries_before
    return excinfo.value


def state_of(application) -> str:
    """Return the application's state as stored."""
    return Application.objects.get(pk=application.pk).state

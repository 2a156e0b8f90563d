"""The audit trail in the admin can be read and searched, never changed."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from audit.models import LogEntry
from audit.services import log_action


@pytest.fixture
def admin_client(client, django_user_model):
    # Logged in without a password: hashing one is most of a test's time on a busy runner.
    admin = django_user_model.objects.create_superuser(
        email="admin@example.org", password=None, full_name="Ada Admin"
    )
    client.force_login(admin)
    return client


@pytest.fixture
def entries(db):
    group = Group.objects.create(name="Kulturrådet")
    return [
        log_action(group, "auth.group.created", data={"name": "Kulturrådet"}),
        log_action(None, "system.cache.cleared"),
    ]


def test_changelist_lists_entries_and_filters_by_action_prefix(admin_client, entries):
    url = reverse("admin:audit_logentry_changelist")

    response = admin_client.get(url)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == entries
    assert "?action_prefix=auth.group" in response.content.decode()

    response = admin_client.get(url, {"action_prefix": "system"})
    assert list(response.context["cl"].result_list) == [entries[1]]

    response = admin_client.get(url, {"q": "Kulturrådet"})
    assert list(response.context["cl"].result_list) == [entries[0]]


def test_entry_page_is_read_only(admin_client, entries):
    response = admin_client.get(reverse("admin:audit_logentry_change", args=[entries[0].pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Kulturrådet" in content
    assert entries[0].hash in content
    assert 'name="_save"' not in content


def test_add_change_and_delete_are_refused(admin_client, entries):
    entry = entries[0]

    assert admin_client.get(reverse("admin:audit_logentry_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:audit_logentry_change", args=[entry.pk]), {"action": "auth.group.gone"}
    )
    assert response.status_code == 403
    response = admin_client.post(
        reverse("admin:audit_logentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert LogEntry.objects.get(pk=entry.pk).action == "auth.group.created"

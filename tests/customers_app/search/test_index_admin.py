"""The customer index in Django admin: searchable by staff who may see customers, read-only,
and out of reach of staff who may not."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/customers_app/indexedcustomer/"


def _staff(client, username: str, *, sees_customers: bool):
    user = get_user_model().objects.create_user(username, is_staff=True)
    if sees_customers:
        user.user_permissions.add(Permission.objects.get(codename="view_customers"))
    client.force_login(user)
    return client


def test_staff_who_see_customers_can_search_the_index_but_not_change_it(client, customer_index):
    customer = customer_index.store.customer(2)
    admin = _staff(client, "staff-admin", sees_customers=True)
    response = admin.get(CHANGELIST, {"q": "58507767"})
    assert response.status_code == 200
    assert customer["reference_number"] in response.content.decode()
    assert b"/add/" not in response.content
    row_id = customer_index_row_id(customer["uuid"])
    assert admin.get(f"{CHANGELIST}{row_id}/change/").status_code == 200  # a read-only view
    assert admin.post(f"{CHANGELIST}{row_id}/change/", {"name": "x"}).status_code == 403
    assert admin.get(f"{CHANGELIST}add/").status_code == 403


def test_staff_without_the_customer_permission_cannot_open_it(client, customer_index):
    other = _staff(client, "staff-other", sees_customers=False)
    assert other.get(CHANGELIST).status_code == 403


def customer_index_row_id(uuid: str) -> int:
    from customers_app.models import IndexedCustomer

    return IndexedCustomer.objects.get(uuid=uuid).pk

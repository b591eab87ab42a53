"""The first page end to end: login, then customers fetched from the sandbox over HTTP."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_client(client):
    user = get_user_model().objects.create_user("agent", password="a-long-test-password")
    user.user_permissions.add(Permission.objects.get(codename="view_customers"))
    client.force_login(user)
    return client


def test_anonymous_users_are_sent_to_login(client):
    response = client.get("/customers/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_login_page_works(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b"Log in" in response.content


def test_customer_list_shows_sandbox_rows_and_says_so(agent_client, live_sandbox):
    response = agent_client.get("/customers/", {"linked_source_type": "Store", "page_size": "25"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sandbox data" in html
    first_store = live_sandbox.store.page("Store", 0, 1)[0]
    assert first_store["reference_number"] in html


def test_bad_filter_values_are_corrected_not_errors(agent_client, live_sandbox):
    response = agent_client.get(
        "/customers/", {"linked_source_type": "Nope", "page_size": "9999", "page": "-3"}
    )
    assert response.status_code == 200
    assert live_sandbox.request_count() == 1


def test_wonder_down_is_a_clear_503_not_a_500(agent_client, live_sandbox, settings):
    settings.WONDER_BASE_URL = "http://127.0.0.1:9"
    response = agent_client.get("/customers/")
    assert response.status_code == 503
    assert b"Wonder is not answering" in response.content


def test_a_user_without_the_permission_is_refused(client, live_sandbox):
    user = get_user_model().objects.create_user("nobody", password="a-long-test-password")
    client.force_login(user)
    assert client.get("/customers/").status_code == 403
    assert live_sandbox.request_count() == 0

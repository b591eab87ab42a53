"""An admin manages accounts and roles in Django's admin: it works and looks right under the
dashboard's strict Content-Security-Policy (any blocked style or script fails the test)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect


def test_an_admin_gives_a_user_a_role_in_the_admin(page_as, make_user):
    admin = make_user("admin", username="root-admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    make_user("agent", username="new-finance")
    # The live server's database is flushed between tests, role groups with it.
    finance, _ = Group.objects.get_or_create(name="Finance")

    page = page_as("admin", user=admin)
    page.goto("/admin/")
    expect(page.get_by_role("banner")).to_contain_text("Wonder customer dashboard")
    expect(page.get_by_role("heading", name="Accounts, roles and reference data")).to_be_visible()
    page.goto("/admin/auth/user/")
    expect(page.get_by_role("link", name="new-finance")).to_be_visible()
    page.get_by_role("link", name="new-finance").click()
    # The admin's two-box group chooser: pick from "Available groups", then "Choose".
    page.locator("#id_groups_from").select_option(label="Finance")
    page.locator("#id_groups_add").click()
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_text("was changed successfully")).to_be_visible()
    assert finance in get_user_model().objects.get(username="new-finance").groups.all()


def test_the_admin_pages_an_admin_uses_load_without_blocked_styles_or_scripts(page_as, make_user):
    admin = make_user("admin", username="root-admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    page = page_as("admin", user=admin)
    # The live server's database is flushed between tests, role groups with it.
    finance, _ = Group.objects.get_or_create(name="Finance")
    for path in (
        "/admin/auth/group/",
        f"/admin/auth/group/{finance.pk}/change/",
        "/admin/auth/user/add/",
        f"/admin/auth/user/{admin.pk}/change/",
        "/admin/accounts/auditevent/",
        "/admin/customers_app/errorcodenote/add/",
        "/admin/axes/accessattempt/",
    ):
        answer = page.goto(path)
        assert answer.status == 200, path
        # Any CSP violation or console error on these pages fails the test (conftest).
        expect(page.locator("#content")).to_be_visible()

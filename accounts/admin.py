"""The Django admin: users (one role each; superuser status and single permissions for
superusers only, every grant audited) and the audit log (read-only, exportable as CSV)."""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .audit import audit_event_record
from .exports import audit_event_table, audit_events_csv_response
from .models import AuditEvent
from .roles import ROLE_GROUP_NAMES
from .signin.admin_actions import user_second_factors_reset

__all__ = [
    "AUDITED_GRANT_FIELDS",
    "SUPERUSER_ONLY_FIELDS",
    "AuditEventAdmin",
    "AuditEventChangeList",
    "OneRoleUserAdmin",
    "OneRoleUserChangeForm",
]


class OneRoleUserChangeForm(UserChangeForm):
    """The admin's user form, refusing a second role group.

    Each user has one role (README, "Roles"): a user in Finance and Support would get the
    sum of both without anyone having decided that. Groups that are not roles are free.
    """

    def clean_groups(self):
        groups = self.cleaned_data["groups"]
        role_names = set(ROLE_GROUP_NAMES.values())
        chosen = sorted(group.name for group in groups if group.name in role_names)
        if len(chosen) > 1:
            raise ValidationError(
                _("A user has one role: choose one of %(chosen)s, not several."),
                code="several_roles",
                params={"chosen": ", ".join(chosen)},
            )
        return groups


User = get_user_model()
admin.site.unregister(User)


# What makes a user more powerful than their role: only a superuser may change these, and
# every change is audited. Single permissions would side-step the one-role rule, and a
# superuser holds every permission there is.
SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions")
AUDITED_GRANT_FIELDS = ("is_superuser", "is_staff", "is_active", "user_permissions", "groups")


@admin.register(User)
class OneRoleUserAdmin(UserAdmin):
    """Django's user admin with ``OneRoleUserChangeForm`` and a second-factor reset;
    superuser status and single permissions are for superusers only, and every grant is
    audited."""

    form = OneRoleUserChangeForm
    actions = [user_second_factors_reset]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Read-only fields are not part of the form: a forged POST cannot set them either.
            readonly += [name for name in SUPERUSER_ONLY_FIELDS if name not in readonly]
        return readonly

    def has_change_permission(self, request, obj=None) -> bool:
        # Changing a superuser (their password, say) is as good as being one.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        changed = [name for name in AUDITED_GRANT_FIELDS if name in form.changed_data]
        if not changed:
            return
        user = form.instance
        audit_event_record(
            request=request,
            action="admin.user_access",
            target=f"user:{user.get_username()}",
            detail={
                "changed": changed,
                "is_superuser": user.is_superuser,
                "is_staff": user.is_staff,
                "is_active": user.is_active,
                "groups": sorted(user.groups.values_list("name", flat=True)),
                "user_permissions": sorted(
                    f"{app_label}.{codename}"
                    for app_label, codename in user.user_permissions.values_list(
                        "content_type__app_label", "codename"
                    )
                ),
            },
        )


class AuditEventChangeList(ChangeList):
    """The admin's audit list, refusing a date the database cannot compare instead of a 500.

    The date filter and the date hierarchy take any date from the URL. Made timezone-aware
    and converted to UTC, a date at the edge of what ``datetime`` holds overflows:
    0001-01-01 00:00 in Hong Kong falls in the year 0 in UTC, and the day after 9999-12-31
    does not exist. Django does part of that work building the query and the rest compiling
    it, so the query is compiled here, where the admin still handles a bad lookup:
    ``IncorrectLookupParameters`` sends the user to the unfiltered list, and the message says
    why.
    """

    def get_queryset(self, request, exclude_parameters=None):
        try:
            queryset = super().get_queryset(request, exclude_parameters)
            # elide_empty=False: a filter that matches nothing compiles too (as "0 = 1").
            queryset.query.get_compiler(queryset.db, elide_empty=False).as_sql()
        except (OverflowError, ValueError) as error:
            self.model_admin.message_user(
                request,
                gettext(
                    "A date in that filter is outside what the audit log can hold; "
                    "showing every event instead."
                ),
                messages.WARNING,
            )
            raise IncorrectLookupParameters(error) from error
        return queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Nobody, not even a superuser, may add, change or delete an audit event here."""

    list_display = ("occurred_at", "username", "action", "target", "outcome", "client_ip")
    list_filter = ("action", "outcome", "occurred_at")
    search_fields = ("username", "target", "request_id")
    date_hierarchy = "occurred_at"
    readonly_fields = [field.name for field in AuditEvent._meta.fields]
    actions = ["export_selected"]

    def get_changelist(self, request, **kwargs):
        return AuditEventChangeList

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Export selected events as CSV"), permissions=["export"])
    def export_selected(self, request, queryset):
        """The selected events as CSV; the export is recorded like any other."""
        return audit_events_csv_response(
            request=request, table=audit_event_table(queryset), target="admin selection"
        )

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm("accounts.export_auditevent")

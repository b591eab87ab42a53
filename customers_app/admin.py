"""Admin screens: what admins maintain by hand."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from customers_app.models import (
    BindingExport,
    DigestDelivery,
    ErrorCodeNote,
    IndexedCustomer,
    ScanRun,
    SyncPartition,
    error_code_normalise,
)

__all__ = [
    "BindingExportAdmin",
    "DigestDeliveryAdmin",
    "ErrorCodeNoteAdmin",
    "ErrorCodeNoteForm",
    "IndexedCustomerAdmin",
    "ReadOnlyAdmin",
    "SyncRunAdmin",
]


class ErrorCodeNoteForm(forms.ModelForm):
    """The note's code normalised as it is saved, a second note for the same code refused."""

    class Meta:
        model = ErrorCodeNote
        fields = ["code", "meaning", "next_step"]
        help_texts = {
            "code": _(
                "As Wonder sends it, e.g. E200110, 51 or 05 (leading zeros matter). "
                "Spaces around it are removed and letters upper-cased."
            )
        }

    def clean_code(self) -> str:
        code = error_code_normalise(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Enter the error code."), code="required")
        others = ErrorCodeNote.objects.exclude(pk=self.instance.pk)
        if others.filter(code=code).exists():
            raise forms.ValidationError(
                _(
                    "There is already a note for error code %(code)s (codes are compared "
                    "without surrounding spaces and regardless of case); edit that one instead."
                ),
                code="duplicate",
                params={"code": code},
            )
        return code


@admin.register(ErrorCodeNote)
class ErrorCodeNoteAdmin(admin.ModelAdmin):
    """Plain-language meanings of Wonder's bind error codes, shown beside each failure."""

    form = ErrorCodeNoteForm
    list_display = ("code", "meaning", "next_step")
    search_fields = ("code", "meaning")


@admin.register(BindingExport)
class BindingExportAdmin(admin.ModelAdmin):
    """The record of every failed bindings export; read-only, it is evidence."""

    list_display = ("exported_at", "exported_by", "file_format", "row_count", "truncated")
    list_filter = ("file_format",)
    readonly_fields = ("exported_at", "exported_by", "file_format", "filters", "row_count")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record of what happened (a sync, a delivery) or a copy only the sync writes (the
    index): shown, never added, changed or deleted here, not even by a superuser."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class SyncPartitionInline(admin.TabularInline):
    """Which worker walked which partition, and how far it got."""

    model = SyncPartition
    fields = ("number", "status", "worker", "pages_done", "customers_seen", "heartbeat_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ScanRun)
class SyncRunAdmin(ReadOnlyAdmin):
    """The customer sync run history; read-only, it is what happened."""

    list_display = (
        "sync_number", "trigger", "requested_by", "started_at", "finished_at", "status",
        "customers_seen", "pages_done", "upstream_requests", "failures_found",
        "rows_written", "short_error",
    )  # fmt: skip
    list_filter = ("status", "trigger")
    inlines = [SyncPartitionInline]
    readonly_fields = (
        "trigger", "requested_by", "started_at", "heartbeat_at", "finished_at", "status",
        "customers_seen", "customers_expected", "pages_done", "pages_expected",
        "upstream_requests", "partitions", "partitions_done", "failures_found",
        "rows_written", "error",
    )  # fmt: skip
    fields = readonly_fields

    @admin.display(description=_("sync"), ordering="pk")
    def sync_number(self, run: ScanRun) -> int:
        return run.pk

    @admin.display(description=_("reason when failed"))
    def short_error(self, run: ScanRun) -> str:
        return run.failure_reason[:120]


@admin.register(IndexedCustomer)
class IndexedCustomerAdmin(ReadOnlyAdmin):
    """The customer index, read-only: the sync writes it, nobody edits it by hand.

    Also the peer that bench/search.py times the dashboard's search against: Django's own
    changelist search over the same fields.
    """

    list_display = ("name", "email", "phone_shown", "reference_number", "token_state")
    search_fields = ("name", "email", "phone_digits", "full_phone_digits", "reference_number",
                     "uuid", "card_last4")  # fmt: skip

    def has_view_permission(self, request, obj=None) -> bool:
        # The model has no permissions of its own: staff who may see customers may see it.
        user = request.user
        return user.is_active and user.is_staff and user.has_perm("customers_app.view_customers")

    @admin.display(description=_("phone"))
    def phone_shown(self, customer: IndexedCustomer) -> str:
        return customer.phone_display


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(ReadOnlyAdmin):
    """Every digest planned, and how sending it went (attempts, last error); read-only."""

    list_display = (
        "created_at", "channel", "kind", "recipient", "last_run", "row_count", "status",
        "attempts", "sent_at",
    )  # fmt: skip
    list_filter = ("status", "channel", "kind")
    search_fields = ("recipient",)

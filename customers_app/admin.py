"""Admin screens: what admins maintain by hand."""

from django.contrib import admin

from .models import BindingExport, ErrorCodeNote

__all__ = ["BindingExportAdmin", "ErrorCodeNoteAdmin"]


@admin.register(ErrorCodeNote)
class ErrorCodeNoteAdmin(admin.ModelAdmin):
    """Plain-language meanings of Wonder's bind error codes, shown beside each failure."""

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

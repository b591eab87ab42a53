"""Admin screens: what admins maintain by hand."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from customers_app.models import BindingExport, ErrorCodeNote, error_code_normalise

__all__ = ["BindingExportAdmin", "ErrorCodeNoteAdmin", "ErrorCodeNoteForm"]


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

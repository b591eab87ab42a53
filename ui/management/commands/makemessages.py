"""Django's ``makemessages``, knowing which folders hold no dashboard text.

``python manage.py makemessages -l zh_Hant`` then writes every string the dashboard shows
into ``locale/zh_Hant/LC_MESSAGES/django.po`` and nothing else: not the tests, the
benchmarks, the scripts, or the Wonder sandbox (it stands in for Wonder, whose words are
data). File names without line numbers, so a new string elsewhere in a file does not
rewrite every entry's location; strings no longer used are dropped. The catalogue test
(tests/dashboard/test_catalogue.py) runs this same command to find strings missing from the
catalogue. Needs GNU gettext (``xgettext``).
"""

from django.core.management.commands import makemessages

__all__ = ["Command", "IGNORED_PATTERNS"]

IGNORED_PATTERNS = [
    "tests/*",
    "bench/*",
    "scripts/*",
    "wonder_sandbox/*",
    "var/*",
    "staticfiles/*",
    "node_modules/*",
    "test-artifacts/*",
    "docs/*",
    "static/vendor/*",
]


class Command(makemessages.Command):
    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *IGNORED_PATTERNS]
        if options.get("add_location") is None:
            options["add_location"] = "file"
        # Strings the code no longer writes leave the catalogue instead of piling up as #~.
        options["no_obsolete"] = True
        return super().handle(*args, **options)

"""Django's own messages that its Vietnamese catalogue leaves untranslated.

Django's ``vi`` locale is incomplete: form and model validation errors such as
"Enter a valid UUID." reach a citizen in English. Our catalogue translates them,
and marking them here keeps ``makemessages --no-obsolete`` from dropping those
translations, since they appear in no source file of ours.
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = (
    gettext_noop("Null characters are not allowed."),
    gettext_noop("Enter a complete value."),
    gettext_noop("Enter a valid duration."),
    gettext_noop("The number of days must be between {min_days} and {max_days}."),
    gettext_noop("Enter a valid UUID."),
    gettext_noop("Enter a valid JSON."),
    gettext_noop("Value must be valid JSON."),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop("“%(value)s” is not a valid UUID."),
    gettext_noop("File extension “%(extension)s” is not allowed. Allowed extensions are: %(allowed_extensions)s."),
    gettext_noop(
        "%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; "
        "it may be ambiguous or it may not exist."
    ),
    gettext_noop("That page number is not an integer"),
    gettext_noop("That page number is less than 1"),
    gettext_noop("That page contains no results"),
)

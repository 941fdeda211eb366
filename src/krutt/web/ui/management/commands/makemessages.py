"""makemessages that also collects the core's plural sentences.

The pure core marks them with `plural_noop(singular, plural)` (it cannot import
Django's ngettext); xgettext needs to be told that this name takes two msgids.
Django documents overriding the command for exactly this.
"""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [  # noqa: RUF012 (Django reads it from the class)
        *makemessages.Command.xgettext_options,
        "--keyword=plural_noop:1,2",
    ]

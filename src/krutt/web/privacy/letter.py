"""The information letter a manager hands to the team (arbeidsmiljøloven § 9-2, GDPR Art. 13).

Written from the organisation's real settings: the team's policy and its rationale, the
notice's purpose and dates, the retention periods, the roles, and who to contact. It is
Markdown, so it prints, mails and pastes into an intranet page as it is.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from krutt.web.accounts.models import Role, User
from krutt.web.clock import today_in
from krutt.web.messages import format_value, in_language
from krutt.web.privacy.notices import latest_notice
from krutt.web.privacy.retention import CATEGORIES, retention_months
from krutt.web.sellers.models import Team
from krutt.web.sellers.policies import resolve_policy


def _months(count: int) -> str:
    from django.utils.translation import ngettext

    return ngettext("%(count)d month", "%(count)d months", count) % {"count": count}


def _person(user: User | None) -> str:
    if user is None:
        return _("(no one yet)")
    return f"{user.name or user.email} <{user.email}>"


def information_letter(team: Team, *, language: str) -> str:
    """The letter for `team` in `language`, as Markdown."""
    organisation = team.organisation
    with in_language(language):
        policy = resolve_policy(organisation, team)
        notice = latest_notice(team)
        months = retention_months(organisation)
        admins = User.objects.filter(
            organisation=organisation, role=Role.ADMIN, is_active=True
        ).order_by("email")
        today = today_in(organisation)
        lines = [
            "# " + _("How krutt measures time with the sellers of %(team)s") % {"team": team.name},
            "",
            _("%(organisation)s, %(day)s")
            % {
                "organisation": organisation.name,
                "day": format_value(today),
            },
            "",
            _(
                "Your manager uses krutt to see where their time with the team goes and to plan "
                "it. This is a control measure under the Working Environment Act chapter 9, so "
                "you are told here what is recorded, why, who sees it, how long it is kept and "
                "what your rights are."
            ),
            "",
        ]
        if notice is not None:
            lines += [
                _(
                    "The sellers were informed on %(informed)s and the measure was discussed with "
                    "the employee representatives on %(discussed)s."
                )
                % {
                    "informed": format_value(notice.informed_on),
                    "discussed": format_value(notice.discussed_on),
                },
                "",
                _("Purpose: %(purpose)s") % {"purpose": notice.purpose},
                "",
                (
                    _("The measurement runs until %(until)s.")
                    % {"until": format_value(notice.until)}
                    if notice.until
                    else _("The measurement runs until further notice and is evaluated every year.")
                ),
                "",
            ]
        else:
            lines += [
                _(
                    "The measure has not yet been recorded as discussed with the employee "
                    "representatives; measurement must not start before it is."
                ),
                "",
            ]
        lines += [
            "## " + _("What is recorded"),
            "",
            "- "
            + _(
                "From your manager's calendar: when a meeting with you started, how long it "
                "lasted, which sellers took part, the kind of conversation (from keywords) and "
                "the event's identity so that a re-import does not count it twice."
            ),
            "- "
            + _(
                "Never from the calendar: the meeting's subject, description, location or other "
                "attendees; nothing from your own calendar."
            ),
            "- "
            + _(
                "From your manager's own log: the same, and optionally a short note and how "
                "draining the meeting was for the manager."
            ),
            "- "
            + _(
                "From the CRM and the sales figures: your monthly targets and results, and the "
                "deals credited to you."
            ),
            "- "
            + _(
                "From these, krutt works out your segment (new, top, core or not delivering) "
                "with its reason, and any support plan your manager writes with you."
            ),
            "",
            "## " + _("Why"),
            "",
            _(
                "The team follows the policy «%(policy)s»: it guides how the manager shares "
                "their time between sellers in different situations."
            )
            % {"policy": _(policy.name)},
            "",
            "> " + _(policy.rationale),
            "",
            _(
                "krutt recommends; the manager decides. Nothing krutt sends out (calendar "
                "invitations, exports) carries your segment or a judgement about you."
            ),
            "",
            "## " + _("Who sees what"),
            "",
            "| " + _("Role") + " | " + _("Sees") + " |",
            "|---|---|",
            "| " + _("Sales manager") + " | " + _("their own team only") + " |",
            "| "
            + _("Sales director")
            + " | "
            + _("the teams under them; not the manager's private notes")
            + " |",
            "| "
            + _("Administrator")
            + " | "
            + _("users, teams and settings; not the manager's private notes")
            + " |",
            "| " + _("You") + " | " + _("your own record at /me/, and nobody else's") + " |",
            "",
            "## " + _("How long it is kept"),
            "",
        ]
        for category in CATEGORIES:
            lines.append(
                f"- {_(category.label)}: {_months(months[category.key])}. {_(category.reason)}"
            )
        lines += [
            "- "
            + _(
                "Time entries and monthly figures stay while the team's history is used; once "
                "you have left and are erased, they are kept under a pseudonym only."
            ),
            "",
            "## " + _("Your rights"),
            "",
            "- "
            + _(
                "See your record: log in to krutt and open /me/ (your manager can send you an "
                "invitation)."
            ),
            "- "
            + _(
                "Take a copy: the download button on /me/ gives you everything krutt holds "
                "about you, including your manager's private notes."
            ),
            "- "
            + _("Have wrong data corrected, and object to the measurement, to the contacts below."),
            "- "
            + _(
                "Have your data erased once you have left: your name and texts are removed; "
                "the team's figures stay under a pseudonym."
            ),
            "- " + _("Complain to the Norwegian Data Protection Authority (Datatilsynet)."),
            "",
            "## " + _("Contact"),
            "",
            "- " + _("Your manager: %(who)s") % {"who": _person(team.manager)},
        ]
        for admin in admins:
            lines.append("- " + _("krutt administrator: %(who)s") % {"who": _person(admin)})
        lines.append("")
        return "\n".join(lines)

"""The verbs of a sales manager's job: the activity types time is logged under."""

from __future__ import annotations

from enum import StrEnum

from krutt.domain.messages import Label, gettext_noop


class Activity(StrEnum):
    COACHING = "coaching"
    ONE_ON_ONE = "one_on_one"
    JOINT_MEETING = "joint_meeting"
    PIPELINE_REVIEW = "pipeline_review"
    TRAINING = "training"
    PERFORMANCE_TALK = "performance_talk"
    RECOGNITION = "recognition"
    CAREER_TALK = "career_talk"
    RECRUITMENT = "recruitment"
    ADMIN = "admin"

    @property
    def label(self) -> Label:
        return Label(ACTIVITY_LABELS[self])


ACTIVITY_LABELS: dict[Activity, str] = {
    Activity.COACHING: gettext_noop("Coaching"),
    Activity.ONE_ON_ONE: gettext_noop("1:1 follow-up"),
    Activity.JOINT_MEETING: gettext_noop("Joint customer meeting"),
    Activity.PIPELINE_REVIEW: gettext_noop("Pipeline review"),
    Activity.TRAINING: gettext_noop("Training"),
    Activity.PERFORMANCE_TALK: gettext_noop("Performance conversation"),
    Activity.RECOGNITION: gettext_noop("Recognition"),
    Activity.CAREER_TALK: gettext_noop("Career conversation"),
    Activity.RECRUITMENT: gettext_noop("Recruitment"),
    Activity.ADMIN: gettext_noop("Admin"),
}


# An entry with exactly one seller under one of these is a 1:1: the conversation a top
# seller should not go a month without, whatever the manager called it.
DEFAULT_ONE_ON_ONE_ACTIVITIES: frozenset[Activity] = frozenset(
    {
        Activity.ONE_ON_ONE,
        Activity.COACHING,
        Activity.PERFORMANCE_TALK,
        Activity.CAREER_TALK,
        Activity.RECOGNITION,
    }
)


def one_on_one_activities(configured: object) -> frozenset[Activity]:
    """The organisation's 1:1 activities (a list of activity ids), else krutt's default set."""
    if isinstance(configured, (list, tuple)):
        chosen = {Activity(a) for a in configured if a in Activity.__members__.values()}
        if chosen:
            return frozenset(chosen)
    return DEFAULT_ONE_ON_ONE_ACTIVITIES

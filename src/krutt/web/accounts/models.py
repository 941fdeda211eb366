"""Organisations and the people who log in: managers, directors, admins and sellers."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krutt.domain.addresses import normalise_email


class Organisation(models.Model):
    """A company using krutt: its zone, language and default policy and rules."""

    name = models.CharField(_("name"), max_length=200)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Oslo")
    language = models.CharField(_("language"), max_length=8, default="nb")
    policy_key = models.CharField(_("policy"), max_length=32, default="biztools")
    # Custom bands and thresholds as {"top": ["0.5", null], …} / {"ramp_months": 6, …}; empty = preset.
    bands = models.JSONField(_("bands"), default=dict, blank=True)
    rules = models.JSONField(_("segment rules"), default=dict, blank=True)
    team_wide_above = models.PositiveSmallIntegerField(
        _("team-wide meeting above (sellers)"), default=8
    )
    # Calendar keywords per activity, {"coaching": ["coaching", "coach"], …}; empty = the defaults.
    activity_keywords = models.JSONField(_("activity keywords"), default=dict, blank=True)
    # The activities that make an entry with exactly one seller a 1:1; empty = krutt's default set.
    one_on_one_activities = models.JSONField(_("1:1 activities"), default=list, blank=True)
    # Status or stage names of the organisation's CRM, like ["Signert"], read as won (lost) by
    # deal imports besides krutt's own; empty = only krutt's.
    won_stage_names = models.JSONField(_("won stage names"), default=list, blank=True)
    lost_stage_names = models.JSONField(_("lost stage names"), default=list, blank=True)
    # The planner places sessions in these hours, like "Mon-Fri 08:00-16:00".
    working_hours = models.CharField(
        _("working hours"), max_length=64, default="Mon-Fri 08:00-16:00"
    )
    # Whose public holidays the planner keeps free (ISO country code for the holidays calendar).
    holiday_country = models.CharField(_("public holidays of"), max_length=2, default="NO")
    # Segment histories are stored up to this day; a report beyond it refreshes them first.
    segments_through = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    MANAGER = "manager", _("Sales manager")
    DIRECTOR = "director", _("Sales director")
    ADMIN = "admin", _("Organisation admin")
    SELLER = "seller", _("Seller")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        """The user signing in, found by their address in its normal form."""
        return self.get(email=normalise_email(username or ""))

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(email=normalise_email(email), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("role", Role.ADMIN)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who logs in, known by e-mail; a manager from a roster exists before they have a password."""

    email = models.EmailField(_("e-mail"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MANAGER)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    # A seller's login is tied to their roster row: /me/ shows that row and nothing else.
    seller = models.OneToOneField(
        "sellers.Seller",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="login",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def label(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email

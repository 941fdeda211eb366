"""A manager invites a seller from the seller page: a one-time link to set a password.

The link carries Django's password-reset token: it expires after
`PASSWORD_RESET_TIMEOUT` (72 hours) and works once, because setting the password
changes the hash the token was made from.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krutt.web.access import get_or_404, sellers_managed_by
from krutt.web.accounts.models import Role, User
from krutt.web.audit.trail import record
from krutt.web.sellers.models import Seller


def invite_path(user: User) -> str:
    """The path of a fresh one-time link for `user`."""
    return reverse(
        "invite_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def seller_login(seller: Seller) -> User | None:
    """The seller's login, created (without a password) when they have none; None if the
    address belongs to someone who is not a seller."""
    user = User.objects.filter(email=seller.email.lower()).first()
    if user is None:
        user = User.objects.create_user(
            seller.email,
            organisation=seller.organisation,
            role=Role.SELLER,
            name=seller.name,
            seller=seller,
        )
    elif user.role != Role.SELLER or user.organisation_id != seller.organisation_id:
        return None
    elif user.seller_id != seller.pk:
        user.seller = seller
        user.save(update_fields=["seller"])
    return user


@login_required
@require_POST
def seller_invite(request: HttpRequest, seller_id: int) -> HttpResponse:
    manager = request.user
    assert isinstance(manager, User)
    seller = get_or_404(sellers_managed_by(manager), pk=seller_id)
    with transaction.atomic():
        user = seller_login(seller)
        if user is None:
            messages.error(
                request, _("%(email)s logs in with another role already.") % {"email": seller.email}
            )
            return redirect("seller_detail", seller_id=seller.pk)
        record(
            action="user.invite",
            object_type="user",
            object_id=user.pk,
            organisation_id=seller.organisation_id,
            actor_id=manager.pk,
            actor_label=manager.email,
            changes={"seller": seller.pk, "role": Role.SELLER.value},
        )
    link = request.build_absolute_uri(invite_path(user))
    messages.success(
        request,
        _(
            "Give %(name)s this link to set a password; it works once and expires in 72 hours: "
            "%(link)s"
        )
        % {"name": seller.name, "link": link},
    )
    return redirect("seller_detail", seller_id=seller.pk)


class InviteAcceptView(auth_views.PasswordResetConfirmView):
    """The invited seller sets a password; the link is spent by it."""

    template_name = "accounts/invite.html"
    post_reset_login = False

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        # Sellers invited from their page; managers and directors from the team setup.
        invited = {Role.SELLER, Role.MANAGER, Role.DIRECTOR}
        return user if user is not None and user.role in invited and user.is_active else None

    def get_success_url(self) -> str:
        return reverse("login")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record(
            action="user.password_set",
            object_type="user",
            object_id=form.user.pk,
            organisation_id=form.user.organisation_id,
            actor_id=form.user.pk,
            actor_label=(
                f"seller:{form.user.seller_id}"
                if form.user.role == Role.SELLER
                else form.user.email
            ),
            changes={"via": "invite"},
        )
        messages.success(self.request, _("Your password is set. Log in with your e-mail."))
        return response

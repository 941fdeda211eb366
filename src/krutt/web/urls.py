"""Every URL of the web app; each route is named and listed in the access matrix (web/access_matrix.py)."""

from __future__ import annotations

from django.urls import path

from krutt.web.accounts import invites
from krutt.web.accounts import views as accounts
from krutt.web.api import views as tokens
from krutt.web.api.main import api
from krutt.web.configuration import views as configuration
from krutt.web.connections import views as connections
from krutt.web.crm import views as crm
from krutt.web.dashboard import views as dashboard
from krutt.web.imports import unmatched
from krutt.web.imports import views as imports
from krutt.web.jobs import views as jobs
from krutt.web.me import views as me
from krutt.web.outcome import views as outcome
from krutt.web.planning import views as planning
from krutt.web.privacy import views as privacy
from krutt.web.sellers import views as sellers
from krutt.web.support import views as support
from krutt.web.team import perceived
from krutt.web.team import views as team
from krutt.web.timelog import views as timelog
from krutt.web.twofactor import views as twofactor

handler500 = "krutt.web.busy.server_error"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("org/", dashboard.org_overview, name="org_overview"),
    path("sellers/", sellers.seller_list, name="seller_list"),
    path("sellers/<int:seller_id>/", sellers.seller_detail, name="seller_detail"),
    path("sellers/<int:seller_id>/override/", sellers.seller_override, name="seller_override"),
    path(
        "sellers/<int:seller_id>/override/withdraw/",
        sellers.seller_override_withdraw,
        name="seller_override_withdraw",
    ),
    path("sellers/<int:seller_id>/invite/", invites.seller_invite, name="seller_invite"),
    path("sellers/<int:seller_id>/notes/", sellers.seller_note_add, name="seller_note_add"),
    path("notes/<int:note_id>/delete/", sellers.seller_note_delete, name="seller_note_delete"),
    path("time/", timelog.time_log, name="time_log"),
    path("time/<int:entry_id>/edit/", timelog.entry_edit, name="entry_edit"),
    path("time/<int:entry_id>/delete/", timelog.entry_delete, name="entry_delete"),
    path("time/timer/start/", timelog.timer_start, name="timer_start"),
    path("time/timer/stop/", timelog.timer_stop, name="timer_stop"),
    path("plan/", planning.plan_view, name="plan"),
    path("plan/save/", planning.plan_save, name="plan_save"),
    path("plan/slots/add/", planning.slot_add, name="plan_slot_add"),
    path("plan/slots/<int:slot_id>/move/", planning.slot_move, name="plan_slot_move"),
    path("plan/slots/<int:slot_id>/drop/", planning.slot_drop, name="plan_slot_drop"),
    path("plan/calendar.ics", planning.plan_ics, name="plan_ics"),
    path("sellers/<int:seller_id>/support/plan/", support.support_plan, name="support_plan"),
    path("sellers/<int:seller_id>/support/log/", support.support_log, name="support_log"),
    path("sellers/<int:seller_id>/support/decide/", support.support_decide, name="support_decide"),
    path("imports/", imports.upload, name="imports"),
    path("imports/preview/", imports.preview, name="import_preview"),
    path("imports/commit/", imports.commit, name="import_commit"),
    path("imports/history/", imports.history, name="import_history"),
    path("imports/unmatched/", unmatched.resolve_unmatched, name="import_unmatched"),
    path("imports/<int:batch_id>/undo/", imports.undo, name="import_undo"),
    path("imports/job/", jobs.import_job, name="import_job"),
    path("results/", outcome.results, name="results"),
    path("settings/", configuration.settings_view, name="settings"),
    path("settings/calendar/", connections.calendar_connections, name="calendar_connections"),
    path("settings/calendar/sync/", connections.calendar_sync, name="calendar_sync"),
    path(
        "settings/calendar/disconnect/",
        connections.calendar_disconnect,
        name="calendar_disconnect",
    ),
    path("settings/privacy/", privacy.privacy, name="privacy"),
    path("settings/privacy/notice/", privacy.privacy_notice, name="privacy_notice"),
    path("settings/privacy/letter/", privacy.privacy_letter, name="privacy_letter"),
    path("settings/privacy/retention/", privacy.privacy_retention, name="privacy_retention"),
    path("settings/privacy/purge/", privacy.privacy_purge, name="privacy_purge"),
    path("settings/privacy/export/", privacy.privacy_export, name="privacy_export"),
    path("settings/privacy/erase/", privacy.privacy_erase, name="privacy_erase"),
    path("settings/crm/", crm.crm_connections, name="crm_connections"),
    path("settings/crm/sync/", crm.crm_sync, name="crm_sync"),
    path("settings/crm/disconnect/", crm.crm_disconnect, name="crm_disconnect"),
    path("settings/crm/alias/", crm.crm_alias, name="crm_alias"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", accounts.LogoutView.as_view(), name="logout"),
    path("account/", accounts.account, name="account"),
    path("account/two-factor/", twofactor.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/recovery/", twofactor.two_factor_recovery, name="two_factor_recovery"),
    path("account/two-factor/off/", twofactor.two_factor_disable, name="two_factor_disable"),
    path("settings/two-factor/", twofactor.two_factor_policy, name="two_factor_policy"),
    path("login/code/", twofactor.two_factor_verify, name="two_factor_verify"),
    path("account/password/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("account/tokens/", tokens.token_create, name="token_create"),
    path("account/tokens/revoke/", tokens.token_revoke, name="token_revoke"),
    path("language/", accounts.set_language, name="set_language"),
    path("me/", me.me, name="me"),
    path("me/download/", me.me_download, name="me_download"),
    path("api/v1/", api.urls),
    # Setting a team up in the browser (issue 12).
    path("start/", team.start, name="team_start"),
    path("setup/", team.setup, name="team_setup"),
    path("setup/sellers/new/", team.seller_add, name="team_seller_add"),
    path("setup/numbers/", team.numbers, name="team_numbers"),
    path("setup/invite/", team.invite, name="team_invite"),
    path("sellers/<int:seller_id>/edit/", team.seller_edit, name="team_seller_edit"),
    path("perceived/", perceived.perceived, name="perceived"),
    path("invite/<uidb64>/<token>/", invites.InviteAcceptView.as_view(), name="invite_accept"),
]

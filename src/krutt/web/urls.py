"""Every URL of the web app; each route is named and listed in the access matrix."""

from __future__ import annotations

from django.urls import path

from krutt.web.home import views as home

urlpatterns = [
    path("", home.index, name="home"),
]

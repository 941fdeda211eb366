"""The account page: its title is plain text and each of its parts appears once."""

from __future__ import annotations

import re

from django.urls import reverse


def test_the_account_page_has_a_plain_title_and_one_token_section(world, client):
    client.force_login(world.manager_a)
    body = client.get(reverse("account")).content.decode()
    title = re.search(r"<title>(.*?)</title>", body, re.S)
    assert title is not None and "<" not in title.group(1)
    assert body.count('id="tokens"') == 1

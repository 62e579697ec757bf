"""The roles' permissions, as the migrations leave them."""

import pytest
from django.contrib.auth.models import Permission

from newsroom import roles
from tests.factories import ArticleFactory, change_url

pytestmark = pytest.mark.django_db


def test_every_permission_a_role_names_exists_once_migrated():
    missing = [
        f"{app_label}.{codename}"
        for permissions in roles.GROUPS.values()
        for app_label, model, codename in roles.codenames(permissions)
        if not Permission.objects.filter(
            content_type__app_label=app_label, content_type__model=model, codename=codename
        ).exists()
    ]
    assert missing == []


def test_an_editor_may_correct_articles_order_the_front_page_and_see_old_addresses(
    client, user_in_role
):
    client.force_login(user_in_role("Editor", "desk"))
    article = ArticleFactory()
    assert 'name="corrections-TOTAL_FORMS"' in client.get(change_url(article)).text
    for address in ["/admin/articles/featuredarticle/add/", "/admin/articles/redirect/"]:
        assert client.get(address).status_code == 200, address


def test_a_contributor_may_not_change_the_front_page(client, user_in_role):
    client.force_login(user_in_role("Contributor", "writer"))
    assert client.get("/admin/articles/featuredarticle/").status_code == 403

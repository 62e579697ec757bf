import pytest
from django.http import HttpRequest

from articles.models import Article, Status
from newsroom import demo

pytestmark = pytest.mark.django_db


def test_demo_logins_have_their_roles_and_loading_twice_adds_nothing(client, django_user_model):
    first = demo.load()
    second = demo.load()
    assert first["users"] == 4 and second["users"] == 0
    assert Article.objects.filter(status=Status.REVIEW).count() == 1
    for username, password, group, _ in demo.ROLE_USERS:
        user = django_user_model.objects.get(username=username)
        assert [g.name for g in user.groups.all()] == [group]
        # Sign-in throttling (django-axes) needs the request that signs in.
        assert client.login(request=HttpRequest(), username=username, password=password)
    writer = django_user_model.objects.get(username="writer")
    assert writer.author.name == "Rachel Amran"

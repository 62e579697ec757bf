"""Pages' paths reversed once a process (newsroom/paths.py) are what reverse() answers."""

import pytest
from django.urls import reverse, set_script_prefix

from newsroom.paths import path_of
from tests.factories import ArticleFactory, AuthorFactory, FeedItemFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_every_readers_object_has_the_path_reverse_gives():
    article = ArticleFactory(headline="Grain corridor reopens")
    author, tag, item = (
        AuthorFactory(name="Olena Koval"),
        TagFactory(name="Odesa"),
        FeedItemFactory(),
    )
    assert article.get_absolute_url() == reverse("articles:detail", kwargs={"slug": article.slug})
    assert article.section.get_absolute_url() == reverse(
        "articles:section", kwargs={"slug": article.section.slug}
    )
    assert author.get_absolute_url() == reverse("articles:author", kwargs={"slug": author.slug})
    assert tag.get_absolute_url() == reverse("articles:tag", kwargs={"slug": tag.slug})
    assert item.get_absolute_url() == reverse("feed:item", kwargs={"pk": item.pk})


def test_a_path_follows_the_script_prefix_of_a_site_served_below_a_folder():
    assert path_of("articles:detail", slug="kyiv") == "/news/kyiv/"
    set_script_prefix("/newsroom/")
    try:
        assert path_of("articles:detail", slug="kyiv") == "/newsroom/news/kyiv/"
    finally:
        set_script_prefix("/")
    assert path_of("articles:detail", slug="kyiv") == "/news/kyiv/"


def test_a_prefix_noted_for_a_request_is_the_prefix_of_its_paths_and_of_none_after():
    from newsroom import paths

    with paths.ScriptPrefix("/newsroom"):
        assert path_of("articles:detail", slug="kyiv") == "/newsroom/news/kyiv/"
        assert reverse("articles:detail", kwargs={"slug": "kyiv"}) == "/newsroom/news/kyiv/"
    set_script_prefix("/")  # as Django's handler sets it for the next request
    assert path_of("articles:detail", slug="kyiv") == "/news/kyiv/"


def test_a_site_served_below_a_folder_links_its_pages_below_it_and_the_next_request_not(
    settings,
):
    from tests.newsroom.test_copies import wsgi_answer

    # Nothing kept: a site is served below one folder, and its fragments are kept for it.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    article = ArticleFactory(headline="Grain corridor reopens")
    status, _, below = wsgi_answer("/", SCRIPT_NAME="/desk")
    assert status.startswith("200")
    assert f'href="/desk/news/{article.slug}/"' in below.decode()
    assert 'href="/desk/sections/"' in below.decode()
    status, _, top = wsgi_answer("/")
    assert f'href="/news/{article.slug}/"' in top.decode()
    assert "/desk/" not in top.decode()


def test_paths_with_other_arguments_are_other_paths():
    assert path_of("articles:detail", slug="kyiv") != path_of("articles:detail", slug="odesa")
    assert path_of("articles:section", slug="kyiv") != path_of("articles:author", slug="kyiv")


def test_the_path_tag_draws_what_the_url_tag_draws():
    from django.template import Context, Template

    drawn = Template(
        "{% load paths %}{% path 'articles:rss' %} {% path 'articles:section' slug='kyiv' %} "
        "{% path 'articles:sections' as all %}{{ all }}"
    ).render(Context())
    assert drawn == (
        f"{reverse('articles:rss')} {reverse('articles:section', kwargs={'slug': 'kyiv'})} "
        f"{reverse('articles:sections')}"
    )


def test_the_asset_tag_draws_what_the_static_tag_draws(settings):
    from django.template import Context, Template

    def drawn():
        return Template(
            "{% load paths static %}"
            "{% asset 'newsroom/site.css' %} {% static 'newsroom/site.css' %}"
        ).render(Context())

    ours, django = drawn().split()
    assert ours == django
    settings.STATIC_URL = "https://static.example.org/newsroom/"  # a new storage
    ours, django = drawn().split()
    assert ours == django and ours.startswith("https://static.example.org/newsroom/")

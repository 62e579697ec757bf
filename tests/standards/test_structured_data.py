"""What extruct finds: NewsArticle and BreadcrumbList on articles, LiveBlogPosting on the feed,
BlogPosting on a feed item, with the fields search engines ask for."""

import extruct
import pytest

from tests.standards.conftest import SITE_URL

POSTING = ("headline", "datePublished", "dateModified", "author", "publisher", "image")


def structured(pages, site, name):
    return extruct.extract(
        pages[name].text, base_url=SITE_URL + site.pages[name], syntaxes=["json-ld", "opengraph"]
    )


def one(data, kind):
    found = [item for item in data["json-ld"] if item.get("@type") == kind]
    assert len(found) == 1, f"expected one {kind}: {[i.get('@type') for i in data['json-ld']]}"
    return found[0]


def assert_posting(item, url):
    missing = [field for field in POSTING if not item.get(field)]
    assert missing == [], f"{item['@type']} lacks {missing}"
    assert item["mainEntityOfPage"]["@id"] == url
    assert all(image.startswith(SITE_URL + "/") for image in item["image"])
    assert item["publisher"]["logo"]["url"].startswith(SITE_URL + "/")


@pytest.mark.parametrize("name", ["sample-article", "hero-article"])
def test_article_pages_are_news_articles_with_breadcrumbs(pages, site, name):
    data = structured(pages, site, name)
    news = one(data, "NewsArticle")
    assert_posting(news, SITE_URL + site.pages[name])
    assert news["dateModified"] >= news["datePublished"]
    crumbs = one(data, "BreadcrumbList")["itemListElement"]
    assert crumbs[0]["item"] == SITE_URL + "/"
    assert crumbs[-1]["item"] == SITE_URL + site.pages[name]
    assert [crumb["position"] for crumb in crumbs] == list(range(1, len(crumbs) + 1))
    properties = dict(data["opengraph"][0]["properties"])
    for key in ("og:image", "article:published_time", "article:modified_time", "article:author"):
        assert properties.get(key), f"{name} has no {key}"


def test_the_imported_sample_is_authored_apart_and_dated_as_captured(pages, site):
    news = one(structured(pages, site, "sample-article"), "NewsArticle")
    assert [author["name"] for author in news["author"]] == [
        "Rachel Amran",
        "The Kyiv Independent news desk",
    ]
    assert news["datePublished"] == news["dateModified"] == "2024-01-21T07:14:00+02:00"


def test_an_article_with_a_picture_lists_it_in_three_shapes(pages, site):
    news = one(structured(pages, site, "hero-article"), "NewsArticle")
    assert len(news["image"]) == 3


def test_the_feed_is_a_live_blog(pages, site):
    live = one(structured(pages, site, "feed"), "LiveBlogPosting")
    assert_posting(live, SITE_URL + "/feed/")
    assert live["coverageStartTime"] <= live["coverageEndTime"]
    assert live["liveBlogUpdate"] and all(
        update["@type"] == "BlogPosting" and update["headline"] for update in live["liveBlogUpdate"]
    )
    assert " | " not in live["headline"]


def test_a_feed_item_is_a_blog_posting(pages, site):
    assert_posting(
        one(structured(pages, site, "feed-item"), "BlogPosting"), SITE_URL + site.pages["feed-item"]
    )


@pytest.mark.parametrize(
    "name, index", [("section", "Sections"), ("author", "Authors"), ("tag", "Tags")]
)
def test_section_author_and_tag_pages_are_collections_with_breadcrumbs(pages, site, name, index):
    data = structured(pages, site, name)
    collection = one(data, "CollectionPage")
    url = SITE_URL + site.pages[name]
    assert collection["url"] == url and collection["name"]
    assert collection["isPartOf"]["url"] == SITE_URL + "/"
    trail = one(data, "BreadcrumbList")["itemListElement"]
    assert [step["name"] for step in trail][1:] == [index, collection["name"]]
    assert trail[-1]["item"] == url


def test_a_missing_page_names_no_canonical_address(pages):
    assert pages["not-found"].status == 404
    assert 'rel="canonical"' not in pages["not-found"].text

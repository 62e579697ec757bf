"""Demo content for a first look at the site: sections, authors, articles and feed items.

The captured sample pages in samples/ are imported as well, by the load_demo command.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from articles.models import Article, ArticleAuthor, Author, Section, Status, Tag
from feed.models import FeedItem

EDITOR_USERNAME = "editor"
EDITOR_PASSWORD = "newsroom-editor"

SECTIONS = [
    ("Ukraine news", "The war, politics and everyday life across Ukraine."),
    ("Business", "Economy, energy, trade and reconstruction."),
    ("Europe", "Ukraine's neighbours, the EU and NATO."),
    ("Opinion", "Columns and analysis from our writers and guests."),
]

AUTHORS = [
    ("Rachel Amran", Author.Kind.PERSON, "Reporter", "Rachel Amran covers Ukrainian politics."),
    ("Elsa Court", Author.Kind.PERSON, "Reporter", "Elsa Court covers security and defence."),
    ("Mariia Kovalenko", Author.Kind.PERSON, "Business reporter", "Covers energy and trade."),
    ("Andrii Shevchuk", Author.Kind.PERSON, "Columnist", "Writes about media and society."),
    (
        "The Kyiv Independent news desk",
        Author.Kind.DESK,
        "",
        "Breaking news and updates from our newsroom.",
    ),
]

ARTICLES = [
    {
        "headline": "Kyiv metro keeps trains running through winter power cuts",
        "section": "Ukraine news",
        "authors": ["Rachel Amran", "The Kyiv Independent news desk"],
        "tags": ["Kyiv", "Energy"],
        "hours_ago": 3,
        "body": (
            "The Kyiv metro will keep its trains running on backup power during scheduled "
            "outages this winter, the city's transport department said on Monday.\n\n"
            "Stations will also stay open as warm shelters during air raid alerts, with "
            "drinking water, phone charging points and first aid kits on every platform.\n\n"
            "> We are preparing for the hardest months of the year, a spokesperson said.\n\n"
            "The metro carried more than 300 million passengers last year."
        ),
    },
    {
        "headline": "Grain shipments through the Black Sea corridor rise for a third month",
        "section": "Business",
        "authors": ["Mariia Kovalenko"],
        "tags": ["Trade", "Agriculture"],
        "hours_ago": 7,
        "body": (
            "Ukraine shipped more grain through its Black Sea corridor in November than in "
            "any month since the route opened, port authorities reported.\n\n"
            "Traders credit **better air defence** around Odesa and lower insurance rates.\n\n"
            ":::card\ntitle: How Ukraine's ports kept working\nexcerpt: A look at the "
            "corridor that replaced the grain deal.\npublisher: The Kyiv Independent\n"
            "author: Mariia Kovalenko\n:::\n\n"
            "Farmers say transport costs remain the main obstacle to planting next season."
        ),
    },
    {
        "headline": "Border crossing with Poland reopens after protest ends",
        "section": "Europe",
        "authors": ["Elsa Court", "The Kyiv Independent news desk"],
        "tags": ["Poland", "Trade"],
        "hours_ago": 20,
        "body": (
            "Truck traffic resumed at a key crossing on the Polish border after local "
            "protesters lifted their blockade, Ukraine's border guard service said.\n\n"
            "Hundreds of lorries had queued for more than a week on both sides of the border."
        ),
    },
    {
        "headline": "Opinion: Local newsrooms are the first line of defence against rumours",
        "section": "Opinion",
        "authors": ["Andrii Shevchuk"],
        "tags": ["Media"],
        "hours_ago": 30,
        "body": (
            "When the sirens sound, people open their phones. What they find there in the "
            "first ten minutes shapes what a whole city believes for the rest of the day.\n\n"
            "Local reporters who know the streets, the officials and the hospitals are the "
            "ones who can check a rumour before it spreads.\n\n"
            "Supporting them is not charity. It is *infrastructure*."
        ),
    },
]

FEED_ITEMS = [
    ("Air raid alert lifted in Kyiv", "The all-clear sounded after two hours.", 0.3, True),
    ("Parliament passes winter budget amendments", "Lawmakers voted 280 to 40.", 1.5, False),
    ("Power restored in Kharkiv districts", "Crews worked through the night.", 4, False),
    ("EU ministers meet on new sanctions package", "A decision is expected Friday.", 9, False),
]


@transaction.atomic
def load(now=None):
    """Create the demo content that is missing; return what was created, by kind."""
    now = now or timezone.now()
    created = {"sections": 0, "authors": 0, "articles": 0, "feed items": 0, "users": 0}
    sections = {}
    for position, (name, description) in enumerate(SECTIONS):
        sections[name], new = Section.objects.get_or_create(
            name=name, defaults={"description": description, "position": position}
        )
        created["sections"] += new
    authors = {}
    for name, kind, role, bio in AUTHORS:
        authors[name], new = Author.objects.get_or_create(
            name=name, defaults={"kind": kind, "role": role, "bio": bio}
        )
        created["authors"] += new
    for spec in ARTICLES:
        if Article.objects.filter(headline=spec["headline"]).exists():
            continue
        article = Article.objects.create(
            headline=spec["headline"],
            body=spec["body"],
            section=sections[spec["section"]],
            status=Status.PUBLISHED,
            published_at=now - timedelta(hours=spec["hours_ago"]),
        )
        article.tags.set([Tag.objects.get_or_create(name=name)[0] for name in spec["tags"]])
        for position, name in enumerate(spec["authors"]):
            ArticleAuthor.objects.create(article=article, author=authors[name], position=position)
        created["articles"] += 1
    for headline, summary, hours_ago, pinned in FEED_ITEMS:
        _, new = FeedItem.objects.get_or_create(
            headline=headline,
            defaults={
                "summary": summary,
                "published_at": now - timedelta(hours=hours_ago),
                "pinned": pinned,
                "section": sections["Ukraine news"],
            },
        )
        created["feed items"] += new
    User = get_user_model()
    if not User.objects.filter(username=EDITOR_USERNAME).exists():
        User.objects.create_superuser(EDITOR_USERNAME, "editor@example.com", EDITOR_PASSWORD)
        created["users"] += 1
    created["users"] += load_roles(authors, sections, now)
    return created


# One login per role, to try the editorial workflow: (username, password, group, author name).
ROLE_USERS = [
    ("writer", "newsroom-writer", "Contributor", "Rachel Amran"),
    ("desk", "newsroom-desk", "Editor", None),
    ("chief", "newsroom-chief", "Chief editor", None),
]

WORK_IN_PROGRESS = [
    ("Kyiv schools prepare shelters for the new term", Status.DRAFT),
    ("Volunteers rebuild a library in Chernihiv", Status.REVIEW),
]


def load_roles(authors, sections, now):
    """Create the role logins and a little work in progress for them; return how many users."""
    from django.contrib.auth.models import Group, Permission

    from articles import roles

    roles.sync_groups(Group, Permission)
    User = get_user_model()
    made = 0
    for username, password, group, author_name in ROLE_USERS:
        user, new = User.objects.get_or_create(
            username=username, defaults={"is_staff": True, "email": f"{username}@example.com"}
        )
        if new:
            user.set_password(password)
            user.save()
            made += 1
        user.groups.add(Group.objects.get(name=group))
        if author_name and authors[author_name].user_id is None:
            authors[author_name].user = user
            authors[author_name].save(update_fields=["user"])
    writer = User.objects.get(username=ROLE_USERS[0][0])
    for headline, status in WORK_IN_PROGRESS:
        if Article.objects.filter(headline=headline).exists():
            continue
        article = Article.objects.create(
            headline=headline,
            body="A first paragraph, still being written.\n\nMore to come.",
            section=sections["Ukraine news"],
            status=status,
            created_by=writer,
        )
        ArticleAuthor.objects.create(article=article, author=authors["Rachel Amran"])
    return made

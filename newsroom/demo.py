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
    # Older stories: what the home page's section blocks show below Latest.
    {
        "headline": "Lviv opens a second rehabilitation centre for veterans",
        "section": "Ukraine news",
        "authors": ["Rachel Amran"],
        "tags": ["Health"],
        "hours_ago": 52,
        "body": (
            "The centre will treat up to 300 patients a month, the regional administration "
            "said, and train physiotherapists from other cities."
        ),
    },
    {
        "headline": "Ukrainian steelmakers raise output as the port of Odesa ships more",
        "section": "Business",
        "authors": ["Mariia Kovalenko"],
        "tags": ["Trade"],
        "hours_ago": 60,
        "body": (
            "Steel output rose by a fifth in the third quarter, an industry group said, "
            "as exporters moved cargo from rail to sea."
        ),
    },
    {
        "headline": "Moldova and Ukraine agree on a joint border checkpoint",
        "section": "Europe",
        "authors": ["Elsa Court"],
        "tags": ["Moldova"],
        "hours_ago": 70,
        "body": (
            "Officers of both countries will check travellers once, at one post, from the "
            "spring, the two governments said."
        ),
    },
    {
        "headline": "Opinion: Winter will test our cities, and our neighbours",
        "section": "Opinion",
        "authors": ["Andrii Shevchuk"],
        "tags": ["Energy"],
        "hours_ago": 80,
        "body": (
            "Generators on every corner are a sign of resilience. They are also a sign of "
            "how much is still to be rebuilt."
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
    created["articles"] += load_site_extras(sections, authors, now)
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

    from newsroom import roles

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


# More stories with pictures, section feed updates and reads, so the home page is full.
MORE_ARTICLES = [
    {
        "headline": "Kharkiv reopens schools underground as classes return",
        "section": "Ukraine news",
        "authors": ["Elsa Court"],
        "hours_ago": 1,
        "colours": ((24, 64, 110), (210, 160, 60)),
        "body": (
            "Hundreds of children in Kharkiv went back to classrooms built in metro stations "
            "and basements this week, the city council said.\n\n"
            "Teachers say the pupils are glad to see each other in person after years online."
        ),
    },
    {
        "headline": "Energy company restores power to 200,000 homes after overnight strikes",
        "section": "Business",
        "authors": ["Mariia Kovalenko", "The Kyiv Independent news desk"],
        "hours_ago": 5,
        "colours": ((40, 40, 48), (240, 200, 90)),
        "body": (
            "Repair crews worked through the night to reconnect homes in three regions, "
            "the national grid operator said on Tuesday.\n\n"
            "Households are asked to limit the use of heavy appliances during peak hours."
        ),
    },
    {
        "headline": "EU ministers agree on next steps for Ukraine's accession talks",
        "section": "Europe",
        "authors": ["Rachel Amran"],
        "hours_ago": 12,
        "colours": ((20, 50, 140), (250, 215, 40)),
        "body": (
            "Foreign ministers of the European Union agreed on a timetable for the first "
            "chapters of Ukraine's accession negotiations.\n\n"
            "The talks could open formally in the spring, diplomats said."
        ),
    },
    {
        "headline": "Opinion: Rebuilding must start with the people who stayed",
        "section": "Opinion",
        "authors": ["Andrii Shevchuk"],
        "hours_ago": 40,
        "colours": ((90, 30, 40), (230, 230, 220)),
        "body": (
            "Reconstruction plans are drawn up in conference halls far from the front. "
            "They should begin in the towns whose people never left.\n\n"
            "Those residents know which bridge matters and which school to fix first."
        ),
    },
]

SECTION_UPDATES = [
    ("Business", "Hryvnia steady against the euro", "The central bank kept its rate.", 2),
    ("Europe", "Polish hauliers suspend protest", "Talks resume next week.", 6),
    ("Opinion", "Readers respond to our series on local news", "Letters from six cities.", 11),
]


def hero_jpeg(colours, size=(1600, 900)):
    """A simple picture for demo stories: a sky-to-field gradient with a sun."""
    import io

    from PIL import Image, ImageDraw

    top, bottom = colours
    width, height = size
    image = Image.new("RGB", size, top)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        mix = y / (height - 1)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True)),
        )
    draw.ellipse([width * 0.62, height * 0.18, width * 0.78, height * 0.46], fill=(255, 236, 170))
    draw.rectangle([0, height * 0.78, width, height], fill=tuple(c // 2 for c in bottom))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()


def load_site_extras(sections, authors, now):
    """Articles with hero pictures, section feed updates and a week of reads; return how many
    articles were created."""
    from django.core.files.base import ContentFile

    from articles.models import ArticleReads

    made = 0
    for spec in MORE_ARTICLES:
        if Article.objects.filter(headline=spec["headline"]).exists():
            continue
        article = Article(
            headline=spec["headline"],
            body=spec["body"],
            section=sections[spec["section"]],
            status=Status.PUBLISHED,
            published_at=now - timedelta(hours=spec["hours_ago"]),
            hero_alt="An illustration: a sun over a field, in the colours of the story.",
            hero_credit="Illustration: Newsroom demo",
        )
        article.hero_image.save(
            f"demo-{spec['section'].lower().replace(' ', '-')}.jpg",
            ContentFile(hero_jpeg(spec["colours"])),
            save=False,
        )
        article.save()
        for position, name in enumerate(spec["authors"]):
            ArticleAuthor.objects.create(article=article, author=authors[name], position=position)
        made += 1
    for section, headline, summary, hours_ago in SECTION_UPDATES:
        FeedItem.objects.get_or_create(
            headline=headline,
            defaults={
                "summary": summary,
                "published_at": now - timedelta(hours=hours_ago),
                "section": sections[section],
            },
        )
    today = timezone.localdate()
    headlines = [spec["headline"] for spec in MORE_ARTICLES + ARTICLES]
    for rank, article in enumerate(Article.objects.filter(headline__in=headlines)):
        ArticleReads.objects.get_or_create(
            article=article, day=today, defaults={"count": 40 + 37 * rank % 200}
        )
    return made

"""What the article page plays: a generated narration, or a reading an editor uploaded."""

import json
import posixpath
from dataclasses import dataclass

from articles.uploads import INLINE_CONTENT_TYPES
from narration.models import Narration
from newsroom.seo import absolute


@dataclass(frozen=True)
class Listening:
    url: str
    content_type: str
    duration: float | None  # seconds, when known
    generated: bool
    timings: tuple = ()

    @property
    def duration_text(self):
        return clock(self.duration) if self.duration else ""

    @property
    def timings_json(self):
        return json.dumps(list(self.timings), separators=(",", ":"))


def clock(seconds):
    """Seconds as a player shows them: 2:05, or 1:02:05."""
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def iso_duration(seconds):
    """Seconds as an ISO 8601 duration, as schema.org asks: PT2M31S."""
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return text + (f"{seconds}S" if seconds or text == "PT" else "")


def for_article(article):
    """What the page plays: an uploaded reading first, else the narration; None for neither."""
    if article.audio:
        extension = posixpath.splitext(article.audio.name)[1].lower()
        content_type = INLINE_CONTENT_TYPES.get(extension, "audio/mpeg")
        return Listening(article.audio.url, content_type, None, generated=False)
    try:
        narration = article.narration  # joined by Article.objects.for_detail()
    except Narration.DoesNotExist:
        return None
    if not narration.is_ready:
        return None
    return Listening(
        narration.get_absolute_url(),
        narration.content_type,
        narration.duration,
        generated=True,
        timings=tuple(tuple(row) for row in narration.timings),
    )


def ai_note(article, listening):
    """Whether the page says the audio is made with AI: only beside something to play; a
    narration is, an uploaded reading only when the editor says so."""
    if listening is None:
        return False
    return listening.generated or article.audio_ai_generated


def audio_object(listening):
    """schema.org AudioObject of what the page plays, for the NewsArticle JSON-LD."""
    if listening is None:
        return None
    data = {
        "@type": "AudioObject",
        "contentUrl": absolute(listening.url),
        "encodingFormat": listening.content_type,
    }
    if listening.duration:
        data["duration"] = iso_duration(listening.duration)
    return data

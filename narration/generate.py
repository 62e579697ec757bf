"""Making narrations: queue one after commit, render it in the worker, store it, remove it.

`queue()` is what publishing and editing call; the page never waits for it. `run()` is the
job: it reads the article's script with the chosen voice, paragraph by paragraph, records
when each paragraph starts and ends from the samples spoken, encodes MP3 and keeps it under
NARRATION_ROOT. A failure is recorded with its reason and tried again after each of
NARRATION_RETRY_DELAYS, a round that each new request starts afresh; publishing never depends
on it.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from narration import audio, backends, script
from narration.models import Narration, storage
from newsroom import tasks

logger = logging.getLogger(__name__)

# Pauses, in seconds, after the headline and byline and between paragraphs.
PAUSE_AFTER_PART = 0.35

State = Narration.State


@dataclass(frozen=True)
class Outcome:
    """What one run did: "made", "unchanged", "skipped" (with why) or "failed" (with why)."""

    result: str
    why: str = ""
    retry: bool = False


def queue(article_id, *, force=False):
    """Narrate the article in the worker once the current transaction commits."""
    tasks.on_commit(lambda: _enqueue(article_id, force))


def _enqueue(article_id, force):
    # A new request (publishing, an edit, Regenerate) gets its own round of retries.
    Narration.objects.update_or_create(
        article_id=article_id,
        defaults={
            "state": State.QUEUED,
            "queued_at": timezone.now(),
            "reason": "",
            "attempts": 0,
        },
    )
    tasks.narrate_article.enqueue(article_id, force)


def script_of(article):
    names = [author.name for author in article.ordered_authors]
    return script.build(headline=article.headline, authors=names, body_html=article.body_html())


def digest_of(backend, voice, text):
    return hashlib.sha256(f"{backend.name}\n{voice}\n{text}".encode()).hexdigest()


@dataclass(frozen=True)
class Spoken:
    sound: audio.Sound
    timings: list


def speak(read, backend, voice):
    """Say every part of `read` (a script.Script); time each body paragraph by its samples."""
    rate, pcm, timings = None, bytearray(), []
    for part in read.parts:
        start = len(pcm) // audio.SAMPLE_WIDTH
        for chunk in script.chunks(part.text):
            sound = backend.speak(chunk, voice)
            if rate is None:
                rate = sound.rate
            elif sound.rate != rate:
                raise backends.NarrationFailed(
                    f"The voice changed sample rate mid-article ({rate} then {sound.rate} Hz)"
                )
            pcm += sound.pcm
        end = len(pcm) // audio.SAMPLE_WIDTH
        if part.kind == script.PARAGRAPH:
            timings.append([part.index, round(start / rate, 3), round(end / rate, 3)])
        pcm += audio.silence(rate, PAUSE_AFTER_PART)
    if rate is None:
        raise backends.NarrationFailed("There is nothing to read.")
    return Spoken(audio.Sound(rate, bytes(pcm)), timings)


def run(article_id, *, force=False):
    """Narrate one article now, unless its narration is already that of its current text."""
    article = Article.objects.with_authors().filter(pk=article_id).first()
    if article is None:
        return Outcome("skipped", "the article was deleted")
    narration, _ = Narration.objects.get_or_create(article=article)
    why_not = reason_not_to_narrate(article)
    if why_not:
        if narration.state == State.QUEUED:
            narration.state = State.READY if narration.file_name else State.NONE
            narration.save(update_fields=["state"])
        return Outcome("skipped", why_not)
    backend = backends.current()
    voice = voice_for(narration, backend)
    read = script_of(article)
    digest = digest_of(backend, voice, read.text)
    if not force and narration.file_name and narration.digest == digest:
        if narration.state != State.READY:
            narration.state = State.READY
            narration.save(update_fields=["state"])
        return Outcome("unchanged")
    try:
        spoken = speak(read, backend, voice)
        data = audio.encode_mp3(spoken.sound)
    except backends.NarrationUnavailable as error:
        return failed(narration, str(error), retry=False)
    except (backends.NarrationFailed, audio.AudioError, OSError) as error:
        return failed(narration, str(error), retry=True)
    except Exception as error:  # a bug must not leave the narration queued for ever
        logger.exception("Narration of article %s broke", article.pk)
        return failed(narration, f"Unexpected error: {error!r}", retry=True)
    keep(narration, data, spoken, backend=backend, voice=voice, digest=digest, words=read.words)
    return Outcome("made")


def voice_for(narration, backend):
    """The editor's choice of voice, if the current backend has it; else the default."""
    if narration.voice and narration.voice in dict(backend.voices):
        return narration.voice
    return backend.default_voice


def reason_not_to_narrate(article):
    if not article.is_public:
        return "readers cannot see the article"
    if article.audio:
        return "an editor uploaded a reading of it"
    return ""


def keep(narration, data, spoken, *, backend, voice, digest, words):
    old = narration.file_name
    name = storage().save(f"{narration.article_id}-{digest[:16]}.mp3", ContentFile(data))
    narration.file_name = name
    narration.content_type = audio.MP3_CONTENT_TYPE
    narration.size = len(data)
    narration.duration = round(spoken.sound.seconds, 3)
    narration.timings = spoken.timings
    narration.backend = backend.name
    narration.voice_used = voice
    narration.digest = digest
    narration.words = words
    narration.state = State.READY
    narration.reason = ""
    narration.attempts = 0
    narration.generated_at = timezone.now()
    narration.save()
    if old and old != name:
        delete_after_commit(old)


def failed(narration, reason, *, retry):
    narration.attempts += 1
    narration.state = State.FAILED
    narration.reason = reason
    narration.save(update_fields=["attempts", "state", "reason"])
    delays = settings.NARRATION_RETRY_DELAYS
    again = retry and narration.attempts <= len(delays)
    if again:
        later = timezone.now() + timedelta(seconds=delays[narration.attempts - 1])
        article_id = narration.article_id
        tasks.on_commit(
            lambda: tasks.narrate_article.using(run_after=later).enqueue(article_id, False)
        )
    logger.warning("Narration of article %s failed: %s", narration.article_id, reason)
    return Outcome("failed", reason, retry=again)


def remove(narration):
    """Take the narration's sound away; its voice choice stays."""
    old = narration.file_name
    narration.file_name = ""
    narration.state = State.NONE
    narration.reason = ""
    narration.size = 0
    narration.duration = 0
    narration.timings = []
    narration.digest = ""
    narration.save()
    delete_after_commit(old)


def give_way_to_upload(article_id):
    """An editor's uploaded reading replaces the narration everywhere (the page, the audio
    address, the podcast): the narration's sound is removed."""
    for narration in Narration.objects.filter(article_id=article_id).exclude(file_name=""):
        remove(narration)


def delete_after_commit(name):
    if name:
        transaction.on_commit(lambda: storage().delete(name), robust=True)


def missing():
    """Articles readers see that have no narration and no uploaded reading."""
    return (
        Article.objects.published()
        .filter(audio="")
        .exclude(narration__file_name__gt="")
        .order_by("-published_at", "-id")
    )

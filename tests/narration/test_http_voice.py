"""The speech-service voice, against a small server on 127.0.0.1 that speaks the protocol."""

import io
import json
import math
import struct
import threading
import wave
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from articles import workflow
from articles.models import Article, Status
from narration.models import Narration
from tests.factories import ArticleFactory
from tests.html import find, parse

pytestmark = pytest.mark.django_db

RATE = 24000
WORDS_PER_SECOND = 2.5


PERIOD = struct.pack("<120h", *(int(3000 * math.sin(2 * math.pi * n / 120)) for n in range(120)))


def tone(seconds):
    """A WAV of a quiet 200 Hz tone, as a speech service would send speech."""
    periods = int(RATE * seconds) // 120
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(PERIOD * periods)
    return buffer.getvalue()


class SpeechServer:
    """POST /v1/audio/speech {model, input, voice, response_format} -> WAV, a second for every
    2.5 words; answers `status` instead when that is set."""

    def __init__(self):
        self.requests = []
        self.status = 200
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append((self.path, dict(self.headers), body))
                if server.status != 200:
                    answer, kind = b'{"error": {"message": "quota exceeded"}}', "application/json"
                    self.send_response(server.status)
                else:
                    answer = tone(len(body["input"].split()) / WORDS_PER_SECOND)
                    kind = "audio/wav"
                    self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1/audio/speech"
        # shutdown() waits for the serving loop to look up, every poll_interval (0.5 s unless told).
        threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def speech(settings):
    server = SpeechServer()
    settings.NARRATION_BACKEND = "http"
    settings.NARRATION_HTTP_URL = server.url
    settings.NARRATION_HTTP_KEY = "sk-test-key"
    settings.NARRATION_HTTP_MODEL = "tts-test"
    settings.NARRATION_HTTP_VOICE = "nova"
    yield server
    server.close()


def publish_draft(django_capture_on_commit_callbacks, body):
    article = ArticleFactory(
        headline="Kyiv metro reopens", status=Status.DRAFT, published_at=None, body=body
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article=Article.objects.get(pk=article.pk), by=None)
    return article


def test_the_speech_service_reads_the_article_in_its_voice(
    client, speech, run_worker, django_capture_on_commit_callbacks
):
    sentence = "The border crossing at Porubne stayed closed for another day."
    long_paragraph = " ".join([sentence] * 40)
    article = publish_draft(django_capture_on_commit_callbacks, f"Short one.\n\n{long_paragraph}")
    run_worker()

    paths = {path for path, _, _ in speech.requests}
    assert paths == {"/v1/audio/speech"}
    _, headers, first = speech.requests[0]
    assert headers["Authorization"] == "Bearer sk-test-key"
    assert first == {
        "model": "tts-test",
        "input": "Kyiv metro reopens",
        "voice": "nova",
        "response_format": "wav",
    }
    inputs = [body["input"] for _, _, body in speech.requests]
    assert inputs[1] == "Short one."
    # The long paragraph went in pieces that end at sentence ends, and lost nothing.
    pieces = inputs[2:]
    assert len(pieces) > 1 and all(len(p) <= 1000 and p.endswith(".") for p in pieces)
    assert " ".join(pieces) == long_paragraph

    narration = Narration.objects.get()
    assert narration.backend == "http" and narration.voice_used == "nova"
    words = sum(len(text.split()) for text in inputs)
    assert narration.duration == pytest.approx(words / WORDS_PER_SECOND, rel=0.2)
    page = parse(client.get(article.get_absolute_url()))
    assert find(find(page, "div", "player"), "audio").attributes["src"].endswith(".mp3")


def test_a_refusing_speech_service_fails_the_narration_with_its_answer(
    speech, run_worker, django_capture_on_commit_callbacks
):
    speech.status = 429
    publish_draft(django_capture_on_commit_callbacks, "A paragraph.")
    run_worker()
    narration = Narration.objects.get()
    assert narration.state == Narration.State.FAILED
    assert narration.reason.startswith("The speech service answered 429:")
    assert "quota exceeded" in narration.reason

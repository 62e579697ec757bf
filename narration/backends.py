"""Voices: what turns a chunk of text into sound. NARRATION_BACKEND chooses one.

- "espeak": eSpeak NG (Debian's `espeak-ng`), on this machine, offline.
- "http": a speech service that takes the widely copied `POST /v1/audio/speech` request
  ({"model", "input", "voice", "response_format"}), at NARRATION_HTTP_URL with
  NARRATION_HTTP_KEY, asked for WAV.

Each gives mono 16-bit sound (audio.Sound) for a chunk, so that the narration can count its
samples and know when each paragraph starts.
"""

import json
import shutil
import subprocess
import urllib.error
import urllib.request

from django.conf import settings

from narration.audio import AudioError, read_wav

ESPEAK_INSTALL = "apt-get install espeak-ng"


class NarrationUnavailable(Exception):
    """The voice cannot work on this server as it is set up; the message says what to do."""


class NarrationFailed(Exception):
    """One attempt at speaking failed; it may work when tried again."""


class Espeak:
    name = "espeak"
    label = "eSpeak NG"
    voices = [
        ("en-us", "American English (eSpeak NG)"),
        ("en-gb", "British English (eSpeak NG)"),
        ("en-us+f3", "American English, higher voice (eSpeak NG)"),
        ("en-gb-scotland", "Scottish English (eSpeak NG)"),
    ]

    @property
    def words_per_minute(self):
        return settings.NARRATION_WORDS_PER_MINUTE

    @property
    def default_voice(self):
        return settings.NARRATION_VOICE or "en-us"

    def binary(self):
        return shutil.which(settings.NARRATION_ESPEAK_BINARY)

    def problem(self):
        """What stops this voice from working here, for editors, or None."""
        if self.binary() is None:
            return (
                f"eSpeak NG ({settings.NARRATION_ESPEAK_BINARY}) is not installed on this "
                f"server, so articles cannot be narrated. Install it with “{ESPEAK_INSTALL}” "
                "(Debian or Ubuntu), then press Regenerate."
            )
        return None

    def speak(self, text, voice):
        problem = self.problem()
        if problem:
            raise NarrationUnavailable(problem)
        command = [self.binary(), "--stdout", "-b", "1", "-v", voice]
        command += ["-s", str(self.words_per_minute)]
        try:
            done = subprocess.run(command, input=text.encode(), capture_output=True, timeout=300)
        except subprocess.TimeoutExpired as error:
            raise NarrationFailed("eSpeak NG took more than 5 minutes over one chunk") from error
        if done.returncode != 0:
            message = done.stderr.decode(errors="replace").strip()[:300]
            raise NarrationFailed(f"eSpeak NG stopped with status {done.returncode}: {message}")
        try:
            return read_wav(done.stdout)
        except AudioError as error:
            raise NarrationFailed(f"eSpeak NG sent {error}") from error


class HttpSpeech:
    name = "http"
    label = "speech service"

    @property
    def voices(self):
        names = [settings.NARRATION_HTTP_VOICE, *settings.NARRATION_HTTP_VOICES]
        return [(name, f"{name} (speech service)") for name in dict.fromkeys(names) if name]

    @property
    def words_per_minute(self):
        return settings.NARRATION_WORDS_PER_MINUTE

    @property
    def default_voice(self):
        return settings.NARRATION_VOICE or settings.NARRATION_HTTP_VOICE

    def problem(self):
        if not settings.NARRATION_HTTP_URL:
            return "Set NARRATION_HTTP_URL to the speech service's /v1/audio/speech address."
        return None

    def speak(self, text, voice):
        problem = self.problem()
        if problem:
            raise NarrationUnavailable(problem)
        body = json.dumps(
            {
                "model": settings.NARRATION_HTTP_MODEL,
                "input": text,
                "voice": voice,
                "response_format": "wav",
            }
        ).encode()
        headers = {"Content-Type": "application/json", "Accept": "audio/wav"}
        if settings.NARRATION_HTTP_KEY:
            headers["Authorization"] = f"Bearer {settings.NARRATION_HTTP_KEY}"
        request = urllib.request.Request(
            settings.NARRATION_HTTP_URL, data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.NARRATION_HTTP_TIMEOUT) as answer:
                data = answer.read()
        except urllib.error.HTTPError as error:
            said = error.read(300).decode(errors="replace").strip()
            raise NarrationFailed(f"The speech service answered {error.code}: {said}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise NarrationFailed(f"The speech service could not be reached: {reason}") from error
        try:
            return read_wav(data)
        except AudioError as error:
            raise NarrationFailed(f"The speech service sent {error}") from error


BACKENDS = {backend.name: backend for backend in (Espeak(), HttpSpeech())}


def current():
    """The voice NARRATION_BACKEND names."""
    return BACKENDS[settings.NARRATION_BACKEND]

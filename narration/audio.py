"""Sound as plain data: reading WAV, silence, encoding to MP3 and walking MP3 frames. Pure."""

import struct
from dataclasses import dataclass

import lameenc

from articles.uploads import mpeg_frame_length

SAMPLE_WIDTH = 2  # 16-bit samples, little-endian, mono
MP3_CONTENT_TYPE = "audio/mpeg"
# 32 kbit/s mono is clear speech at a few hundred kB for a short article.
MP3_KBPS = 32


class AudioError(ValueError):
    """Sound that cannot be read: the message says what was wrong with it."""


@dataclass(frozen=True)
class Sound:
    """Mono 16-bit PCM at `rate` samples a second."""

    rate: int
    pcm: bytes

    @property
    def samples(self):
        return len(self.pcm) // SAMPLE_WIDTH

    @property
    def seconds(self):
        return self.samples / self.rate


def read_wav(data):
    """A WAV file's sound, mixed down to mono. Streamed WAV (a data size that runs past the
    end, as espeak-ng writes to a pipe) is read to the end of what was sent."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise AudioError(f"not a WAV file (it starts with {data[:12]!r})")
    position, channels, rate, bits = 12, None, None, None
    while position + 8 <= len(data):
        name, size = (
            data[position : position + 4],
            struct.unpack("<I", data[position + 4 : position + 8])[0],
        )
        body = data[position + 8 : position + 8 + size]
        if name == b"fmt ":
            kind, channels, rate = struct.unpack("<HHI", body[:8])
            bits = struct.unpack("<H", body[14:16])[0]
            if kind not in (1, 0xFFFE) or bits != 16:
                raise AudioError(f"WAV of format {kind} with {bits}-bit samples; 16-bit PCM needed")
        elif name == b"data":
            if rate is None:
                raise AudioError("WAV data before its format")
            return Sound(
                rate, mono(body[: len(body) - len(body) % (SAMPLE_WIDTH * channels)], channels)
            )
        position += 8 + size + (size & 1)
    raise AudioError("WAV file with no sound in it")


def mono(pcm, channels):
    if channels == 1:
        return pcm
    count = len(pcm) // SAMPLE_WIDTH
    values = struct.unpack(f"<{count}h", pcm)
    mixed = [sum(values[i : i + channels]) // channels for i in range(0, count, channels)]
    return struct.pack(f"<{len(mixed)}h", *mixed)


def silence(rate, seconds):
    return b"\x00" * (round(rate * seconds) * SAMPLE_WIDTH)


def encode_mp3(sound, kbps=MP3_KBPS):
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(kbps)
    encoder.set_in_sample_rate(sound.rate)
    encoder.set_channels(1)
    encoder.set_quality(2)
    return bytes(encoder.encode(sound.pcm) + encoder.flush())


MPEG_SAMPLE_RATES = {0: (11025, 12000, 8000), 2: (22050, 24000, 16000), 3: (44100, 48000, 32000)}


def mp3_frames(data):
    """(frame count, seconds) of an MP3 whose frames follow one another to its end; raises
    AudioError at the first byte that is not a frame."""
    position, frames, seconds = 0, 0, 0.0
    if data[:3] == b"ID3" and len(data) >= 10:
        size = (
            (data[6] & 0x7F) << 21
            | (data[7] & 0x7F) << 14
            | (data[8] & 0x7F) << 7
            | (data[9] & 0x7F)
        )
        position = 10 + size
    while position < len(data):
        header = data[position : position + 4]
        length = mpeg_frame_length(header)
        if length is None or position + length > len(data):
            raise AudioError(f"no MPEG audio frame at byte {position} of {len(data)}")
        version, layer = (header[1] >> 3) & 3, 4 - ((header[1] >> 1) & 3)
        rate = MPEG_SAMPLE_RATES[version][(header[2] >> 2) & 3]
        per_frame = 384 if layer == 1 else (1152 if version == 3 or layer == 2 else 576)
        frames += 1
        seconds += per_frame / rate
        position += length
    if not frames:
        raise AudioError("no MPEG audio frames")
    return frames, seconds

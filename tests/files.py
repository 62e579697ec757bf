"""Small real files for upload tests, made in memory: pictures with metadata, audio, bombs."""

import io
import struct
import wave
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms

ARTIST = "Jane Photographer"
KYIV = {1: "N", 2: (50.0, 27.0, 0.0), 3: "E", 4: (30.0, 31.0, 0.0)}  # GPS IFD tags

EVIL_HTML = (
    b"<!doctype html><title>clip</title><script>document.title = 'pwned';"
    b"fetch('/stolen', {method: 'POST', body: document.cookie});</script>"
)
EVIL_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>document.title = "pwned"</script></svg>'
)


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def photo_with_metadata(name="phone.jpg", fmt="JPEG", size=(40, 30), orientation=1):
    """A photo as a phone saves it: EXIF with the artist, GPS and orientation, a colour profile,
    and (in JPEG) a comment and XMP."""
    image = Image.new("RGB", size, (200, 40, 40))
    image.paste((40, 40, 200), (0, 0, size[0] // 2, size[1] // 2))  # blue top-left corner
    exif = Image.Exif()
    exif[0x013B] = ARTIST
    exif[0x0112] = orientation
    exif[0x8825] = KYIV
    options = {
        "exif": exif,
        "icc_profile": ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    }
    if fmt == "JPEG":
        options |= {"comment": b"Shot at home", "xmp": f"<x:xmpmeta>{ARTIST}</x:xmpmeta>".encode()}
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return upload(name, buffer.getvalue(), f"image/{fmt.lower()}")


def swapped_primaries_profile():
    """An RGB colour profile that is sRGB with its red and blue primaries swapped: a picture
    carrying it shows as blue what its pixels store as red."""
    raw = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    (count,) = struct.unpack(">I", raw[128:132])
    tags = {}
    for entry in range(132, 132 + 12 * count, 12):
        signature, offset, size = struct.unpack(">4sII", raw[entry : entry + 12])
        tags[signature] = slice(offset, offset + size)
    red, blue = raw[tags[b"rXYZ"]], raw[tags[b"bXYZ"]]
    raw[tags[b"rXYZ"]], raw[tags[b"bXYZ"]] = blue, red
    raw[84:100] = bytes(16)  # the profile's checksum, which is optional
    return bytes(raw)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_blank_png(width, height):
    """A black 1-bit PNG of width × height, a few dozen kB, made without any pixels in memory."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the bits of the row
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row * 500) for _ in range(height // 500))
    data += packer.compress(row * (height % 500)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data)
        + png_chunk(b"IEND", b"")
    )


def animated_gif():
    """Two frames: red, then green."""
    frames = [Image.new("RGB", (20, 20), colour) for colour in ((255, 0, 0), (0, 255, 0))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)
    return buffer.getvalue()


def wav_bytes(seconds=0.1, rate=8000):
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\x00\x00" * int(seconds * rate))
    return buffer.getvalue()


def ogg_crc(data):
    crc = 0
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = (crc << 1) ^ 0x04C11DB7 if crc & 0x80000000 else crc << 1
        crc &= 0xFFFFFFFF
    return crc


def ogg_page(packets, sequence, flags=0, granule=0, serial=0x4E455753):
    lacing = b"".join(bytes([len(packet)]) for packet in packets)  # each packet < 255 bytes
    header = struct.pack("<4sBBqIIIB", b"OggS", 0, flags, granule, serial, sequence, 0, len(lacing))
    page = header + lacing + b"".join(packets)
    return page[:22] + struct.pack("<I", ogg_crc(page)) + page[26:]


def ogg_opus_bytes(frames=5):
    """An Ogg Opus stream of `frames` × 20 ms of silence."""
    head = b"OpusHead" + struct.pack("<BBHIhB", 1, 1, 312, 48000, 0, 0)
    tags = b"OpusTags" + struct.pack("<I", 8) + b"newsroom" + struct.pack("<I", 0)
    silence = b"\xf8\xff\xfe"  # one 20 ms CELT frame of silence
    return (
        ogg_page([head], 0, flags=0x02)
        + ogg_page([tags], 1)
        + ogg_page([silence] * frames, 2, flags=0x04, granule=312 + 960 * frames)
    )


def ogg_vorbis_bytes():
    """The first page of an Ogg Vorbis stream: its identification header."""
    ident = b"\x01vorbis" + struct.pack("<IBIiiiBB", 0, 1, 44100, 0, 128000, 0, 0xB8, 1)
    return ogg_page([ident], 0, flags=0x02)


def id3_tag(title="Interview"):
    frame = b"\x03" + title.encode()
    body = b"TIT2" + struct.pack(">I", len(frame)) + b"\x00\x00" + frame
    size = len(body)
    syncsafe = bytes((size >> shift) & 0x7F for shift in (21, 14, 7, 0))
    return b"ID3\x04\x00\x00" + syncsafe + body


def id3_tag_padded(padding, footer=False):
    """An ID3v2.4 tag of `padding` zero bytes after its title frame, with its footer if asked."""
    frame = b"\x03Interview"
    body = b"TIT2" + struct.pack(">I", len(frame)) + b"\x00\x00" + frame + b"\x00" * padding
    size = len(body)
    syncsafe = bytes((size >> shift) & 0x7F for shift in (21, 14, 7, 0))
    flags = b"\x10" if footer else b"\x00"
    header = b"ID3\x04\x00" + flags + syncsafe
    return header + body + (b"3DI\x04\x00" + flags + syncsafe if footer else b"")


def mp3_bytes(frames=10, tag=True):
    """MPEG-1 Layer III frames at 128 kbit/s and 44.1 kHz (silence), after an ID3 tag."""
    frame = b"\xff\xfb\x90\x00" + b"\x00" * (144 * 128000 // 44100 - 4)
    return (id3_tag() if tag else b"") + frame * frames


def m4a_bytes():
    ftyp = b"ftypM4A " + struct.pack(">I", 0x200) + b"M4A isommp42"
    return struct.pack(">I", len(ftyp) + 4) + ftyp + struct.pack(">I", 8) + b"mdat"

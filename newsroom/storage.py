"""Static files as WhiteNoise keeps them in production, each content compressed once."""

import hashlib
import os
import shutil

from whitenoise import storage


class CompressedManifestStaticFilesStorage(storage.CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed, Brotli- and gzip-compressed static files.

    collectstatic keeps each file under its own name and under its hashed name, mostly alike
    (not when it names other files, as CSS does); WhiteNoise would compress both. Here a content
    is compressed once and its compressed files copied beside the other names, as they were.
    """

    def compress_files(self, paths):
        alike = {}
        for path in paths:
            with open(self.path(path), "rb") as file:
                alike.setdefault(hashlib.file_digest(file, "sha256").digest(), []).append(path)
        others = {first: rest for first, *rest in alike.values()}
        for name, compressed_name in super().compress_files(list(others)):
            yield name, compressed_name
            suffix = compressed_name.removeprefix(name)
            for other in others[name]:
                shutil.copyfile(self.path(compressed_name), self.path(other + suffix))
                # As WhiteNoise dates a compressed file: like the file it was made from.
                source = os.stat(self.path(other))
                os.utime(self.path(other + suffix), (source.st_atime, source.st_mtime))
                yield other, other + suffix

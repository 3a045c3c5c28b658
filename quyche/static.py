"""Where the static files are served from in production: hashed names (immutable caching), precompressed."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class KeptManifestStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's manifest storage, each file's URL worked out once per process: the manifest is read when
    the process starts and does not change while it runs, and every page asks for the same six
    (`{% static %}` in base.html: 0.15 ms of every page, bench/README.md)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)
            return url

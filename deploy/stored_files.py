"""Copy the site's stored files (the PDFs of issued texts) out of its storage into a folder, or back in.

Used by deploy/backup and deploy/restore; the storage is the site's own, as the environment configures it
(MEDIA_ROOT, or the STORAGE_S3_* bucket), so one copy works for both and a backup of one can be restored
into the other.

    python deploy/stored_files.py export FOLDER    # FOLDER must not exist
    python deploy/stored_files.py import FOLDER    # into the storage of DATABASE_URL's site
"""

import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quyche.settings")


def stored_names(storage, folder=""):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing stored yet: MEDIA_ROOT not made
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from stored_names(storage, f"{folder}/{sub}" if folder else sub)


def export(storage, target: Path) -> int:
    target.mkdir(parents=True)
    count = 0
    for name in stored_names(storage):
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, path.open("wb") as copy:
            shutil.copyfileobj(source, copy)
        count += 1
    return count


def restore(storage, source: Path) -> int:
    """Every file of the folder under its own name; a different file already kept under that name stops it."""
    from django.core.files import File

    count = 0
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = path.relative_to(source).as_posix()
        if storage.exists(name):
            with storage.open(name, "rb") as kept:
                if kept.read() == path.read_bytes():
                    continue
            sys.exit(f"stored_files: {name} is already stored with other contents; restore into empty storage")
        with path.open("rb") as content:
            saved = storage.save(name, File(content))
        if saved != name:
            sys.exit(f"stored_files: {name} was stored as {saved}")
        count += 1
    return count


def forget_missing(storage) -> list[str]:
    """A file the database names but the storage lacks (one deleted between the dump and the copy of the files):
    every stored file is a PDF the site prints again when next asked for, so the name is cleared."""
    from django.apps import apps
    from django.db import models

    missing = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and field.storage is storage:
                for pk, name in model.objects.exclude(**{field.name: ""}).values_list("pk", field.name):
                    if not storage.exists(name):
                        model.objects.filter(pk=pk).update(**{field.name: ""})
                        missing.append(name)
    return missing


def main(argv: list[str]) -> None:
    if len(argv) != 3 or argv[1] not in ("export", "import"):
        sys.exit(__doc__)
    import django

    django.setup()
    from django.core.files.storage import default_storage

    folder = Path(argv[2])
    if argv[1] == "export":
        print(f"{export(default_storage, folder)} stored files copied to {folder}")
    else:
        print(f"{restore(default_storage, folder)} stored files restored from {folder}")
        for name in forget_missing(default_storage):
            print(f"not in the backup, to be printed again when asked for: {name}")


if __name__ == "__main__":
    main(sys.argv)

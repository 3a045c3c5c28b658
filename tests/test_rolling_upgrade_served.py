"""A whole rolling upgrade (README, "Backups and upgrades"): the previous release, the code before the newest
migration, migrates a fresh PostgreSQL database, loads the demo and serves it with gunicorn; the next release
(this checkout) runs `migrate` while the previous one keeps serving, which then still serves the same pages and
takes a comment; the next release, started over the same database and Redis, serves the same texts and the
comment. Skipped without PostgreSQL, or without the git history that holds the previous release."""

import html
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests import stack
from tests.services import RedisServer

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a rolling upgrade migrates PostgreSQL: run with DATABASE_URL pointing at one (.ci/run does)",
    ),
]

DEMO_PASSWORD = "QuyChe@2026"  # the demo's (README, "Demo accounts")
CONSULTING = "Sửa đổi, bổ sung Quy chế làm việc của Ban Chấp hành Đảng bộ Khối năm 2026"  # demo/amendments.py
COMMENT = "Đề nghị bổ sung quy định lưu trữ tài liệu họp trực tuyến (góp ý trong lúc nâng cấp)."


def git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(stack.ROOT), *args], capture_output=True, text=True, timeout=60)


def previous_release() -> str:
    """The parent of the newest commit that added a migration: the last code that ran without it."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the previous release is not known")
    newest = git("log", "-1", "--format=%H", "--diff-filter=A", "--", "*/migrations/0*.py")
    if newest.returncode or not newest.stdout.strip():
        pytest.skip(f"no git history here (an exported tree?): the previous release is not known. {newest.stderr}")
    commit = newest.stdout.strip()
    parent = git("rev-parse", "--verify", "--quiet", f"{commit}^")
    if parent.returncode:
        pytest.skip(f"the history stops at {commit[:12]} (a shallow clone): the previous release is not in it")
    return parent.stdout.strip()


def check_out(commit: str, folder: Path) -> Path:
    """The release's files, as `git archive` gives them: nothing registered in the repository to clean up."""
    folder.mkdir()
    archive = subprocess.Popen(["git", "-C", str(stack.ROOT), "archive", commit], stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(folder)], stdin=archive.stdout, check=True, timeout=120)
    assert archive.wait(timeout=60) == 0
    return folder


def manage(code: Path, env: dict, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=code, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{code.name}: manage.py {' '.join(args)}\n{done.stdout}{done.stderr}"


def demo_pages(url: str) -> tuple[dict[str, list[str]], int]:
    """The pages a reader opens and the texts each shows, read from the database both releases share; and the
    amendment out for consultation."""
    with psycopg.connect(url) as db:
        amendment, regulation, version, title = db.execute(
            "SELECT a.id, r.id, r.current_version_id, r.title FROM reviews_amendment a "
            "JOIN regulations_regulation r ON r.id = a.regulation_id WHERE a.title = %s",
            [CONSULTING],
        ).fetchone()
        article, key, heading = db.execute(
            "SELECT id, key, heading FROM regulations_provision WHERE version_id = %s AND kind = 'article' "
            "AND label = '14'",
            [version],
        ).fetchone()
        clauses = [row[0] for row in db.execute("SELECT text FROM regulations_provision WHERE article_id = %s "
                                                 "AND kind = 'clause' ORDER BY position", [article])]  # fmt: skip
        comments = [row[0] for row in db.execute("SELECT text FROM reviews_comment WHERE amendment_id = %s",
                                                  [amendment])]  # fmt: skip
    word = heading.split()[-1]
    pages = {
        f"/quy-che/{regulation}/": [title],
        f"/van-ban/{version}/": [title, heading, *clauses],
        f"/van-ban/{version}/dieu/{key}/": [heading, *clauses],
        f"/sua-doi/{amendment}/du-thao/": [CONSULTING, *comments],
        f"/tim-kiem/?{urllib.parse.urlencode({'q': word})}": [heading],  # the index the migration replaces
    }
    return pages, amendment


def texts(page: bytes) -> str:
    """What a reader sees: the page's text without its markup, its spaces collapsed."""
    body = re.sub(rb"<(script|style)\b.*?</\1>", b" ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(rb"<[^>]+>", b" ", body).decode()).split())


def read(host: stack.WebHost, browser: stack.Browser, urls: list[str]) -> dict[str, bytes]:
    pages = {}
    for url in urls:
        status, _, body = browser.get(host.url + url)
        assert status == 200, (host.name, url, status, host.output())
        # The CSRF token (in forms, and in the headers htmx sends) is masked afresh on every page.
        pages[url] = re.sub(rb'(name="csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"', rb"\1", body)
    return pages


def assert_shows(pages: dict[str, bytes], expected: dict, release: str) -> None:
    for url, page in pages.items():
        seen = texts(page)
        missing = [text for text in expected[url] if " ".join(text.split()) not in seen]
        assert missing == [], f"{release} {url} lacks {missing}"


class Reading(threading.Thread):
    """A reader who keeps opening a page while the next release migrates."""

    def __init__(self, host: stack.WebHost, url: str):
        super().__init__(daemon=True)
        self.host, self.url, self.statuses, self.done = host, url, [], threading.Event()
        self.browser = stack.Browser()
        self.browser.log_in(host.url, "vanphong.khoi", DEMO_PASSWORD)

    def run(self):
        while not self.done.is_set():
            self.statuses.append(self.browser.get(self.host.url + self.url)[0])


def test_the_previous_release_keeps_serving_and_writing_while_the_next_one_migrates_then_the_next_serves_the_same(
    tmp_path, static_root
):
    code = check_out(previous_release(), tmp_path / "previous")
    redis = RedisServer().start()
    processes = [redis]
    with stack.fresh_database("upgrade") as database:
        env = stack.production_env(
            SECRET_KEY=stack.secret_key(), DATABASE_URL=database, REDIS_URL=redis.url, STATIC_ROOT=static_root
        )
        try:
            # The previous release, as it was deployed: its tables, the demo, its own static files (in a folder of
            # their own: collected into the next release's, its manifest would name only the files it has), gunicorn.
            previous_env = {**env, "STATIC_ROOT": str(tmp_path / "previous-static")}
            collecting = subprocess.Popen(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=code, env=previous_env
            )
            manage(code, env, "migrate", "--noinput")
            manage(code, {**env, "DEBUG": "1"}, "seed_demo")
            assert collecting.wait(timeout=600) == 0
            expected, amendment = demo_pages(database)
            urls = list(expected)
            previous = stack.WebHost("previous", previous_env, tmp_path, cwd=code)
            processes.append(previous)
            office = stack.Browser()
            office.log_in(previous.url, "vanphong.khoi", DEMO_PASSWORD)
            before = read(previous, office, urls)
            assert_shows(before, expected, "the previous release")

            # The next release migrates while a reader keeps reading from the previous one.
            reading = Reading(previous, urls[2])
            reading.start()
            manage(stack.ROOT, env, "migrate", "--noinput")
            reading.done.set()
            reading.join(timeout=60)
            assert reading.statuses and set(reading.statuses) == {200}, reading.statuses
            manage(stack.ROOT, env, "migrate", "--check")  # nothing left for the next release to apply

            during = read(previous, office, urls)
            for url in urls:
                assert during[url] == before[url], f"the previous release serves {url} differently after migrate"
            draft = urls[3]
            member = stack.Browser()
            member.log_in(previous.url, "bch.khoi.01", DEMO_PASSWORD)  # consulted, not answered yet
            form = member.page(previous.url + draft)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
            status, _, _ = member.request(
                f"{previous.url}/sua-doi/{amendment}/gop-y/",
                data={"text": COMMENT, "article": "", "csrfmiddlewaretoken": token},
                headers={"Referer": previous.url + draft},
            )
            assert status == 302, previous.output()
            expected[draft].append(COMMENT)
            assert_shows(read(previous, office, [draft]), expected, "the previous release, after migrate")

            # The next release, over the same database and Redis, beside the previous one.
            following = stack.WebHost("next", env, tmp_path)
            processes.append(following)
            browser = stack.Browser()
            browser.log_in(following.url, "vanphong.khoi", DEMO_PASSWORD)
            assert_shows(read(following, browser, urls), expected, "the next release")
        finally:
            for process in reversed(processes):
                process.stop()

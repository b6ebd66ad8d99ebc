"""`warta lang ...`: the language engine from the command line, JSON lines out.

python manage.py lang analyze "jalan rusak gk diperbaiki2"
python manage.py lang analyze --file komentar.txt      # one text per line
cat komentar.txt | python manage.py lang normalize     # stdin when no text is given
python manage.py lang classify-post "Wali Kota meninjau ..."
python manage.py lang themes --file masukan.txt --max-themes 8
"""

import dataclasses
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from warta.language import api

BATCH = 2048


class Command(BaseCommand):
    help = "Analyse Indonesian texts offline: analyze, normalize, classify-post, themes."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("analyze", "sentiment, abuse, hate speech, intent, question, spam"),
            ("normalize", "normalized form of informal text"),
            ("classify-post", "category of a government post caption"),
            ("themes", "group texts into themes (all input at once)"),
        ):
            p = sub.add_parser(name, help=text)
            p.add_argument("texts", nargs="*", help="texts; none = read --file or stdin")
            p.add_argument("--file", type=Path, help="UTF-8 file with one text per line")
            if name == "themes":
                p.add_argument("--max-themes", type=int, default=12)

    def handle(
        self, *args: Any, action: str, texts: list[str], file: Path | None, **options: Any
    ) -> None:
        lines = self._inputs(texts, file)
        if action == "themes":
            all_texts = list(lines)
            try:
                themes = api.group_themes(all_texts, max_themes=options["max_themes"])
            except ValueError as error:
                raise CommandError(str(error)) from error
            for theme in themes:
                self._emit(dataclasses.asdict(theme))
            return
        batch: list[str] = []
        for line in lines:
            batch.append(line)
            if len(batch) >= BATCH:
                self._run(action, batch)
                batch = []
        if batch:
            self._run(action, batch)

    def _inputs(self, texts: list[str], file: Path | None) -> Iterator[str]:
        if texts and file:
            raise CommandError("Berikan teks atau --file, bukan keduanya.")
        if texts:
            yield from texts
            return
        handle: TextIO
        if file is not None:
            try:
                handle = file.open(encoding="utf-8", errors="replace")
            except OSError as error:
                raise CommandError(f"Berkas tidak dapat dibuka: {error}") from error
        else:
            handle = sys.stdin
        with handle:
            for line in handle:
                yield line.rstrip("\r\n")

    def _run(self, action: str, batch: list[str]) -> None:
        if action == "analyze":
            for text, result in zip(batch, api.analyze(batch), strict=True):
                self._emit({"text": text, **dataclasses.asdict(result)})
        elif action == "normalize":
            for text in batch:
                self._emit({"text": text, "normalized": api.normalize(text)})
        else:
            for text, category in zip(batch, api.classify_posts(batch), strict=True):
                self._emit({"text": text, "category": category})

    def _emit(self, row: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(row, ensure_ascii=False))

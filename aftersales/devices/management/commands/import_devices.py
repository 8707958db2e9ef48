"""Register devices from a CSV file: serial_number, model, purchase_country, activated_at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from aftersales.devices.importing import ImportFileError, import_devices, read_rows


def _count_lines(path: Path) -> int:
    with path.open("rb") as file:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: file.read(1 << 20), b""))


class Command(BaseCommand):
    help = (
        "Register devices from a CSV file with the columns serial_number, model (model code), "
        "purchase_country (ISO alpha-2) and activated_at (ISO 8601 or empty). Existing serial "
        "numbers are skipped; bad rows are reported with their line number."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8, with a header row).")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, file: Path, batch_size: int, no_progress: bool, **options: Any):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        progress = None
        if not no_progress:
            total = max(_count_lines(file) - 1, 0)
            progress = tqdm(total=total, unit="rows", file=self.stderr._out, smoothing=0.1)

        def on_error(line: int, message: str) -> None:
            text = f"line {line}: {message}"
            if progress is not None:
                progress.write(text, file=self.stderr._out)
            else:
                self.stderr.write(text)

        try:
            with file.open(newline="", encoding="utf-8-sig") as lines:
                result = import_devices(
                    read_rows(lines),
                    batch_size=batch_size,
                    on_error=on_error,
                    on_progress=progress.update if progress is not None else None,
                )
        except ImportFileError as problem:
            raise CommandError(str(problem)) from None
        except UnicodeDecodeError:
            raise CommandError("The file is not UTF-8 text.") from None
        finally:
            if progress is not None:
                progress.close()
        self.stdout.write(
            f"created {result.created}, skipped {result.skipped_existing} existing, "
            f"{result.errors} errors"
        )

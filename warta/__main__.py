"""The `warta` command: Django's management commands with warta's settings."""

import os
import sys


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warta.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    # `warta seed-demo` and `warta seed_demo` are the same command.
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())

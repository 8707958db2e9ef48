"""Browser tests: Playwright driving Debian's Chromium (see plugin.py for the fixtures)."""

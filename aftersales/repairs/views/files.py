"""Serving uploaded files (invoices, flight logs) to their owner and to staff.

MEDIA_ROOT has no URL: this view is the only way to a file. It takes a token, never a path, and
the path it opens is the one stored on the row.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

from .. import selectors
from ..attachments import attachment_filename

# secrets.token_urlsafe: letters, digits, "-" and "_". Anything else is not one of ours.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")


def _content_disposition(filename: str) -> str:
    # RFC 6266: an ASCII fallback for old clients, then the real name in RFC 5987 encoding.
    fallback = filename.encode("ascii", "replace").decode("ascii").replace("?", "_")
    fallback = fallback.replace("\\", "_").replace('"', "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@require_safe
@login_required
def attachment_download(request: HttpRequest, token: str) -> FileResponse:
    if not TOKEN_RE.fullmatch(token):
        raise Http404
    # Another customer's file is "not found", like an unknown token: nobody learns which exist.
    attachment = selectors.attachment_for(request.user, token)
    return download_response(
        attachment.file, attachment.content_type, attachment_filename(attachment)
    )


def download_response(file: Any, content_type: str, filename: str) -> FileResponse:
    """An uploaded file as a download (also the support app's files)."""
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError, SuspiciousFileOperation) as error:
        # A row without its file, or a stored path outside MEDIA_ROOT (storage refuses those).
        raise Http404 from error
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = _content_disposition(filename)
    # Always a download, never rendered by the browser in our origin: even a file that is a
    # web page in disguise gets no script, no frame, no sniffing. The CSP is the view's own,
    # stricter than the site's (django-csp keeps a header a view set). Another site may not
    # embed the file either (Cross-Origin-Resource-Policy).
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox; frame-ancestors 'none'"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response

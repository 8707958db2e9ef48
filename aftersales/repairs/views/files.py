# Placeholder: serving uploaded files to their owner and to staff.
from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


attachment_download = _todo

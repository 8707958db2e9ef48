# Placeholder: the guided request (wizard) pages.
from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


start = resume = step = submit = confirmation = recognise_serial = address_panel = _todo

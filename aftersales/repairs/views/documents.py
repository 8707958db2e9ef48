# Placeholder: the printable case form (PDF).
from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


case_form_pdf = _todo

# Placeholder: My requests, the case page, the public progress query.
from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


request_list = case_detail = progress_query = draft_delete = _todo

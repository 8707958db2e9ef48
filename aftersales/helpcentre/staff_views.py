"""The staff's pages for the help centre's articles (agents by default: `helpcentre.add_article`
and `change_article`, given by migration 0002): the list of every article, published or not,
and the form that writes one in both languages, with a preview of the public page.

Thin views: who may, the form, one service (`services.article_save`), redirect or render. A
refusal (someone saved the article meanwhile) is shown above the form with everything typed
kept, and the version saved meanwhile under it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from . import selectors, services
from .errors import ArticleError
from .forms import ArticleForm
from .models import Article

ADD = "helpcentre.add_article"
CHANGE = "helpcentre.change_article"
PER_PAGE = 50
MAX_QUERY_CHARS = 100

View = Callable[..., HttpResponseBase]


def staff_may(user: Any, permission: str) -> bool:
    return bool(user.is_active and user.is_staff and user.has_perm(permission))


def staff_page(permission: str) -> Callable[[View], View]:
    """Log-in first, then staff holding `permission` (403 otherwise)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not staff_may(request.user, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(checked)

    return decorator


@staff_page(CHANGE)
@require_safe
def article_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:MAX_QUERY_CHARS].strip()
    page = Paginator(selectors.articles_for_staff(query), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "helpcentre/staff/article_list.html", {"page": page, "query": query})


def _form_page(
    request: HttpRequest,
    form: ArticleForm,
    *,
    article: Article | None,
    preview: tuple[Article, list[Any]] | None = None,
    saved_meanwhile: Article | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "helpcentre/staff/article_form.html",
        {
            "form": form,
            "article": article,
            "preview": preview[0] if preview else None,
            "preview_lines": preview[1] if preview else [],
            "saved_meanwhile": saved_meanwhile,
            "preview_languages": [("fr", _("In French")), ("en", _("In English"))],
        },
        status=status,
    )


def _refused(form: ArticleForm, error: ValidationError) -> None:
    """The service's refusal at the fields of the form it names, the rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages_of_field in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_of_field)


def _saved(article: Article) -> tuple[Article, list[Any]]:
    return article, list(article.product_lines.all())


def _submitted(form: ArticleForm) -> tuple[Article, list[Any]]:
    """The article as typed (not saved), for the preview."""
    return form.instance, list(form.cleaned_data["product_lines"])


@staff_page(ADD)
@require_http_methods(["GET", "POST"])
def article_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _form_page(request, ArticleForm(), article=None)
    form = ArticleForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, article=None)
    if "preview" in request.POST:
        return _form_page(request, form, article=None, preview=_submitted(form))
    try:
        article = services.article_save(
            article=form.instance, product_lines=form.cleaned_data["product_lines"]
        )
    except ValidationError as error:
        # Taken meanwhile by another editor (the address): said at its field, all kept.
        _refused(form, error)
        return _form_page(request, form, article=None, status=422)
    messages.success(request, _("The article is saved."))
    return redirect("helpcentre:staff_article_edit", pk=article.pk)


@staff_page(CHANGE)
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.prefetch_related("product_lines"), pk=pk)
    if request.method != "POST":
        return _form_page(request, ArticleForm(instance=article), article=article,
                          preview=_saved(article))  # fmt: skip
    form = ArticleForm(request.POST, instance=article)
    if not form.is_valid():
        return _form_page(request, form, article=article)
    if "preview" in request.POST:
        return _form_page(request, form, article=article, preview=_submitted(form))
    try:
        services.article_save(
            article=form.instance,
            product_lines=form.cleaned_data["product_lines"],
            expected_updated_at=form.cleaned_data["version"],
        )
    except ValidationError as error:
        _refused(form, error)
        return _form_page(request, form, article=article, status=422)
    except ArticleError as error:
        saved = Article.objects.prefetch_related("product_lines").filter(pk=pk).first()
        if saved is None:
            messages.error(request, error.message)
            return redirect("helpcentre:staff_articles")
        # What was typed stays; the version becomes the one saved meanwhile, shown under the
        # form: saving again is a choice made knowing it.
        data = request.POST.copy()
        data["version"] = saved.updated_at.isoformat()
        form = ArticleForm(data, instance=Article.objects.get(pk=pk))
        form.is_valid()
        form.add_error(None, error.message)
        return _form_page(request, form, article=saved, saved_meanwhile=saved, status=409)
    messages.success(request, _("The article is saved."))
    return redirect("helpcentre:staff_article_edit", pk=pk)

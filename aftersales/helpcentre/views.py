"""The help centre: the articles with a search box, an article with its action and what it
means for the reader's own products, and where each product's serial number is (FAQ 12).
Open to everyone."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from aftersales.catalog.selectors import product_lines_with_models

from . import selectors
from .forms import SearchForm
from .models import Article


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    context = {
        "form": form,
        "query": query,
        "results": [found.article for found in selectors.articles_search(query)] if query else [],
        "articles": selectors.articles_listed() if not query else [],
    }
    # htmx asks for the results only, as the customer types.
    template = "helpcentre/_results.html" if request.headers.get("HX-Request") else None
    return render(request, template or "helpcentre/index.html", context)


@require_GET
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        article = selectors.article_for_reader(slug, request.user)
    except Article.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "helpcentre/article.html",
        {
            "article": article,
            "answers": selectors.personal_answers(article, request.user),
            "depends_on_device": selectors.depends_on_device(article),
        },
    )


@require_GET
def serial_numbers(request: HttpRequest) -> HttpResponse:
    return render(
        request, "helpcentre/serial_numbers.html", {"product_lines": product_lines_with_models()}
    )

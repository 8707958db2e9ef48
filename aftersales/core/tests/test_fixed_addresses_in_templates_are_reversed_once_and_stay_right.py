"""`{% url %}` reverses each address without arguments once per process (core.templatetags.
url_memo, a builtin of the site's templates): the same addresses as Django's tag, and a site
served under a path, or another URLconf, still gets its own."""

from __future__ import annotations

import pytest
from django.template import engines
from django.template.defaulttags import URLNode
from django.test import override_settings
from django.urls import NoReverseMatch, include, path, reverse, set_script_prefix

from aftersales.core.templatetags import url_memo

# Another site's URLconf (this module): the customer's products elsewhere.
urlpatterns = [path("elsewhere/", include("aftersales.devices.urls"))]


def render(source: str, **context: object) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.fixture(autouse=True)
def _fresh_memo():
    url_memo._REVERSED.clear()
    yield
    url_memo._REVERSED.clear()
    set_script_prefix("/")


def test_the_sites_url_tag_is_the_memo_and_answers_as_djangos():
    node = engines["django"].from_string("{% url 'devices:list' %}").template.nodelist[0]
    assert isinstance(node, url_memo.MemoURLNode) and isinstance(node, URLNode)

    assert render("{% url 'devices:list' %}") == reverse("devices:list")
    assert render("{% url 'devices:list' %}") == reverse("devices:list")  # from the memo
    assert len(url_memo._REVERSED) == 1


def test_addresses_with_arguments_or_kept_in_a_variable_go_through_djangos_tag():
    number = "CAS-1234567-ABCDEF"
    assert render("{% url 'workshop:case' number %}", number=number) == reverse(
        "workshop:case", args=[number]
    )
    assert render("{% url 'devices:list' as here %}[{{ here }}]") == f"[{reverse('devices:list')}]"
    assert render("{% url 'no-such-page' as here %}[{{ here }}]") == "[]"
    assert url_memo._REVERSED == {}


def test_an_unknown_name_is_an_error_as_with_djangos_tag():
    with pytest.raises(NoReverseMatch):
        render("{% url 'no-such-page' %}")


def test_a_site_served_under_a_path_gets_its_prefix():
    plain = render("{% url 'devices:list' %}")
    set_script_prefix("/service/")

    assert render("{% url 'devices:list' %}") == "/service" + plain


def test_another_urlconf_gets_its_own_addresses():
    plain = render("{% url 'devices:list' %}")
    with override_settings(ROOT_URLCONF=__name__):
        assert render("{% url 'devices:list' %}") == "/elsewhere/"
    assert render("{% url 'devices:list' %}") == plain == "/products/"


def test_the_address_is_escaped_like_any_value():
    render("{% url 'devices:list' %}")
    key = next(iter(url_memo._REVERSED))
    url_memo._REVERSED[key] = "/a?b=1&c=<2>"

    assert render("{% url 'devices:list' %}") == "/a?b=1&amp;c=&lt;2&gt;"

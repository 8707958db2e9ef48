"""The site's header and footer and the workshop's bar are rendered once per process for each
kind of visitor (`{% fragment %}`, core/templatetags/fragment.py), the link of the page's section
marked on every page (`nav_current`): what one visitor is shown must never reach another — a
customer after a member of staff, English after French, another page of another section — and
what belongs to one request (the CSRF token of the log-out and language forms, the page to come
back to) is never kept."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Engine, Library, Template
from django.test import Client
from django.urls import reverse

from aftersales.core.templatetags import fragment

pytestmark = pytest.mark.django_db


def header(page: str) -> str:
    return page.split("<header", 1)[1].split("</header>", 1)[0]


def current_links(page: str) -> list[str]:
    """The addresses marked as the page's section, in the header and in the workshop's bar."""
    return re.findall(r'<a href="([^"]+)"(?: id="[^"]+")? aria-current="page"', page)


def get(client, name: str, **query: str) -> str:
    response = client.get(reverse(name), query)
    assert response.status_code == 200, (name, response.status_code)
    return response.content.decode()


def test_each_page_marks_its_own_section_and_a_customer_never_gets_the_staffs_links(
    client, customer, agent
):
    client.force_login(agent)
    inbox = get(client, "support:inbox")
    assert current_links(header(inbox)) == [reverse("support:inbox")]
    assert reverse("workshop:dashboard") in header(inbox)
    assert reverse("admin:index") in header(inbox)
    # The staff's header of each customer section is rendered first.
    for name in ("plans:list", "devices:list", "accounts:address_list", "accounts:profile"):
        assert reverse("support:inbox") in header(get(client, name))

    client.force_login(customer)
    for name in ("plans:list", "devices:list", "accounts:address_list", "accounts:profile"):
        top = header(get(client, name))
        assert current_links(top) == [reverse(name)], name
        assert reverse("workshop:dashboard") not in top
        assert reverse("support:inbox") not in top
        assert reverse("admin:index") not in top
        assert "Alice" not in top and "agent@example.com" not in top

    client.logout()
    login = header(get(client, "accounts:login"))
    assert current_links(login) == [reverse("accounts:login")]
    assert reverse("accounts:signup") in login
    assert reverse("plans:list") not in login and reverse("accounts:logout") not in login


def test_a_member_of_staff_without_the_inbox_is_not_given_its_link(client, agent, technician):
    client.force_login(agent)
    assert reverse("support:inbox") in header(get(client, "workshop:dashboard"))
    client.force_login(technician)
    top = header(get(client, "workshop:dashboard"))
    assert reverse("workshop:dashboard") in top
    assert reverse("support:inbox") not in top


def test_english_after_french(client, customer, settings):
    client.force_login(customer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = get(client, "plans:list")
    assert '<html lang="fr">' in french
    assert "Mes produits" in header(french) and "My products" not in header(french)
    assert "Centre d'aide" in french
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = get(client, "plans:list")
    assert '<html lang="en">' in english
    assert "My products" in header(english) and "Mes produits" not in header(english)
    assert "Help centre" in english and "Centre d'aide" not in english
    # The switch marks the page's language.
    assert re.search(r'value="en"[^>]*aria-current="true"', header(english))
    assert re.search(r'value="fr"[^>]*aria-current="true"', header(french))


def test_the_forms_in_the_header_carry_this_requests_token_and_page(
    client, customer, other_customer
):
    client.force_login(customer)
    get(client, "devices:list")  # the header of a customer's page, rendered and kept
    client.force_login(other_customer)
    page = get(client, "plans:list", page="2")
    top = header(page)
    assert f'name="next" value="{reverse("plans:list")}?page=2"' in top
    token = re.search(
        r'action="'
        + reverse("accounts:logout")
        + r'".*?name="csrfmiddlewaretoken" value="([^"]+)"',
        top,
        re.S,
    ).group(1)
    # The log-out form works with the token of this page, under the CSRF check.
    checked = Client(enforce_csrf_checks=True)
    checked.cookies = client.cookies
    response = checked.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in checked.session


def test_the_workshops_bar_marks_the_scan_or_the_queues(client, reception):
    client.force_login(reception)
    scan = get(client, "workshop:scan")
    queues = get(client, "workshop:dashboard")
    assert reverse("workshop:scan") in current_links(scan)
    assert reverse("workshop:dashboard") not in current_links(scan.split("</header>", 1)[1])
    bar = queues.split("</header>", 1)[1]
    assert reverse("workshop:dashboard") in current_links(bar)
    assert reverse("workshop:scan") not in current_links(bar)
    assert get(client, "workshop:scan").count('id="bar-scan"') == 1


class Counter:
    def __init__(self) -> None:
        self.n = 0

    @property
    def next(self) -> int:
        self.n += 1
        return self.n


@fragment.varies_per_request
def _shout(context, word: str) -> str:
    return word.upper() if context.get("loud") else word


def test_a_fragment_is_rendered_once_per_value_and_per_varying_tag():
    engine = Engine(libraries={"fragment": "aftersales.core.templatetags.fragment"})
    shouting = Library()
    shouting.simple_tag(_shout, takes_context=True, name="shout")
    engine.template_libraries["shouting"] = shouting
    template = Template(
        "{% load fragment shouting %}"
        "{% fragment kind %}[{{ counter.next }} {% shout 'hi' %}]{% endfragment %}",
        engine=engine,
    )
    counter = Counter()

    def render(**values: object) -> str:
        return template.render(Context({"counter": counter, **values}))

    assert render(kind="a") == "[1 hi]"
    assert render(kind="a") == "[1 hi]"  # kept
    assert render(kind="b") == "[2 hi]"  # another value
    assert render(kind="a", loud=True) == "[3 HI]"  # the varying tag's output is in the key
    assert render(kind="a") == "[1 hi]"
    # A template loaded again (edited) starts afresh.
    again = Template(template.source, engine=engine)
    assert again.render(Context({"counter": counter, "kind": "a"})) == "[4 hi]"


def test_a_fragment_keeps_at_most_so_many_parts(monkeypatch):
    monkeypatch.setattr(fragment, "MOST", 3)
    engine = Engine(libraries={"fragment": "aftersales.core.templatetags.fragment"})
    template = Template(
        "{% load fragment %}{% fragment n %}{{ n }}{% endfragment %}", engine=engine
    )
    for n in range(10):
        assert template.render(Context({"n": n})) == str(n)
    (node,) = [n for n in template.nodelist if isinstance(n, fragment.FragmentNode)]
    assert len(node.rendered) <= 3


def test_a_value_that_cannot_be_a_key_is_rendered_every_time(caplog):
    engine = Engine(libraries={"fragment": "aftersales.core.templatetags.fragment"})
    template = Template(
        "{% load fragment %}{% fragment items %}{{ counter.next }}{% endfragment %}", engine=engine
    )
    counter = Counter()
    context = {"items": [1, 2], "counter": counter}
    assert template.render(Context(context)) == "1"
    assert template.render(Context(context)) == "2"
    assert "cannot be a key" in caplog.text

from __future__ import annotations

import pytest
from django.urls import reverse

from aftersales.accounts.models import Address
from aftersales.accounts.tests.factories import AddressFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("accounts:address_list")
CREATE_URL = reverse("accounts:address_create")


def _address_data(**overrides: str) -> dict[str, str]:
    data = {
        "full_name": "Alice Durand",
        "company": "",
        "street": "12 rue de la Paix",
        "street2": "Bâtiment B",
        "postcode": "75002",
        "city": "Paris",
        "country": "FR",
        "phone": "06 12 34 56 78",
        "vat_number": "",
    }
    data.update(overrides)
    return data


def test_an_empty_address_book_invites_to_add_an_address(customer_client):
    response = customer_client.get(LIST_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Your address book is empty" in html
    assert CREATE_URL in html


def test_the_list_shows_the_customers_addresses(customer_client, customer):
    AddressFactory(user=customer, full_name="Alice Durand", city="Lyon", postcode="69001")

    html = customer_client.get(LIST_URL).content.decode()

    assert "Alice Durand" in html
    assert "69001 Lyon" in html


def test_adding_an_address_normalises_the_phone_and_says_so(customer_client, customer):
    response = customer_client.post(CREATE_URL, _address_data(), follow=True)

    assert response.redirect_chain[-1][0] == LIST_URL
    address = Address.objects.get(user=customer)
    assert address.phone == "+33 6 12 34 56 78"
    assert address.street2 == "Bâtiment B"
    assert "The address is added to your address book." in response.content.decode()


def test_after_adding_a_safe_next_url_is_followed(customer_client):
    response = customer_client.post(CREATE_URL + "?next=/products/", _address_data())
    assert response["Location"] == "/products/"


def test_after_adding_a_next_url_to_another_site_is_ignored(customer_client):
    response = customer_client.post(
        CREATE_URL, {**_address_data(), "next": "https://evil.example/"}
    )
    assert response["Location"] == LIST_URL


def test_a_wrong_vat_number_is_refused_at_its_field_and_everything_typed_stays(
    customer_client, customer
):
    data = _address_data(company="Durand Drones SARL", vat_number="FR12345678901")

    response = customer_client.post(CREATE_URL, data)

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["vat_number"]
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'id="id_vat_number_error"' in html
    for field in ("full_name", "company", "street", "street2", "postcode", "city", "vat_number"):
        assert f'value="{data[field]}"' in html, field
    assert '<option value="FR" selected>' in html
    assert not Address.objects.filter(user=customer).exists()


@pytest.mark.parametrize(
    ("country", "vat_number", "postcode", "phone", "expected"),
    [
        ("FR", "FR40303265045", "75002", "+33 1 23 45 67 89", "FR40303265045"),
        ("FR", "fr 40 303 265 045", "75002", "+33 1 23 45 67 89", "FR40303265045"),
        ("NL", "NL004495445B01", "1012 AB", "+31 20 123 4567", "NL004495445B01"),
    ],
)
def test_valid_eu_vat_numbers_are_accepted(
    customer_client, customer, country, vat_number, postcode, phone, expected
):
    data = _address_data(
        company="Drones Inc", country=country, vat_number=vat_number, postcode=postcode, phone=phone
    )

    response = customer_client.post(CREATE_URL, data)

    assert response.status_code == 302, response.context["form"].errors
    assert Address.objects.get(user=customer).vat_number == expected


def test_a_vat_number_from_another_country_is_refused_at_its_field(customer_client):
    data = _address_data(company="Drones Inc", vat_number="NL004495445B01")
    response = customer_client.post(CREATE_URL, data)
    assert list(response.context["form"].errors) == ["vat_number"]


def test_a_vat_number_needs_a_company(customer_client):
    response = customer_client.post(CREATE_URL, _address_data(vat_number="FR40303265045"))
    assert list(response.context["form"].errors) == ["company"]


def test_an_invalid_phone_is_refused_at_its_field(customer_client, customer):
    response = customer_client.post(CREATE_URL, _address_data(phone="12"))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["phone"]
    assert 'value="12"' in response.content.decode()


def test_a_postcode_that_does_not_fit_the_country_is_refused_at_its_field(customer_client):
    response = customer_client.post(CREATE_URL, _address_data(postcode="7500"))
    assert list(response.context["form"].errors) == ["postcode"]


def test_an_empty_form_shows_each_required_field_in_error(customer_client):
    response = customer_client.post(CREATE_URL, {})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"full_name", "street", "postcode", "city", "country", "phone"}


@pytest.mark.parametrize(
    "overrides",
    [
        {"country": "XX"},
        {"phone": "\x00"},
        {"vat_number": "<script>"},
        {"postcode": "x" * 500},
        {"full_name": "x" * 500},
        {"phone": "+" + "9" * 40},
    ],
)
def test_bad_input_never_breaks_the_page(customer_client, overrides):
    response = customer_client.post(CREATE_URL, _address_data(**overrides))
    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_form_labels_every_field_and_marks_required_ones(customer_client):
    html = customer_client.get(CREATE_URL).content.decode()

    for field in ("full_name", "company", "street", "street2", "postcode", "city", "country"):
        assert f'<label for="id_{field}">' in html, field
    assert html.count('class="required"') >= 6


def test_editing_an_address_saves_it(customer_client, customer):
    address = AddressFactory(user=customer)
    url = reverse("accounts:address_update", args=[address.pk])

    assert customer_client.get(url).status_code == 200
    response = customer_client.post(url, _address_data(city="Lyon", postcode="69001"))

    assert response.status_code == 302
    address.refresh_from_db()
    assert (address.city, address.postcode) == ("Lyon", "69001")


def test_an_invalid_edit_leaves_the_address_unchanged(customer_client, customer):
    address = AddressFactory(user=customer, city="Paris")
    url = reverse("accounts:address_update", args=[address.pk])

    response = customer_client.post(url, _address_data(city="Lyon", phone="12"))

    assert response.status_code == 200
    address.refresh_from_db()
    assert address.city == "Paris"


def test_deleting_asks_first_then_deletes(customer_client, customer):
    address = AddressFactory(user=customer)
    url = reverse("accounts:address_delete", args=[address.pk])

    response = customer_client.get(url)
    assert response.status_code == 200
    assert Address.objects.filter(pk=address.pk).exists()

    response = customer_client.post(url, follow=True)
    assert not Address.objects.filter(pk=address.pk).exists()
    assert "The address is deleted." in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [LIST_URL, CREATE_URL, "/account/addresses/1/edit/", "/account/addresses/1/delete/"],
)
def test_the_address_book_needs_a_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))

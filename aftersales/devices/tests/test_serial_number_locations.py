from django.urls import reverse

from aftersales.catalog.tests.factories import ProductLineFactory, ProductModelFactory


def test_the_add_page_shows_where_the_serial_number_is_for_each_line(client, customer):
    ProductLineFactory(
        code="inspire",
        name="Inspire",
        serial_number_location_en="For the Inspire 2, the aircraft's S/N is on the tail.",
        serial_number_location_fr="Pour l'Inspire 2, le S/N se trouve sur la queue.",
    )
    ProductModelFactory(code="inspire-2", name="Inspire 2", line__code="inspire")
    ProductLineFactory(
        code="osmo",
        name="Osmo",
        serial_number_location_en="On the label of the handle.",
        serial_number_location_fr="Sur l'étiquette de la poignée.",
    )
    client.force_login(customer)

    content = client.get(reverse("devices:add")).content.decode()
    assert "the aircraft&#x27;s S/N is on the tail." in content
    assert "On the label of the handle." in content
    assert "Inspire 2" in content


def test_the_serial_number_locations_are_in_french_for_a_french_customer(client, customer):
    ProductLineFactory(
        code="osmo",
        name="Osmo",
        serial_number_location_en="On the label of the handle.",
        serial_number_location_fr="Sur l'étiquette de la poignée.",
    )
    customer.preferred_language = "fr"
    customer.save()
    client.force_login(customer)

    content = client.get(reverse("devices:add"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Sur l&#x27;étiquette de la poignée." in content

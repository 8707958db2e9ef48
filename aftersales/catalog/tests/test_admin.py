import pytest
from django.urls import reverse

from aftersales.devices.tests.factories import DeviceFactory

from .factories import (
    ComponentFactory,
    ProductModelFactory,
    RepairCentreFactory,
    ServiceZoneFactory,
)


@pytest.fixture
def admin_client(client, administrator):
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    return client


def test_every_catalogue_page_of_the_back_office_opens(admin_client):
    model = ProductModelFactory()
    model.components.add(ComponentFactory())
    centre = RepairCentreFactory()
    objects = [model, model.line, centre, centre.zone, model.components.get()]
    for obj in objects:
        opts = obj._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert admin_client.get(changelist).status_code == 200
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert admin_client.get(change).status_code == 200


def test_a_service_zones_countries_are_picked_from_a_list(admin_client):
    zone = ServiceZoneFactory(countries=["FR", "NL"])
    url = reverse("admin:catalog_servicezone_change", args=[zone.pk])
    response = admin_client.post(
        url,
        {
            "name_en": "Europe",
            "name_fr": "Europe",
            "code": "europe",
            "countries": ["FR", "NL", "CH"],
            "position": 0,
            "repair_centres-TOTAL_FORMS": 0,
            "repair_centres-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.context["adminform"].errors
    zone.refresh_from_db()
    assert {str(country.code) for country in zone.countries} == {"FR", "NL", "CH"}
    assert '<option value="FR" selected>' in admin_client.get(url).content.decode()


def test_the_device_admin_finds_a_device_by_its_serial_number_however_typed(admin_client):
    DeviceFactory(serial_number="163CADMN000001")
    DeviceFactory(serial_number="163CADMN000002")
    response = admin_client.get(
        reverse("admin:devices_device_changelist"), {"q": " 163c-admn-000001 "}
    )
    content = response.content.decode()
    assert "163CADMN000001" in content
    assert "163CADMN000002" not in content


def test_the_device_pages_of_the_back_office_open(admin_client):
    device = DeviceFactory()
    assert admin_client.get(reverse("admin:devices_device_changelist")).status_code == 200
    change = reverse("admin:devices_device_change", args=[device.pk])
    assert admin_client.get(change).status_code == 200

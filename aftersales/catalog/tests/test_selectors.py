from aftersales.catalog.selectors import repair_centres_for_country, zone_for_country

from .factories import RepairCentreFactory, ServiceZoneFactory


def test_a_country_is_served_by_the_zone_that_lists_it(db):
    europe = ServiceZoneFactory(code="europe", countries=["FR", "NL"])
    ServiceZoneFactory(code="north-america", name_en="North America", countries=["US", "CA"])
    assert zone_for_country("fr") == europe
    assert zone_for_country(" NL ") == europe
    assert zone_for_country("US").code == "north-america"


def test_a_country_no_zone_lists_has_no_zone_and_no_centre(db):
    RepairCentreFactory()
    assert zone_for_country("BR") is None
    assert zone_for_country("") is None
    assert not repair_centres_for_country("BR").exists()


def test_only_active_centres_of_the_zone_serve_a_country(db):
    open_centre = RepairCentreFactory()
    RepairCentreFactory(name="Closed centre", zone=open_centre.zone, is_active=False)
    assert list(repair_centres_for_country("FR")) == [open_centre]

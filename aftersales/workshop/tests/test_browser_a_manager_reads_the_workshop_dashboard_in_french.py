"""Issue 9, item 6, in Chromium and in French: an administrator opens the workshop dashboard
from the workshop's bar, sees every plot drawn (each image loaded, with its text alternative) and
its data table behind a toggle, changes the period — a bad one first, said at its field —, and
the plots follow. axe and the Content-Security-Policy are checked on every page (the plugin)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from aftersales.core.tests.browser.plugin import audit_now, audit_of, log_in
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.dashboard_data import END, START, day, known_data

pytestmark = pytest.mark.browser

PLOTS = ("opened-closed", "stages", "weekly", "problems", "components", "shares")


def plots_drawn(page, names=PLOTS) -> None:
    for name in names:
        image = page.locator(f"#plot-{name} img")
        expect(image).to_be_visible()
        assert image.get_attribute("alt"), name
    # Every image arrived and was decoded (an SVG refused or broken has no natural width).
    page.wait_for_function(
        "() => [...document.querySelectorAll('.dashboard-plot img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )


def test_a_manager_reads_the_dashboard_and_changes_the_period_in_french(new_page, administrator):
    administrator.preferred_language = "fr"
    administrator.save(update_fields=["preferred_language"])
    known = known_data()

    page = new_page(locale="fr-FR")
    log_in(page, administrator)
    page.goto("/workshop/")
    page.locator("#bar-centre-dashboard").click()
    expect(page.locator("h1")).to_have_text("Tableau de bord de l’atelier")
    # The last 90 days by default: the known cases are older; the plots by day and week are
    # there all the same, the others say there is nothing to show.
    plots_drawn(page, ("opened-closed", "weekly", "shares"))
    expect(page.locator("#plot-problems")).to_contain_text("Aucun dossier n’a été envoyé")

    # A period that ends before it starts: said at the field, what was typed kept.
    page.fill("#filter-start", END.isoformat())
    page.fill("#filter-end", START.isoformat())
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("#filter-end_error")).to_contain_text("La fin de la période est avant")
    expect(page.locator("#filter-start")).to_have_value(END.isoformat())
    audit_now(page)

    # The known period, at one centre.
    page.fill("#filter-start", START.isoformat())
    page.fill("#filter-end", END.isoformat())
    page.select_option("#filter-centre", label=known.centre.name + ", " + known.centre.city)
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("#dashboard-period")).to_contain_text("Du 02/03/2026 au 11/03/2026")
    plots_drawn(page)
    caption = page.locator("#plot-opened-closed figcaption")
    expect(caption).to_contain_text("4 dossiers ouverts et 1 clôturés dans la période")
    src = page.locator("#plot-opened-closed img").get_attribute("src") or ""
    assert f"start={START.isoformat()}" in src and f"centre={known.centre.pk}" in src

    # The data table behind its toggle, by keyboard.
    table = page.locator("#plot-opened-closed table")
    expect(table).to_be_hidden()
    page.locator("#plot-opened-closed summary").focus()
    page.keyboard.press("Enter")
    expect(table).to_be_visible()
    first_day = table.locator("tbody tr").first
    expect(first_day).to_contain_text("02/03/2026")
    expect(first_day.locator("td").first).to_have_text("2")
    expect(page.locator("#plot-shares figcaption")).to_contain_text("Garantie 25 %")
    expect(page.locator("#dashboard-csv")).to_have_attribute("href", re.compile(r"figures\.csv\?"))
    # The weekly table's columns are the statuses, in the customer's words (hidden until opened).
    expect(page.locator("#plot-weekly table thead")).to_contain_text("Colis reçu à l'atelier")
    audit_of(page).wait()
    assert day(0) == START

"""Tests of the project as a whole (the partner API as partners see it, input that no page or
endpoint may choke on). The cast is the repair centre's API cast: the plans' regions and
offering, a Mavic 2 Pro bought in France, a store, a repair centre, a plan and a case."""

from aftersales.repairs.tests.api.conftest import (  # noqa: F401
    _no_cached_components,
    api,
    case,
    case_about,
    centre_api,
    current_plan,
    device,
    eu,
    mavic_2_pro,
    mavic_2_zoom,
    offering,
    partner,
    repair_centre,
    spare,
    switzerland,
    token_client,
)

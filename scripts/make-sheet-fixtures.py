#!/usr/bin/env python3
"""Write the older-workbook fixtures of crates/sheets/fixtures (run once; the files are kept).

`members.xls` (xlwt, BIFF8) and `members.ods` (odfpy) hold the same small sheet: a header,
a member with a typed date and a number, a blank row, a row of text only. The tests read
them in-process and in the decoding child and compare with the rows written here.
Needs: pip install xlwt odfpy
"""
import datetime
import pathlib

import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableCellProperties
from odf.table import Table, TableRow, TableCell
from odf.text import P
from odf.number import DateStyle, Year, Month, Day, Text

OUT = pathlib.Path(__file__).resolve().parent.parent / "crates" / "sheets" / "fixtures"
ROWS = [
    ["Họ và tên", "Ngày sinh", "Số"],
    ["Nguyễn Thị Lan", datetime.date(1975, 4, 30), 12.5],
    [],
    ["Lò Văn Páo", "", "ghi chú"],
]


def xls():
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Đảng viên")
    date = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    for r, row in enumerate(ROWS):
        for c, v in enumerate(row):
            if isinstance(v, datetime.date):
                sheet.write(r, c, v, date)
            elif v != "":
                sheet.write(r, c, v)
    book.save(str(OUT / "members.xls"))


def ods():
    doc = OpenDocumentSpreadsheet()
    ds = DateStyle(name="d")
    for part in (Day(style="long"), Text(text="/"), Month(style="long"), Text(text="/"), Year(style="long")):
        ds.addElement(part)
    doc.automaticstyles.addElement(ds)
    cs = Style(name="ce1", family="table-cell", datastylename="d")
    cs.addElement(TableCellProperties())
    doc.automaticstyles.addElement(cs)
    table = Table(name="Đảng viên")
    for row in ROWS:
        tr = TableRow()
        for v in row:
            if isinstance(v, datetime.date):
                cell = TableCell(valuetype="date", datevalue=v.isoformat(), stylename="ce1")
                cell.addElement(P(text=v.strftime("%d/%m/%Y")))
            elif isinstance(v, float):
                cell = TableCell(valuetype="float", value=v)
                cell.addElement(P(text=str(v)))
            elif v:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=v))
            else:
                cell = TableCell()
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(OUT / "members.ods"))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    xls()
    ods()
    print("written:", *sorted(p.name for p in OUT.iterdir()))

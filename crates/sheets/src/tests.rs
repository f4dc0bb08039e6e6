use super::*;
use chibo_domain::date::ymd;

fn all_rows(bytes: &[u8], name: &str) -> Vec<Vec<SheetCell>> {
    let mut rows = Vec::new();
    read(bytes, name, |r| rows.push(r)).unwrap();
    rows
}

fn text(s: &str) -> SheetCell {
    SheetCell::Text(s.to_string())
}

#[test]
fn csv_with_bom_and_semicolons() {
    let file = "\u{feff}Họ và tên;Ngày sinh;Ghi chú\nLò Văn Pá;07/01/1990;\n\"Nguyễn; Thị\";1/2/1991;x\n";
    let rows = all_rows(file.as_bytes(), "ds.CSV");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][0], text("Họ và tên"));
    assert_eq!(rows[1], vec![text("Lò Văn Pá"), text("07/01/1990"), SheetCell::Empty]);
    assert_eq!(rows[2][0], text("Nguyễn; Thị"));
}

#[test]
fn csv_not_utf8_names_the_line() {
    let mut file = b"a,b\nc,d\n".to_vec();
    file.extend_from_slice(&[0xC0, b',', b'x', b'\n']);
    let err = read(&file, "x.csv", |_| {}).unwrap_err();
    assert!(matches!(err, SheetError::NotUtf8(3)), "{err:?}");
    assert!(err.message_vi().contains("UTF-8"));
}

#[test]
fn unknown_types_and_broken_workbooks_are_refused() {
    assert!(matches!(read(b"x", "a.pdf", |_| {}), Err(SheetError::UnsupportedType(_))));
    assert!(matches!(read(b"not a zip", "a.xlsx", |_| {}), Err(SheetError::Unreadable(_))));
}

#[test]
fn written_workbook_reads_back() {
    let title = TitleBlock {
        title: "DANH SÁCH".into(),
        organisation: "Chi bộ 1".into(),
        printed: "04/12/2026".into(),
        ..TitleBlock::default()
    };
    let bytes = write_xlsx(
        &title,
        &["Họ và tên", "Ngày sinh"],
        vec![vec!["Lò Văn Pá".to_string(), "07/01/1990".to_string()], vec!["Hà Thị Ơn".to_string(), String::new()]],
    )
    .unwrap();
    let rows = all_rows(&bytes, "out.xlsx");
    assert_eq!(rows.len(), 7, "{rows:?}");
    assert_eq!(rows[0][0], text("DANH SÁCH"));
    assert_eq!(rows[4], vec![text("Họ và tên"), text("Ngày sinh")]);
    assert_eq!(rows[5], vec![text("Lò Văn Pá"), text("07/01/1990")]);
    assert_eq!(rows[6][0], text("Hà Thị Ơn"));
}

#[test]
fn a_note_is_a_line_of_the_title_block_above_the_header() {
    let title = TitleBlock {
        title: "DANH SÁCH".into(),
        organisation: "Chi bộ 1".into(),
        printed: "04/12/2026".into(),
        note: "Danh sách bị cắt".into(),
    };
    let bytes = write_xlsx(&title, &["Họ và tên"], vec![vec!["Lò Văn Pá".to_string()]]).unwrap();
    let rows = all_rows(&bytes, "out.xlsx");
    assert_eq!(rows[3][0], text("Danh sách bị cắt"), "{rows:?}");
    assert_eq!(rows[5][0], text("Họ và tên"), "{rows:?}");
    assert_eq!(rows[6][0], text("Lò Văn Pá"), "{rows:?}");
}

#[test]
fn date_cells_become_dates() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    let d = rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 1, 7).unwrap();
    sheet.write_datetime_with_format(0, 0, &d, &format).unwrap();
    sheet.write_number(0, 1, 45_664.0).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let rows = all_rows(&bytes, "d.xlsx");
    assert_eq!(rows[0][0], SheetCell::Date(ymd(2025, 1, 7).unwrap()));
    assert_eq!(rows[0][1], SheetCell::Number(45_664.0));
}

#[test]
fn csv_rows_are_numbered_as_the_file_lines() {
    let rows = all_rows(b"title\n\nA,B\n1,2\n", "x.csv");
    assert_eq!(rows.len(), 4);
    assert!(rows[1].is_empty());
    assert_eq!(rows[2], vec![text("A"), text("B")]);
}

/// Trailing empty cells dropped: the streamed reader ends a row at its last cell, the range
/// reader at the sheet's last column.
fn trimmed(rows: Vec<Vec<SheetCell>>) -> Vec<Vec<SheetCell>> {
    rows.into_iter()
        .map(|mut r| {
            while r.last() == Some(&SheetCell::Empty) {
                r.pop();
            }
            r
        })
        .collect()
}

/// A sheet with blank rows above, between and inside, a blank first column, text, numbers,
/// dates and an empty string.
fn gappy_workbook() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    let d = rust_xlsxwriter::ExcelDateTime::from_ymd(1990, 1, 7).unwrap();
    sheet.write_string(2, 1, "Họ và tên").unwrap();
    sheet.write_string(2, 3, "Ngày sinh").unwrap();
    sheet.write_string(3, 1, "Lò Văn Pá").unwrap();
    sheet.write_datetime_with_format(3, 3, &d, &format).unwrap();
    sheet.write_number(6, 2, 12.5).unwrap();
    sheet.write_string(7, 1, "").unwrap();
    sheet.write_string(7, 4, "x").unwrap();
    book.save_to_buffer().unwrap()
}

#[test]
fn an_xlsx_read_cell_by_cell_gives_the_rows_of_the_whole_sheet() {
    let bytes = gappy_workbook();
    let (mut streamed, mut declared) = (Vec::new(), 0);
    read_xlsx(&bytes, &mut |n| declared = n, &mut |r| {
        streamed.push(r);
        true
    })
    .unwrap();
    let (mut whole, mut held) = (Vec::new(), 0);
    read_workbook(&bytes, &mut |n| held = n, &mut |r| {
        whole.push(r);
        true
    })
    .unwrap();
    let streamed = trimmed(streamed);
    assert_eq!(streamed, trimmed(whole));
    assert_eq!(streamed.len(), 8, "{streamed:?}");
    // The size the sheet declares and the range read whole agree with the rows read.
    assert_eq!((declared, held), (8, 8));
    assert!(streamed[0].is_empty() && streamed[4].is_empty());
    assert_eq!(
        streamed[3],
        vec![SheetCell::Empty, text("Lò Văn Pá"), SheetCell::Empty, SheetCell::Date(ymd(1990, 1, 7).unwrap())]
    );
    assert_eq!(streamed[7], vec![SheetCell::Empty, SheetCell::Empty, SheetCell::Empty, SheetCell::Empty, text("x")]);
}

#[tokio::test]
async fn a_stream_hands_over_the_rows_in_order_and_its_errors() {
    let bytes: std::sync::Arc<[u8]> = gappy_workbook().into();
    let mut rows = stream(bytes.clone(), "a.xlsx").unwrap();
    let mut got = Vec::new();
    while let Some(r) = rows.next().await {
        got.push(r.unwrap());
    }
    assert_eq!(got, all_rows(&bytes, "a.xlsx"));
    // The size the sheet declares, known once the first row is read: for a progress bar.
    assert_eq!(rows.expected_rows(), Some(got.len()));
    // Many more rows than the stream reads ahead, dropped after one: the reader thread sees
    // the channel closed and stops (nothing waits on it).
    let csv: String = (0..10_000).map(|i| format!("{i},x\n")).collect();
    let mut rows = stream(csv.as_bytes().into(), "b.csv").unwrap();
    assert_eq!(rows.next().await.unwrap().unwrap(), vec![text("0"), text("x")]);
    assert_eq!(rows.expected_rows(), Some(10_000));
    drop(rows);
    let broken = stream(b"not a zip".as_slice().into(), "c.xlsx").unwrap().next().await;
    assert!(matches!(broken, Some(Err(SheetError::Unreadable(_)))), "{broken:?}");
}

/// `bytes` (an `.xlsx`) with each part passed through `edit` (its name, its text), and a part
/// added when `add` names one.
fn repacked(bytes: &[u8], edit: impl Fn(&str, String) -> String, add: Option<(&str, &[u8])>) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut text = String::new();
        part.read_to_string(&mut text).unwrap();
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(edit(&name, text).as_bytes()).unwrap();
    }
    if let Some((name, body)) = add {
        out.start_file(name, options).unwrap();
        out.write_all(body).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Two rows: `A1`, `A2`; a cell reference replaced gives a hostile file.
fn two_rows() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Họ và tên").unwrap();
    sheet.write_number(1, 0, 7.0).unwrap();
    book.save_to_buffer().unwrap()
}

/// [`two_rows`] with the cell at `from` moved to `reference`.
fn with_cell_at(from: &str, reference: &str) -> Vec<u8> {
    let (from, to) = (format!("r=\"{from}\""), format!("r=\"{reference}\""));
    repacked(&two_rows(), |name, text| if name.ends_with("sheet1.xml") { text.replace(&from, &to) } else { text }, None)
}

/// Cells placed to make the reader allocate or loop without end (a column billions wide, a row
/// beyond Excel's last, rows going back) are an unreadable file, named, on every path: read
/// whole and streamed. The same file with the cell in place reads.
#[tokio::test]
async fn cells_beyond_excels_limits_or_out_of_order_are_refused() {
    let fine = with_cell_at("A2", "A2");
    assert_eq!(trimmed(all_rows(&fine, "a.xlsx")), vec![vec![text("Họ và tên")], vec![SheetCell::Number(7.0)]]);
    assert_eq!(all_rows(&with_cell_at("A2", "AMJ2"), "a.xlsx").len(), 2, "column 1,024 is read");
    for (from, reference, why) in [
        ("A2", "FXSHRXW2", "column"),
        ("A2", "AMK2", "column 1025"),
        ("A2", "A1048577", "row 1048577"),
        ("A2", "A4000000000", "row"),
        ("A1", "A3", "row 2 after row 3"),
        // Overflows calamine's arithmetic: a panic in a debug build, caught as unreadable.
        ("A2", "AAAAAAAAAAAAAAAAAAAAAAAAA2", ""),
        ("A2", "A99999999999999999999999", ""),
    ] {
        let bytes = with_cell_at(from, reference);
        let read = read(&bytes, "a.xlsx", |_| {});
        assert!(matches!(&read, Err(SheetError::Unreadable(e)) if e.contains(why)), "{reference}: {read:?}");
        let mut rows = stream(bytes.into(), "a.xlsx").unwrap();
        let mut last = None;
        while let Some(r) = rows.next().await {
            last = Some(r);
        }
        assert!(matches!(last, Some(Err(SheetError::Unreadable(_)))), "{reference} streamed: {last:?}");
    }
}

/// A table of shared strings that declares more strings than the file has bytes (calamine
/// reserves room for them before reading any), and parts that unpack to more than the limits,
/// are refused before calamine reads the file.
#[test]
fn packages_that_would_exhaust_the_reader_are_refused() {
    let declared = |n: &str| {
        let to = format!("uniqueCount=\"{n}\"");
        repacked(
            &two_rows(),
            |name, text| {
                if name.ends_with("sharedStrings.xml") {
                    let at = text.find("uniqueCount=\"").unwrap();
                    let end = at + text[at + 13..].find('"').unwrap() + 14;
                    format!("{}{to}{}", &text[..at], &text[end..])
                } else {
                    text
                }
            },
            None,
        )
    };
    assert_eq!(trimmed(all_rows(&declared("1"), "a.xlsx"))[0], vec![text("Họ và tên")]);
    let refused = read(&declared("4000000000000"), "a.xlsx", |_| {});
    assert!(matches!(&refused, Err(SheetError::Unreadable(e)) if e.contains("4000000000000")), "{refused:?}");
    // Parts that unpack past the limits (zeros pack a thousand to one), with limits of a
    // megabyte: the file, the shared strings.
    let mb = 1 << 20;
    let zeros = vec![b'0'; 2 * mb as usize];
    let bomb = repacked(&two_rows(), |_, text| text, Some(("xl/media/blank.bin", &zeros)));
    assert!(bomb.len() < 64 << 10, "{} bytes", bomb.len());
    let padded = |name: &str, text: String| {
        if name.ends_with("sharedStrings.xml") {
            text.replace("</sst>", &format!("<!--{}--></sst>", "0".repeat(2 * mb as usize)))
        } else {
            text
        }
    };
    let long_strings = repacked(&two_rows(), padded, None);
    for (file, limits, why) in [
        (&bomb, (mb, 4 * mb), "more than 1 MB"),
        (&long_strings, (4 * mb, mb), "more than 1 MB"),
        (&long_strings, (mb, 4 * mb), "more than 1 MB"),
    ] {
        let refused = package::check_within(file, limits);
        assert!(matches!(&refused, Err(SheetError::Unreadable(e)) if e.contains(why)), "{limits:?}: {refused:?}");
    }
    assert!(package::check_within(&bomb, (4 * mb, mb)).is_ok());
    assert!(package::check_within(&long_strings, (4 * mb, 4 * mb)).is_ok());
}

/// The room left under the title block and the header: a list that will not fit is refused
/// before a row is written; one that fits exactly is not.
#[test]
fn a_list_longer_than_a_sheet_is_refused_up_front() {
    let title = TitleBlock { title: "T".into(), organisation: "O".into(), printed: "P".into(), note: String::new() };
    let mut sheet = SheetWriter::new(&title, &["STT"]).unwrap();
    let room = SHEET_ROWS as usize - title.rows() as usize - 1;
    assert_eq!(sheet.room(), room);
    assert!(sheet.check_room(room).is_ok());
    assert_eq!(sheet.check_room(room + 1), Err(SheetError::TooManyRows { rows: room + 1, room }));
    sheet.push(&["1"]).unwrap();
    assert_eq!(sheet.room(), room - 1);
}

/// The rows of the older workbooks' fixtures (`scripts/make-sheet-fixtures.py`).
fn fixture_rows() -> Vec<Vec<SheetCell>> {
    vec![
        vec![text("Họ và tên"), text("Ngày sinh"), text("Số")],
        vec![text("Nguyễn Thị Lan"), SheetCell::Date(ymd(1975, 4, 30).unwrap()), SheetCell::Number(12.5)],
        vec![SheetCell::Empty; 3],
        vec![text("Lò Văn Páo"), SheetCell::Empty, text("ghi chú")],
    ]
}

#[test]
fn xls_and_ods_read_in_this_process() {
    assert!(!in_child(), "no decoder is named in this crate's tests");
    for (name, bytes) in [
        ("members.xls", &include_bytes!("../fixtures/members.xls")[..]),
        ("members.ods", &include_bytes!("../fixtures/members.ods")[..]),
    ] {
        assert_eq!(all_rows(bytes, name), fixture_rows(), "{name}");
    }
}

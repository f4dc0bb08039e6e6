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

//! An `.xlsx` is a zip of XML parts. Before calamine reads one, its parts are unpacked once into
//! nothing, counting: a file made to exhaust the reader (a few kilobytes that unpack to
//! gigabytes, or a table of shared strings that declares billions of them, for which calamine
//! reserves room before reading any) is refused as unreadable, where it would otherwise take
//! the server's memory or abort the process.

use crate::SheetError;
use std::io::{Cursor, Read};

/// What the parts of a workbook may unpack to, together. A province's registry of 200,000
/// members (24 MB as `.xlsx`) unpacks to about 300 MB; an upload is at most 40 MB.
pub const UNPACKED_MAX: u64 = 1 << 30;

/// What the table of shared strings may unpack to: calamine holds it whole while it reads.
pub const SHARED_STRINGS_MAX: u64 = 256 << 20;

fn unreadable(why: impl ToString) -> SheetError {
    SheetError::Unreadable(why.to_string())
}

/// Refuse an `.xlsx` whose parts unpack to more than [`UNPACKED_MAX`] (a table of shared
/// strings to more than [`SHARED_STRINGS_MAX`]), or whose table of shared strings declares
/// more strings than the file has bytes.
pub fn check(bytes: &[u8]) -> Result<(), SheetError> {
    check_within(bytes, (UNPACKED_MAX, SHARED_STRINGS_MAX))
}

/// [`check`] with the limits given: (the whole, the shared strings).
pub(crate) fn check_within(bytes: &[u8], (whole, strings): (u64, u64)) -> Result<(), SheetError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(unreadable)?;
        let shared = part.name().map_err(unreadable)?.ends_with("sharedStrings.xml");
        let room = if shared { strings.min(whole - total) } else { whole - total };
        let mut left = (&mut part).take(room + 1);
        if shared {
            let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(&mut left));
            check_declared_strings(&mut xml, bytes.len())?;
            std::io::copy(&mut xml.into_inner(), &mut std::io::sink()).map_err(unreadable)?;
        } else {
            std::io::copy(&mut left, &mut std::io::sink()).map_err(unreadable)?;
        }
        let size = room + 1 - left.limit();
        total += size;
        if size > room || total > whole {
            let limit = if shared && size > strings { strings } else { whole };
            return Err(unreadable(format!("it unpacks to more than {} MB", limit >> 20)));
        }
    }
    Ok(())
}

/// The `uniqueCount` of the table's `<sst>` element, at most one a byte of the file (each
/// string takes room in the file, however well it packs). Read as calamine reads it, with the
/// same XML reader: what this cannot read, calamine refuses too, before reserving anything.
fn check_declared_strings<R: std::io::BufRead>(
    xml: &mut quick_xml::Reader<R>,
    file_bytes: usize,
) -> Result<(), SheetError> {
    use quick_xml::events::Event;
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if AsRef::<str>::as_ref(&e.local_name()) == "sst" => {
                let unique = |a: &quick_xml::events::attributes::Attribute| {
                    AsRef::<str>::as_ref(&a.key.local_name()) == "uniqueCount"
                };
                let count = e.attributes().flatten().find(unique).map(|a| a.value.trim().to_string());
                return match count {
                    Some(n) if n.parse::<u64>().map_or(true, |n| n > file_bytes as u64) => {
                        Err(unreadable(format!("its table of shared strings declares {n} strings")))
                    }
                    _ => Ok(()),
                };
            }
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => buf.clear(),
        }
    }
}

//! Rows for PostgreSQL's `COPY … FROM STDIN` (its text format), the bulk loader's fast way in
//! for the meetings, their attendance lines and speakers.

use crate::StoreError;
use crate::db::{Exec, Raw};
use std::fmt::Write;
use time::{Date, OffsetDateTime, Time};
use uuid::Uuid;

/// Rows in the text format of `COPY … FROM STDIN`: tab-separated, `\N` for NULL, with
/// backslash, tab, newline and carriage return escaped.
pub(crate) struct CopyRows {
    buf: String,
    first: bool,
}

impl CopyRows {
    pub(crate) fn new() -> CopyRows {
        CopyRows { buf: String::new(), first: true }
    }

    fn sep(&mut self) {
        if !self.first {
            self.buf.push('\t');
        }
        self.first = false;
    }

    pub(crate) fn text(&mut self, s: Option<&str>) {
        self.sep();
        let Some(s) = s else {
            self.buf.push_str("\\N");
            return;
        };
        // Most text needs no escape: copied whole (a profile of the demo load had the loop over
        // every character at a tenth of the loader's time).
        if !s.bytes().any(|b| matches!(b, b'\\' | b'\t' | b'\n' | b'\r')) {
            self.buf.push_str(s);
            return;
        }
        for ch in s.chars() {
            match ch {
                '\\' => self.buf.push_str("\\\\"),
                '\t' => self.buf.push_str("\\t"),
                '\n' => self.buf.push_str("\\n"),
                '\r' => self.buf.push_str("\\r"),
                c => self.buf.push(c),
            }
        }
    }

    pub(crate) fn uuid(&mut self, id: Option<Uuid>) {
        self.sep();
        match id {
            Some(id) => self.buf.push_str(id.hyphenated().encode_lower(&mut Uuid::encode_buffer())),
            None => self.buf.push_str("\\N"),
        }
    }

    pub(crate) fn int(&mut self, v: Option<u32>) {
        self.sep();
        match v {
            Some(v) => {
                let _ = write!(self.buf, "{v}");
            }
            None => self.buf.push_str("\\N"),
        }
    }

    pub(crate) fn flag(&mut self, v: bool) {
        self.sep();
        self.buf.push(if v { 't' } else { 'f' });
    }

    pub(crate) fn date(&mut self, d: Date) {
        self.sep();
        let _ = write!(self.buf, "{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day());
    }

    pub(crate) fn time(&mut self, t: Option<Time>) {
        let s = t.map(|t| format!("{:02}:{:02}", t.hour(), t.minute()));
        self.text(s.as_deref());
    }

    pub(crate) fn at(&mut self, t: Option<OffsetDateTime>) {
        self.sep();
        let Some(t) = t else {
            self.buf.push_str("\\N");
            return;
        };
        let t = t.to_offset(time::UtcOffset::UTC);
        let d = t.date();
        let _ = write!(
            self.buf,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}+00",
            d.year(),
            u8::from(d.month()),
            d.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.microsecond()
        );
    }

    /// An argument as its column's text.
    pub(crate) fn arg(&mut self, a: &crate::db::Arg) {
        use crate::db::Arg;
        match a {
            Arg::Uuid(v) => self.uuid(*v),
            Arg::Text(v) => self.text(v.as_deref()),
            Arg::Int(v) => self.big(*v),
            Arg::Date(Some(d)) => self.date(*d),
            Arg::Date(None) => self.text(None),
            Arg::Bool(v) => self.flag(*v),
            Arg::Time(t) => self.at(Some(*t)),
            Arg::MaybeTime(t) => self.at(*t),
            Arg::Bytes(b) => {
                // bytea's hex form, its backslash escaped for COPY's text.
                self.sep();
                self.buf.push_str("\\\\x");
                for byte in b {
                    let _ = write!(self.buf, "{byte:02x}");
                }
            }
        }
    }

    pub(crate) fn big(&mut self, v: Option<i64>) {
        self.sep();
        match v {
            Some(v) => {
                let _ = write!(self.buf, "{v}");
            }
            None => self.buf.push_str("\\N"),
        }
    }

    pub(crate) fn end(&mut self) {
        self.buf.push('\n');
        self.first = true;
    }

    /// Send the rows to `COPY table (columns) FROM STDIN`.
    pub(crate) async fn send(self, e: &mut impl Exec, table: &str, columns: &str) -> Result<(), StoreError> {
        let Raw::Postgres(c) = e.raw() else {
            return Err(StoreError::Corrupt("COPY needs PostgreSQL".into()));
        };
        let mut copy = c.copy_in_raw(&format!("COPY {table} ({columns}) FROM STDIN")).await?;
        copy.send(self.buf.into_bytes()).await?;
        copy.finish().await?;
        Ok(())
    }
}

//! The older workbooks (`.xls`, `.xlsb`, `.ods`) decoded in a child process (*đọc tệp trong
//! một tiến trình riêng*): calamine decodes them whole, sizing its memory by what the file
//! declares, so a file of a few hundred bytes could ask for terabytes. A failed allocation
//! aborts the process that makes it, which no `catch_unwind` stops: in the server that would be
//! every user's requests. The child runs under a bound on its memory and processor time
//! ([`CHILD_MEMORY`], [`CHILD_CPU_SECONDS`]), [`CHILDREN_AT_ONCE`] at most; when it is
//! stopped, the file is unreadable and the server goes on.
//!
//! The program that serves (`chibo`) names itself as the decoder at start
//! ([`decode_in_child`]); the child is the same program run with a hidden command, which calls
//! [`child_main`]. Without a decoder named (a library's tests) the workbook is read in-process.
//!
//! Between the two, one JSON value per line: first `{"rows": N}`, then each row as an array
//! of cells (`null`, a text, a number, `{"d": [year, month, day]}`), and `{"error": "…"}` if the
//! file cannot be read.

use crate::SheetError;
use chibo_domain::registry_sheet::SheetCell;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Condvar, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// The address space a decoding child may hold: a workbook an import takes (a province's
/// 200,000 members) decodes in a few hundred megabytes.
pub const CHILD_MEMORY: u64 = 2 << 30;
/// Children decoding at once; more uploads wait their turn, so that the children together
/// hold at most this many times [`CHILD_MEMORY`].
pub const CHILDREN_AT_ONCE: usize = 2;
/// The processor time a decoding child may spend.
pub const CHILD_CPU_SECONDS: u64 = 120;

/// A program that decodes a workbook when run with `args`.
#[derive(Debug)]
struct Decoder {
    program: PathBuf,
    args: Vec<String>,
}

static DECODER: OnceLock<Decoder> = OnceLock::new();

/// Decode the older workbooks by running `program` with `args` (set once, at start).
pub fn decode_in_child(program: PathBuf, args: &[&str]) {
    let _ = DECODER.set(Decoder { program, args: args.iter().map(|a| a.to_string()).collect() });
}

/// Whether the older workbooks are decoded in a child process.
pub fn in_child() -> bool {
    DECODER.get().is_some()
}

/// The child's work: read the workbook from `input`, write its rows to `output` as lines
/// (the module's documentation). The caller bounds its own memory and time first.
pub fn child_main(mut input: impl Read, output: impl Write) -> std::io::Result<()> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes)?;
    // Both callbacks write to the one output; the first failure to write ends the reading.
    let out = std::cell::RefCell::new((output, None::<std::io::Error>));
    let put = |line: Value| {
        let (w, failed) = &mut *out.borrow_mut();
        if failed.is_none() {
            *failed = writeln!(w, "{line}").err();
        }
        failed.is_none()
    };
    let read = crate::decode_workbook(
        &bytes,
        &mut |n| {
            put(json!({ "rows": n }));
        },
        &mut |row| put(encode_row(&row)),
    );
    if let Err(e) = read {
        put(json!({ "error": error_text(&e) }));
    }
    let (mut w, failed) = out.into_inner();
    match failed {
        Some(e) => Err(e),
        None => w.flush(),
    }
}

fn error_text(e: &SheetError) -> String {
    match e {
        SheetError::Unreadable(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Read a workbook in the child named by [`decode_in_child`]: `None` when none is named.
pub(crate) fn read_in_child(
    bytes: &[u8],
    rows: &mut dyn FnMut(usize),
    row: &mut dyn FnMut(Vec<SheetCell>) -> bool,
) -> Option<Result<(), SheetError>> {
    let decoder = DECODER.get()?;
    let Some(_turn) = Turn::take(TURN_WAIT) else { return Some(Err(SheetError::Busy)) };
    Some(crate::caught(|| run_child(decoder, bytes, rows, row)))
}

/// How long a file waits for a child's turn before it is refused as busy: an import's commit
/// waits inside its write transaction, which every other write waits behind.
pub const TURN_WAIT: Duration = Duration::from_secs(8);

/// How many children decode now, and the signal that one has ended.
static RUNNING: (Mutex<usize>, Condvar) = (Mutex::new(0), Condvar::new());

/// One of the [`CHILDREN_AT_ONCE`] turns, held while a child decodes (on a blocking thread:
/// waiting blocks it).
struct Turn;

impl Turn {
    /// A turn, waiting at most `wait` for one.
    fn take(wait: Duration) -> Option<Turn> {
        let (count, ended) = &RUNNING;
        let deadline = Instant::now() + wait;
        let mut n = count.lock().unwrap_or_else(PoisonError::into_inner);
        while *n >= CHILDREN_AT_ONCE {
            let left = deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero())?;
            n = ended.wait_timeout(n, left).unwrap_or_else(PoisonError::into_inner).0;
        }
        *n += 1;
        Some(Turn)
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        let (count, ended) = &RUNNING;
        let mut n = count.lock().unwrap_or_else(PoisonError::into_inner);
        *n = n.saturating_sub(1);
        ended.notify_all();
    }
}

/// A running child: killed and waited for when dropped on any way out (an early stop, an
/// error, a panic), so that none is left running or unreaped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        // A child already waited for keeps its status: nothing to stop.
        if !matches!(self.0.try_wait(), Ok(Some(_))) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

fn run_child(
    decoder: &Decoder,
    bytes: &[u8],
    rows: &mut dyn FnMut(usize),
    row: &mut dyn FnMut(Vec<SheetCell>) -> bool,
) -> Result<(), SheetError> {
    let not_started = |e: String| SheetError::Unreadable(format!("the reader could not be started: {e}"));
    let mut child = Running(
        Command::new(&decoder.program)
            .args(&decoder.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| not_started(e.to_string()))?,
    );
    let (Some(mut stdin), Some(stdout)) = (child.0.stdin.take(), child.0.stdout.take()) else {
        return Err(not_started("no pipe".into()));
    };
    let answer = std::thread::scope(|scope| {
        // Fed from a thread of its own: the child answers while it is still being fed.
        scope.spawn(move || {
            let _ = stdin.write_all(bytes);
        });
        take_lines(BufReader::new(stdout), rows, row)
    });
    // The caller has what it wanted: the rest is not read (the child is stopped).
    if let Ok(Taken::Stopped) = answer {
        return Ok(());
    }
    let status = child.0.wait().map_err(|e| SheetError::Unreadable(format!("the reader: {e}")))?;
    if !status.success() {
        // Stopped by its bounds (the kernel's signal for the processor time; an abort for a
        // failed allocation), whatever it had written; any other failure is the reader's.
        return Err(if killed(&status) {
            SheetError::Exhausted(status.to_string())
        } else {
            SheetError::Unreadable(format!("the reader failed ({status})"))
        });
    }
    match answer? {
        Taken::Refused(why) => Err(SheetError::Unreadable(why)),
        Taken::All | Taken::Stopped => Ok(()),
    }
}

/// Whether the child ended by a signal (its bounds), not by exiting.
fn killed(status: &ExitStatus) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        status.signal().is_some()
    }
    #[cfg(not(unix))]
    {
        status.code().is_none()
    }
}

/// The longest line read from a child: a row of [`crate::READ_COLUMNS`] cells of ordinary
/// length is far below it; a longer one is a garbled answer, never held.
const MAX_LINE: u64 = 16 << 20;

/// How the child's lines ended.
enum Taken {
    All,
    Stopped,
    Refused(String),
}

fn take_lines(
    mut lines: impl BufRead,
    rows: &mut dyn FnMut(usize),
    row: &mut dyn FnMut(Vec<SheetCell>) -> bool,
) -> Result<Taken, SheetError> {
    let garbled = |what: &str| SheetError::Unreadable(format!("the reader's answer was garbled ({what})"));
    let mut line = Vec::new();
    loop {
        line.clear();
        match (&mut lines).take(MAX_LINE + 1).read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return Ok(Taken::All),
            Ok(n) if n as u64 > MAX_LINE => return Err(garbled("a row too long")),
            Ok(_) => {}
        }
        let value: Value = serde_json::from_slice(&line).map_err(|_| garbled("not JSON"))?;
        match value {
            Value::Array(cells) => {
                let cells = cells.iter().map(decode_cell).collect::<Option<Vec<_>>>().ok_or_else(|| garbled("cell"))?;
                if !row(cells) {
                    return Ok(Taken::Stopped);
                }
            }
            Value::Object(o) => match (o.get("rows").and_then(Value::as_u64), o.get("error").and_then(Value::as_str)) {
                (Some(n), _) => rows(usize::try_from(n).unwrap_or(usize::MAX)),
                (_, Some(why)) => return Ok(Taken::Refused(why.to_string())),
                _ => return Err(garbled("object")),
            },
            _ => return Err(garbled("value")),
        }
    }
}

fn encode_row(row: &[SheetCell]) -> Value {
    Value::Array(row.iter().map(encode_cell).collect())
}

fn encode_cell(cell: &SheetCell) -> Value {
    match cell {
        SheetCell::Empty => Value::Null,
        SheetCell::Text(s) => Value::String(s.clone()),
        // A number JSON cannot carry (not finite) travels as its text.
        SheetCell::Number(n) => {
            serde_json::Number::from_f64(*n).map_or_else(|| Value::String(n.to_string()), Value::Number)
        }
        SheetCell::Date(d) => json!({ "d": [d.year(), u8::from(d.month()), d.day()] }),
    }
}

fn decode_cell(v: &Value) -> Option<SheetCell> {
    Some(match v {
        Value::Null => SheetCell::Empty,
        Value::String(s) => SheetCell::Text(s.clone()),
        Value::Number(n) => SheetCell::Number(n.as_f64()?),
        Value::Object(o) => {
            let ymd = o.get("d")?.as_array()?;
            let part = |i: usize| ymd.get(i).and_then(Value::as_i64);
            let (y, m, d) = (part(0)?, part(1)?, part(2)?);
            SheetCell::Date(chibo_domain::date::ymd(
                i32::try_from(y).ok()?,
                u8::try_from(m).ok()?,
                u8::try_from(d).ok()?,
            )?)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_cell_crosses_unchanged() {
        let d = chibo_domain::date::ymd(1975, 4, 30).expect("date");
        let row = vec![
            SheetCell::Empty,
            SheetCell::Text("Nguyễn Thị Lan \"Hà\"\n".into()),
            SheetCell::Number(12.5),
            SheetCell::Number(-3.0),
            SheetCell::Date(d),
        ];
        let line = encode_row(&row).to_string();
        assert!(!line.contains('\n'), "{line}");
        let mut got = Vec::new();
        let mut told = 0;
        let input = format!("{{\"rows\":7}}\n{line}\n{line}\n");
        let taken = take_lines(input.as_bytes(), &mut |n| told = n, &mut |r| {
            got.push(r);
            true
        });
        assert!(matches!(taken, Ok(Taken::All)));
        assert_eq!((told, got), (7, vec![row.clone(), row]));
    }

    #[test]
    fn children_take_turns() {
        let wait = Duration::from_secs(10);
        let held: Vec<Turn> = (0..CHILDREN_AT_ONCE).filter_map(|_| Turn::take(wait)).collect();
        assert_eq!(held.len(), CHILDREN_AT_ONCE);
        assert!(Turn::take(Duration::from_millis(50)).is_none(), "a turn beyond the bound");
        let (sent, got) = std::sync::mpsc::channel();
        let waiting = std::thread::spawn(move || {
            let turn = Turn::take(wait);
            let _ = sent.send(turn.is_some());
            drop(turn);
        });
        drop(held);
        assert_eq!(got.recv_timeout(Duration::from_secs(20)).ok(), Some(true), "the waiting one has its turn");
        waiting.join().expect("thread");
    }

    #[test]
    fn a_refusal_and_a_garbled_answer_are_unreadable_files() {
        let taken = take_lines("[null]\n{\"error\":\"bad record\"}\n".as_bytes(), &mut |_| {}, &mut |_| true);
        assert!(matches!(taken, Ok(Taken::Refused(ref why)) if why == "bad record"));
        let taken = take_lines("[{\"x\":1}]\n".as_bytes(), &mut |_| {}, &mut |_| true);
        assert!(matches!(taken, Err(SheetError::Unreadable(_))));
        // A reader that stops early is told so, and the rest is not read.
        let mut n = 0;
        let taken = take_lines("[1]\n[2]\n[3]\n".as_bytes(), &mut |_| {}, &mut |_| {
            n += 1;
            n < 2
        });
        assert!(matches!(taken, Ok(Taken::Stopped)) && n == 2);
    }
}

//! The child that decodes an older workbook (`chibo decode-sheet`, hidden): run by
//! `chibo_sheets` for `.xls`, `.xlsb` and `.ods` files, under a bound on its memory and
//! processor time, so that a file made to exhaust the decoder stops this child, not the
//! server (crates/sheets/src/isolated.rs).

use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};

/// The hidden command's name.
pub(crate) const COMMAND: &str = "decode-sheet";

/// Name this program as the decoder of the older workbooks (every command: the server's
/// uploads and the console's imports alike).
/// On Linux `/proc/self/exe`, the running image itself even after an upgrade replaced or
/// removed the file it was started from (the child then speaks the parent's protocol).
pub(crate) fn name_self() {
    let proc_exe = std::path::Path::new("/proc/self/exe");
    let exe = if proc_exe.exists() { Ok(proc_exe.to_path_buf()) } else { std::env::current_exe() };
    match exe {
        Ok(exe) => chibo_sheets::decode_in_child(exe, &[COMMAND]),
        Err(e) => eprintln!(
            "chibo: cannot name its own program ({e}); .xls, .xlsb and .ods files are decoded in this process, unbounded"
        ),
    }
}

/// The child's work: bound itself, then decode standard input to standard output.
pub(crate) fn run() -> anyhow::Result<()> {
    limit(Resource::As, chibo_sheets::CHILD_MEMORY)?;
    limit(Resource::Cpu, chibo_sheets::CHILD_CPU_SECONDS)?;
    // No core dump when a bound stops it: an image of up to the memory bound, holding an
    // uploaded file's personal data.
    limit(Resource::Core, 0)?;
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    chibo_sheets::child_main(std::io::stdin().lock(), out)?;
    Ok(())
}

/// Lower a resource's soft and hard limit to `max` (never raise it).
fn limit(resource: Resource, max: u64) -> std::io::Result<()> {
    let now = getrlimit(resource);
    let max = now.maximum.map_or(max, |m| m.min(max));
    setrlimit(resource, Rlimit { current: Some(now.current.map_or(max, |c| c.min(max))), maximum: Some(max) })?;
    Ok(())
}

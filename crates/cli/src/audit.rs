//! `chibo audit verify`: walk the audit log's hash chain and report every row edited, deleted
//! or inserted since it was written, by sequence number and id.

use anyhow::{Result, bail};
use chibo_access::Chibo;
use chibo_store::Exec;
use chibo_store::audit_chain;

/// Breaks printed; the count is always given.
const SHOWN: usize = 50;

/// Walk the chain; print the head (so it can be noted elsewhere as an anchor) and the breaks.
/// The failure, if any, as one line.
pub async fn chain(c: &mut impl Exec) -> Result<Option<String>> {
    let v = audit_chain::verify(c).await?;
    for b in v.breaks.iter().take(SHOWN) {
        println!("nhật ký / audit: {b}");
    }
    if v.breaks.is_empty() {
        println!(
            "Chuỗi nhật ký nguyên vẹn / audit chain intact: {} dòng / rows, đầu chuỗi / head {} {}",
            v.rows, v.head.seq, v.head.hash
        );
        Ok(None)
    } else {
        Ok(Some(format!("{} breaks in the audit chain", v.breaks.len())))
    }
}

pub async fn verify(app: &Chibo) -> Result<()> {
    let mut c = app.pools().read().await?;
    if let Some(failure) = chain(&mut c).await? {
        bail!("{failure}");
    }
    Ok(())
}

//! Accounts from the command line: the administrator password in force at `serve`, and
//! `user passwd | disable | enable | unlock | totp-reset` (a lost administrator password is recovered at
//! the console, which has every right).

use anyhow::{Result, bail};
use chibo_access::{AdminStatus, Chibo, Viewer};

/// Make sure an administrator exists and say which password is in force. A given
/// `CHIBO_ADMIN_PASSWORD` that is not applied is said so, never silently ignored.
pub async fn ensure_admin(app: &Chibo) -> Result<()> {
    let pw = std::env::var("CHIBO_ADMIN_PASSWORD").ok().filter(|p| !p.is_empty());
    let status = match app.ensure_admin(pw.as_deref()).await {
        Ok(s) => s,
        Err(p) => bail!("creating the admin account: {}", crate::problem(p)),
    };
    println!("{}", admin_message(&status));
    Ok(())
}

/// What `serve` prints about the administrator's password.
pub fn admin_message(status: &AdminStatus) -> String {
    match status {
        AdminStatus::Created { generated: Some(pw) } => format!(
            "Đã tạo tài khoản quản trị / created the admin account: admin  mật khẩu / password: {pw}  \
             (ngẫu nhiên, chỉ hiện một lần / random, shown once)"
        ),
        AdminStatus::Created { generated: None } => "Đã tạo tài khoản quản trị / created the admin account: admin  \
             mật khẩu lấy từ / password from CHIBO_ADMIN_PASSWORD"
            .to_string(),
        AdminStatus::Existing { username, password_ignored } => {
            let who = username.as_deref().unwrap_or("(quản trị cấp cao nhất / root administrator)");
            let mut text = format!(
                "Tài khoản quản trị đã có, giữ nguyên mật khẩu / the admin account exists, its password is unchanged: {who}"
            );
            if *password_ignored {
                text.push_str(
                    "\nCHÚ Ý / NOTE: CHIBO_ADMIN_PASSWORD KHÔNG được áp dụng vì tài khoản đã có / is NOT applied \
                     because the account exists. Đổi mật khẩu bằng / change it with: chibo user passwd admin",
                );
            }
            text
        }
    }
}

/// `user passwd|disable|enable|unlock NAME`.
pub async fn user_change(app: &Chibo, what: &str, username: &str) -> Result<()> {
    let console = Viewer::console();
    let u = app.user_by_name(&console, username).await.map_err(crate::problem)?;
    match what {
        "passwd" => {
            let pw = crate::read_password()?;
            app.reset_password(&console, u.id, &pw).await.map_err(crate::problem)?;
            println!(
                "Đã đặt mật khẩu mới, mọi phiên đăng nhập đã kết thúc / password set, every session ended: {username}"
            );
        }
        "disable" => {
            app.set_account_active(&console, u.id, false).await.map_err(crate::problem)?;
            println!("Đã khóa tài khoản, mọi phiên đã kết thúc / account disabled, sessions ended: {username}");
        }
        "enable" => {
            app.set_account_active(&console, u.id, true).await.map_err(crate::problem)?;
            println!("Đã mở lại tài khoản / account enabled: {username}");
        }
        "totp-reset" => {
            app.totp_reset(&console, u.id).await.map_err(crate::problem)?;
            println!(
                "Đã đặt lại xác thực hai bước, đăng ký lại khi đăng nhập / second factor removed, enrol again at login: {username}"
            );
        }
        _ => {
            let n = app.unlock_logins(&console, u.id).await.map_err(crate::problem)?;
            println!("Đã gỡ chặn đăng nhập / login block lifted: {username} ({n})");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ignored_admin_password_is_said() {
        let s = admin_message(&AdminStatus::Existing { username: Some("admin".into()), password_ignored: true });
        assert!(s.contains("KHÔNG") && s.contains("chibo user passwd admin"), "{s}");
        let s = admin_message(&AdminStatus::Created { generated: Some("abc".into()) });
        assert!(s.contains("abc") && s.contains("một lần"));
        let s = admin_message(&AdminStatus::Created { generated: None });
        assert!(s.contains("CHIBO_ADMIN_PASSWORD"));
    }
}

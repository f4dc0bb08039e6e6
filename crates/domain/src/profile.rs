//! The descriptive fields of a member record (*lý lịch đảng viên*): free texts that the entry
//! form, the page, the API, the registry spreadsheet and the store all carry the same way.
//!
//! **One table.** Each field is declared once, in [`member_profile!`] below: its name (the
//! form's, the API's and the column's), its labels, its length limit, its kind (which rule
//! checks it and how a form asks for it), where the member's page shows it, an example, and
//! the headers people use for it in spreadsheets. The struct [`MemberProfile`] and the table
//! [`MemberProfile::FIELDS`] come from that one declaration, and the other crates loop over the
//! table, so adding a field means: a line here, a column in the two migrations, and nothing
//! else (the API bodies flatten the struct).

use crate::text::Limit;
use crate::{FieldError, Validation};
use serde::{Deserialize, Serialize};

/// How a field is checked, and how a form asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text up to the field's limit.
    Text,
    /// The 12-digit citizen identity number (*căn cước công dân*), checked against the birth
    /// date and gender by [`crate::member::check_citizen_id`].
    CitizenId,
    /// Digits and letters (the party card number).
    Code,
    /// A phone number.
    Phone,
    /// An e-mail address.
    Email,
}

/// Where the member's page shows a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldGroup {
    /// *Sơ yếu lý lịch*: identity and where the member lives.
    Identity,
    /// *Quá trình vào Đảng*: the party card.
    Party,
    /// *Trình độ, công tác*: education and work.
    Education,
}

/// One field of the profile, as the table declares it.
#[derive(Debug, Clone, Copy)]
pub struct ProfileField {
    /// The field's name, its length limit and labels.
    pub limit: Limit,
    pub kind: FieldKind,
    pub group: FieldGroup,
    /// An example of a value, shown under the form's field ("" for none).
    pub example_vi: &'static str,
    pub example_en: &'static str,
    /// Spreadsheet headers read as this field besides its labels, folded (no diacritics, lower
    /// case, words separated by one space).
    pub aliases: &'static [&'static str],
}

impl ProfileField {
    pub fn name(&self) -> &'static str {
        self.limit.field
    }
    pub fn label(&self, lang: crate::Lang) -> &'static str {
        lang.pick(self.limit.label_vi, self.limit.label_en)
    }
    pub fn example(&self, lang: crate::Lang) -> &'static str {
        lang.pick(self.example_vi, self.example_en)
    }
}

macro_rules! member_profile {
    ($(
        $(#[doc = $doc:literal])*
        $field:ident: $kind:ident, $group:ident, $max:literal, $vi:literal, $en:literal,
            example($ex_vi:literal, $ex_en:literal), aliases[$($alias:literal),* $(,)?];
    )*) => {
        /// The descriptive fields of a member record, each optional text (see the module).
        #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub struct MemberProfile {
            $( $(#[doc = $doc])* #[serde(default)] pub $field: Option<String>, )*
        }

        impl MemberProfile {
            /// The fields, in the order the form, the page and the spreadsheet list them.
            pub const FIELDS: &[ProfileField] = &[$(
                ProfileField {
                    limit: Limit::new(stringify!($field), $max, $vi, $en),
                    kind: FieldKind::$kind,
                    group: FieldGroup::$group,
                    example_vi: $ex_vi,
                    example_en: $ex_en,
                    aliases: &[$($alias),*],
                },
            )*];

            /// Each field's value, in [`Self::FIELDS`] order.
            pub fn values(&self) -> [&Option<String>; Self::FIELDS.len()] {
                [$(&self.$field),*]
            }

            /// Each field's value to fill, in [`Self::FIELDS`] order.
            pub fn values_mut(&mut self) -> [&mut Option<String>; Self::FIELDS.len()] {
                [$(&mut self.$field),*]
            }
        }
    };
}

member_profile! {
    /// Nơi sinh: the place of birth as the birth certificate gives it.
    birth_place: Text, Identity, 200, "Nơi sinh", "Place of birth",
        example("", ""), aliases["sinh quan", "noi sinh ra", "place of birth", "birth place"];
    religion: Text, Identity, 60, "Tôn giáo", "Religion",
        example("", ""), aliases["ton giao", "religion"];
    /// Căn cước công dân: 12 digits.
    citizen_id: CitizenId, Identity, 12, "Số CCCD", "Citizen ID (CCCD)",
        example("12 chữ số", "12 digits"),
        aliases["cccd", "so can cuoc", "can cuoc cong dan", "so can cuoc cong dan", "so dinh danh",
            "so dinh danh ca nhan", "cmnd cccd", "so cmnd cccd", "citizen id"];
    /// Quê quán.
    home_town: Text, Identity, 200, "Quê quán", "Home town",
        example("", ""), aliases["que", "nguyen quan", "home town"];
    /// Nơi thường trú.
    permanent_residence: Text, Identity, 200, "Nơi thường trú", "Permanent residence",
        example("", ""),
        aliases["thuong tru", "dia chi thuong tru", "noi dang ky thuong tru", "ho khau thuong tru"];
    /// Nơi ở hiện nay.
    current_residence: Text, Identity, 200, "Nơi ở hiện nay", "Current residence",
        example("", ""),
        aliases["noi o", "cho o hien nay", "dia chi", "noi o hien tai", "dia chi hien nay"];
    phone: Phone, Identity, 20, "Điện thoại", "Phone",
        example("0912 345 678", "0912 345 678"),
        aliases["so dien thoai", "sdt", "dien thoai di dong", "phone"];
    email: Email, Identity, 254, "Thư điện tử", "Email",
        example("", ""), aliases["email", "e mail", "dia chi email"];
    /// Số thẻ đảng viên.
    party_card_number: Code, Party, 20, "Số thẻ đảng viên", "Party card number",
        example("", ""), aliases["so the dang", "the dang vien", "so the", "party card number"];
    /// Giáo dục phổ thông, e.g. "12/12".
    general_education: Text, Education, 20, "Giáo dục phổ thông", "General education",
        example("12/12", "12/12"),
        aliases["trinh do pho thong", "pho thong", "van hoa", "trinh do van hoa", "gdpt"];
    /// Chuyên môn nghiệp vụ, e.g. "Đại học Nông nghiệp".
    professional_education: Text, Education, 200, "Chuyên môn, nghiệp vụ", "Professional education",
        example("", ""), aliases["chuyen mon", "trinh do chuyen mon", "chuyen mon nghiep vu trinh do"];
    occupation: Text, Education, 200, "Nghề nghiệp", "Occupation",
        example("", ""), aliases["nghe", "nghe nghiep hien nay", "occupation"];
    position: Text, Education, 200, "Chức vụ", "Position",
        example("", ""), aliases["chuc vu chinh quyen", "chuc danh", "position"];
}

impl MemberProfile {
    /// The table entry of a field by name.
    pub fn field(name: &str) -> Option<&'static ProfileField> {
        Self::FIELDS.iter().find(|f| f.name() == name)
    }

    /// Each field with its value, in table order.
    pub fn entries(&self) -> impl Iterator<Item = (&'static ProfileField, Option<&str>)> {
        Self::FIELDS.iter().zip(self.values()).map(|(f, v)| (f, v.as_deref()))
    }

    /// Trim every text (NFC) and turn blanks into `None`.
    pub fn normalize(&mut self) {
        for o in self.values_mut() {
            if let Some(s) = o.as_mut() {
                *s = crate::text::normalize_text(s);
            }
            if o.as_deref() == Some("") {
                *o = None;
            }
        }
    }

    /// The checks that need nothing but the field itself: the length of free texts, the form of
    /// the party card number, the phone and the e-mail. (The citizen ID is checked by the
    /// record, against the birth date and gender.)
    pub fn validate_into(&self, v: &mut Validation) {
        for (f, value) in self.entries() {
            let Some(value) = value else { continue };
            let bad = match f.kind {
                FieldKind::Text => f.limit.check(value),
                FieldKind::CitizenId => None,
                FieldKind::Code => (value.chars().count() > f.limit.max
                    || !value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
                .then(|| {
                    FieldError::new(
                        f.name(),
                        "invalid_card",
                        format!("{}: chỉ gồm chữ số và chữ cái, tối đa {} ký tự.", f.limit.label_vi, f.limit.max),
                        format!("{}: digits and letters only, at most {} characters.", f.limit.label_en, f.limit.max),
                    )
                }),
                FieldKind::Phone => (!is_phone(value)).then(|| {
                    FieldError::new(
                        f.name(),
                        "invalid_phone",
                        format!("{}: 9–12 chữ số, ví dụ 0912 345 678.", f.limit.label_vi),
                        format!("{}: 9 to 12 digits, e.g. 0912 345 678.", f.limit.label_en),
                    )
                }),
                FieldKind::Email => (!is_plausible_email(value) || value.len() > f.limit.max).then(|| {
                    FieldError::new(
                        f.name(),
                        "invalid_email",
                        format!("{}: không đúng dạng.", f.limit.label_vi),
                        format!("{}: not a valid address.", f.limit.label_en),
                    )
                }),
            };
            if let Some(e) = bad {
                v.push(e);
            }
        }
    }
}

fn is_phone(phone: &str) -> bool {
    let digits: String = phone.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
    let body = digits.strip_prefix('+').unwrap_or(&digits);
    (9..=12).contains(&body.len()) && body.chars().all(|c| c.is_ascii_digit())
}

fn is_plausible_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_and_the_struct_agree() {
        let mut p = MemberProfile::default();
        for (i, slot) in p.values_mut().into_iter().enumerate() {
            *slot = Some(format!("v{i}"));
        }
        let json = serde_json::to_value(&p).unwrap();
        for (i, f) in MemberProfile::FIELDS.iter().enumerate() {
            assert_eq!(json[f.name()], format!("v{i}"), "{}", f.name());
        }
        assert_eq!(MemberProfile::field("home_town").map(|f| f.limit.max), Some(200));
        let mut names: Vec<_> = MemberProfile::FIELDS.iter().map(|f| f.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), MemberProfile::FIELDS.len());
    }

    #[test]
    fn blanks_become_none_and_text_is_trimmed() {
        let mut p =
            MemberProfile {
                religion: Some("  ".into()), home_town: Some("  Xã Tà Xùa ".into()), ..Default::default()
            };
        p.normalize();
        assert_eq!(p.religion, None);
        assert_eq!(p.home_town.as_deref(), Some("Xã Tà Xùa"));
    }

    #[test]
    fn each_kind_has_its_check() {
        let codes = |p: MemberProfile| {
            let mut v = Validation::default();
            p.validate_into(&mut v);
            v.errors.iter().map(|e| (e.field.clone(), e.code.to_string())).collect::<Vec<_>>()
        };
        assert!(
            codes(MemberProfile {
                phone: Some("0912 345 678".into()),
                email: Some("a@b.vn".into()),
                party_card_number: Some("AB-123".into()),
                ..Default::default()
            })
            .is_empty()
        );
        assert_eq!(
            codes(MemberProfile {
                religion: Some("x".repeat(61)),
                phone: Some("12".into()),
                email: Some("a@b".into()),
                party_card_number: Some("số 1".into()),
                citizen_id: Some("abc".into()),
                ..Default::default()
            }),
            [
                ("religion".to_string(), "too_long".to_string()),
                ("phone".into(), "invalid_phone".into()),
                ("email".into(), "invalid_email".into()),
                ("party_card_number".into(), "invalid_card".into()),
            ]
        );
    }
}

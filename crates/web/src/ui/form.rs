//! Form fields as data: one template (`field.html`) draws every field, its value and its
//! error, so each form is a list built in Rust.

use chibo_access::{Lang, Validation};
use std::borrow::Cow;

/// One option of a select.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// How a field is drawn.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Date,
    Number,
    Tel,
    Email,
    Password,
    Select,
    Checkbox,
    Hidden,
    /// Several lines of text.
    TextArea,
    /// `HH:MM` (the phone's time picker).
    Time,
}

/// A select (when it changes) or a text input (as one types) that reloads another element
/// (`hx-get` into `target`).
pub struct Reload {
    pub url: &'static str,
    pub target: &'static str,
}

/// One field of a form.
pub struct Field {
    /// The form's name of the field (rows of a list are named `speaker_name.2`…).
    pub name: Cow<'static, str>,
    pub label: Cow<'static, str>,
    pub kind: Kind,
    pub value: String,
    pub options: Vec<Opt>,
    pub error: Option<String>,
    pub hint: &'static str,
    pub required: bool,
    /// For a select that reloads another one.
    pub reload: Option<Reload>,
    /// Browser autocomplete hint.
    pub autocomplete: &'static str,
    /// The choices of the form's `kind` select this field belongs to (space-separated codes;
    /// empty: every kind). app.js hides the field for the other kinds.
    pub kinds: String,
}

impl Field {
    pub fn new(
        name: impl Into<Cow<'static, str>>,
        label: impl Into<Cow<'static, str>>,
        kind: Kind,
        value: &str,
    ) -> Field {
        Field {
            name: name.into(),
            label: label.into(),
            kind,
            value: value.to_string(),
            options: Vec::new(),
            error: None,
            hint: "",
            required: false,
            reload: None,
            autocomplete: "off",
            kinds: String::new(),
        }
    }

    pub fn text(
        name: impl Into<Cow<'static, str>>,
        label: impl Into<Cow<'static, str>>,
        value: &Option<String>,
    ) -> Field {
        Field::new(name, label, Kind::Text, value.as_deref().unwrap_or(""))
    }

    pub fn date(
        name: impl Into<Cow<'static, str>>,
        label: impl Into<Cow<'static, str>>,
        value: &Option<String>,
    ) -> Field {
        let mut f = Field::new(name, label, Kind::Date, value.as_deref().unwrap_or(""));
        f.hint = "dd/mm/yyyy";
        f
    }

    pub fn hidden(name: impl Into<Cow<'static, str>>, value: &str) -> Field {
        Field::new(name, "", Kind::Hidden, value)
    }

    /// A select; `blank` adds an empty first choice with that label.
    pub fn select(
        name: impl Into<Cow<'static, str>>,
        label: impl Into<Cow<'static, str>>,
        value: &Option<String>,
        choices: impl IntoIterator<Item = (String, String)>,
        blank: Option<&str>,
    ) -> Field {
        let current = value.as_deref().unwrap_or("");
        let mut options: Vec<Opt> = blank
            .map(|b| Opt { value: String::new(), label: b.to_string(), selected: current.is_empty() })
            .into_iter()
            .collect();
        options.extend(choices.into_iter().map(|(v, l)| Opt { selected: v == current, value: v, label: l }));
        let mut f = Field::new(name, label, Kind::Select, current);
        f.options = options;
        f
    }

    pub fn checkbox(name: impl Into<Cow<'static, str>>, label: impl Into<Cow<'static, str>>, checked: bool) -> Field {
        Field::new(name, label, Kind::Checkbox, if checked { "on" } else { "" })
    }

    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }

    pub fn hint(mut self, hint: &'static str) -> Field {
        self.hint = hint;
        self
    }

    pub fn kind(mut self, kind: Kind) -> Field {
        self.kind = kind;
        self
    }

    pub fn autocomplete(mut self, a: &'static str) -> Field {
        self.autocomplete = a;
        self
    }

    // Kinds, for the template.
    pub fn is_select(&self) -> bool {
        self.kind == Kind::Select
    }
    pub fn is_checkbox(&self) -> bool {
        self.kind == Kind::Checkbox
    }
    /// A date: typed as dd/mm/yyyy (or 07012027), or picked on a phone (app.js turns it into
    /// `<input type="date">` where the platform's picker helps).
    pub fn is_date(&self) -> bool {
        self.kind == Kind::Date
    }
    pub fn is_hidden(&self) -> bool {
        self.kind == Kind::Hidden
    }
    pub fn is_textarea(&self) -> bool {
        self.kind == Kind::TextArea
    }
    pub fn checked(&self) -> bool {
        self.kind == Kind::Checkbox && !self.value.is_empty()
    }
    /// The `type` of an `<input>`.
    pub fn input_type(&self) -> &'static str {
        match self.kind {
            Kind::Password => "password",
            Kind::Email => "email",
            Kind::Tel => "tel",
            Kind::Time => "time",
            _ => "text",
        }
    }
    /// The `inputmode` of an `<input>` (numeric keypads for dates and numbers).
    pub fn input_mode(&self) -> &'static str {
        match self.kind {
            Kind::Date | Kind::Number | Kind::Tel => "numeric",
            Kind::Email => "email",
            _ => "text",
        }
    }
}

/// A list of fields with the errors of a refusal placed next to them; errors about no
/// field of the form are returned to show above it.
/// The first line says that the form was not saved and names the fields to correct.
pub fn place_errors(fields: &mut [Field], errors: &Validation, lang: Lang) -> Vec<String> {
    let mut general = Vec::new();
    if !errors.errors.is_empty() {
        general.push(super::text::texts(lang).errors_heading.to_string());
    }
    let mut named: Vec<String> = Vec::new();
    for e in &errors.errors {
        match fields.iter_mut().find(|f| f.name == e.field && f.kind != Kind::Hidden) {
            Some(f) => {
                let m = e.message(lang);
                f.error = Some(match f.error.take() {
                    Some(prev) => format!("{prev} {m}"),
                    None => m.to_string(),
                });
                if !named.iter().any(|n| n == f.label.as_ref()) {
                    named.push(f.label.to_string());
                }
            }
            None => general.push(e.message(lang).to_string()),
        }
    }
    if let (Some(first), false) = (general.first_mut(), named.is_empty()) {
        *first = format!("{} {}.", super::text::texts(lang).errors_fix, named.join(", "));
    }
    general
}

/// A page with one form (organisation and member forms).
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "form_page.html")]
pub struct FormPage {
    pub c: super::page::Chrome,
    pub t: &'static super::text::Texts,
    pub heading: String,
    /// A line under the heading (the organisation concerned).
    pub intro: String,
    pub action: String,
    pub fields: Vec<Field>,
    /// Errors that belong to no field of the form (a stale version, a hidden cell).
    pub general: Vec<String>,
    pub submit: &'static str,
    pub cancel: String,
}

/// `?saved=1` after a redirect: the page says the change was saved.
#[derive(serde::Deserialize, Default)]
pub struct SavedQuery {
    pub saved: Option<String>,
}

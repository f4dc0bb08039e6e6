//! Vietnamese name order and diacritic-free search.
//!
//! Names sort by given name, then family name, then middle name. Each part compares
//! letters first, in the Vietnamese alphabet (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t
//! u ư v x y, with f j w z in their Latin places), then tones in the order ngang, huyền, hỏi,
//! ngã, sắc, nặng. [`sort_key`] turns that order into a plain ASCII string whose byte order
//! is the Vietnamese order, so the database sorts it with a binary ("C") collation and an
//! ordinary index.

/// Vietnamese letters in alphabetical order (f, j, w, z for foreign names).
const ALPHABET: [char; 33] = [
    'a', 'ă', 'â', 'b', 'c', 'd', 'đ', 'e', 'ê', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'ô', 'ơ', 'p', 'q',
    'r', 's', 't', 'u', 'ư', 'v', 'w', 'x', 'y', 'z',
];

/// Each vowel with its tones: ngang, huyền, hỏi, ngã, sắc, nặng.
const TONED: [(char, [char; 6]); 12] = [
    ('a', ['a', 'à', 'ả', 'ã', 'á', 'ạ']),
    ('ă', ['ă', 'ằ', 'ẳ', 'ẵ', 'ắ', 'ặ']),
    ('â', ['â', 'ầ', 'ẩ', 'ẫ', 'ấ', 'ậ']),
    ('e', ['e', 'è', 'ẻ', 'ẽ', 'é', 'ẹ']),
    ('ê', ['ê', 'ề', 'ể', 'ễ', 'ế', 'ệ']),
    ('i', ['i', 'ì', 'ỉ', 'ĩ', 'í', 'ị']),
    ('o', ['o', 'ò', 'ỏ', 'õ', 'ó', 'ọ']),
    ('ô', ['ô', 'ồ', 'ổ', 'ỗ', 'ố', 'ộ']),
    ('ơ', ['ơ', 'ờ', 'ở', 'ỡ', 'ớ', 'ợ']),
    ('u', ['u', 'ù', 'ủ', 'ũ', 'ú', 'ụ']),
    ('ư', ['ư', 'ừ', 'ử', 'ữ', 'ứ', 'ự']),
    ('y', ['y', 'ỳ', 'ỷ', 'ỹ', 'ý', 'ỵ']),
];

/// Marks the end of a part's letters: sorts before the word break, so "An" < "An Bình".
const END_OF_LETTERS: char = '!';
/// A break between words inside a part.
const WORD_BREAK: char = '#';
/// Separates one part of the name from the next.
const PART_BREAK: char = ' ';

/// One letter of a name: its base letter and tone (0 = ngang … 5 = nặng).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Letter { base: char, tone: u8 },
    Digit(char),
    Space,
}

/// Split a lowercase, possibly decomposed string into letters with tones.
fn units(s: &str) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        // Combining marks (decomposed input) modify the previous letter.
        if let Some(Unit::Letter { base, tone }) = out.last_mut() {
            match c {
                '\u{0300}' => {
                    *tone = 1;
                    continue;
                }
                '\u{0309}' => {
                    *tone = 2;
                    continue;
                }
                '\u{0303}' => {
                    *tone = 3;
                    continue;
                }
                '\u{0301}' => {
                    *tone = 4;
                    continue;
                }
                '\u{0323}' => {
                    *tone = 5;
                    continue;
                }
                '\u{0306}' => {
                    if *base == 'a' {
                        *base = 'ă'
                    }
                    continue;
                }
                '\u{0302}' => {
                    *base = match *base {
                        'a' => 'â',
                        'e' => 'ê',
                        'o' => 'ô',
                        b => b,
                    };
                    continue;
                }
                '\u{031B}' => {
                    *base = match *base {
                        'o' => 'ơ',
                        'u' => 'ư',
                        b => b,
                    };
                    continue;
                }
                _ => {}
            }
        }
        if c.is_whitespace() {
            if !matches!(out.last(), Some(Unit::Space) | None) {
                out.push(Unit::Space);
            }
        } else if c.is_ascii_digit() {
            out.push(Unit::Digit(c));
        } else if let Some(u) = letter(c) {
            out.push(u);
        } else if ('\u{0300}'..='\u{036F}').contains(&c) {
            // A stray combining mark: ignore.
        } else if c.is_alphabetic() {
            // A letter outside the Vietnamese alphabet: sort it after z by its code point.
            out.push(Unit::Letter { base: c, tone: 0 });
        }
    }
    if matches!(out.last(), Some(Unit::Space)) {
        out.pop();
    }
    out
}

fn letter(c: char) -> Option<Unit> {
    if c == 'đ' {
        return Some(Unit::Letter { base: 'đ', tone: 0 });
    }
    for (base, forms) in TONED {
        if let Some(t) = forms.iter().position(|&f| f == c) {
            return Some(Unit::Letter { base, tone: t as u8 });
        }
    }
    ALPHABET.contains(&c).then_some(Unit::Letter { base: c, tone: 0 })
}

fn rank_char(base: char) -> char {
    match ALPHABET.iter().position(|&a| a == base) {
        // 'A' … 'a': 33 consecutive ASCII characters, all above the digits.
        Some(i) => char::from(b'A' + i as u8),
        None => '~',
    }
}

/// The sort key of one part of a name: letters, then tones per syllable.
fn part_key(part: &str, out: &mut String) {
    let units = units(part);
    let mut tones = String::new();
    let mut syllable_tone = 0u8;
    for u in &units {
        match *u {
            Unit::Letter { base, tone } => {
                out.push(rank_char(base));
                if tone != 0 && syllable_tone == 0 {
                    syllable_tone = tone;
                }
            }
            Unit::Digit(d) => out.push(d),
            Unit::Space => {
                out.push(WORD_BREAK);
                tones.push(char::from(b'0' + syllable_tone));
                syllable_tone = 0;
            }
        }
    }
    if !units.is_empty() {
        tones.push(char::from(b'0' + syllable_tone));
    }
    out.push(END_OF_LETTERS);
    out.push_str(&tones);
    out.push(PART_BREAK);
}

/// The sort key of a person's name: given name, then family name, then middle name.
/// Plain ASCII; compare with a binary collation.
pub fn sort_key(family: &str, middle: &str, given: &str) -> String {
    let mut out = String::with_capacity(2 * (family.len() + middle.len() + given.len()) + 8);
    part_key(given, &mut out);
    part_key(family, &mut out);
    part_key(middle, &mut out);
    out
}

/// Lowercase without diacritics (đ → d), words separated by single spaces: the form that
/// search compares.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for u in units(s) {
        match u {
            Unit::Letter { base, .. } => out.push(match base {
                'ă' | 'â' => 'a',
                'đ' => 'd',
                'ê' => 'e',
                'ô' | 'ơ' => 'o',
                'ư' => 'u',
                c => c,
            }),
            Unit::Digit(d) => out.push(d),
            Unit::Space => out.push(' '),
        }
    }
    out
}

/// The stored search key of a name: the folded full name in its natural order.
pub fn search_key(family: &str, middle: &str, given: &str) -> String {
    fold(&[family, middle, given].iter().filter(|p| !p.trim().is_empty()).copied().collect::<Vec<_>>().join(" "))
}

/// The words of a search query, folded; each must start a word of the search key.
/// Characters that mean something to SQL `LIKE` are dropped.
pub fn search_terms(query: &str) -> Vec<String> {
    fold(query)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().filter(|c| !matches!(c, '%' | '_' | '\\')).collect::<String>())
        .filter(|w| !w.is_empty())
        .take(6)
        .collect()
}

/// Whether a folded key matches all the search terms: each term starts a word of the name
/// ("an" finds "An" and "Anh", not "Văn"). The database applies the same rule as
/// `(' ' || search_key) LIKE '% term%'` ([`like_pattern`]).
pub fn matches(search_key: &str, terms: &[String]) -> bool {
    let spaced = format!(" {search_key}");
    terms.iter().all(|t| spaced.contains(&format!(" {t}")))
}

/// The distinct words of a search key: what the word index holds for a member.
pub fn words(search_key: &str) -> Vec<&str> {
    let mut w: Vec<&str> = search_key.split(' ').filter(|w| !w.is_empty()).collect();
    w.sort_unstable();
    w.dedup();
    w
}

/// The SQL `LIKE` pattern for one search term, to compare with `' ' || search_key`.
pub fn like_pattern(term: &str) -> String {
    format!("% {term}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(full: &str) -> String {
        let parts: Vec<&str> = full.split(' ').collect();
        let (family, given) = (parts[0], parts[parts.len() - 1]);
        let middle = parts[1..parts.len() - 1].join(" ");
        sort_key(family, &middle, given)
    }

    fn assert_sorted(names: &[&str]) {
        for w in names.windows(2) {
            assert!(key(w[0]) < key(w[1]), "{} should sort before {}", w[0], w[1]);
        }
    }

    #[test]
    fn given_name_first_then_family_then_middle() {
        assert_sorted(&["Trần Văn An", "Nguyễn Thị Bình", "Lê Văn Cường"]);
        assert_sorted(&["Lê Thị Lan", "Nguyễn Thị Lan", "Nguyễn Văn Lan"]);
        assert_sorted(&["Nguyễn Lan", "Nguyễn Thị Lan"]);
    }

    #[test]
    fn vietnamese_letter_order() {
        // a ă â, d đ, e ê, o ô ơ, u ư
        assert_sorted(&["X Y An", "X Y Ăn", "X Y Ân", "X Y Bảo"]);
        assert_sorted(&["X Y Dung", "X Y Đức", "X Y Em"]);
        assert_sorted(&["X Y Dương", "X Y Đào"]);
        assert_sorted(&["X Y Oanh", "X Y Ông", "X Y Ơn", "X Y Phúc"]);
        assert_sorted(&["X Y Uyên", "X Y Ưng", "X Y Vân"]);
        // Shorter prefix first.
        assert_sorted(&["X Y An", "X Y Anh"]);
        // f, j, w, z in their Latin places.
        assert_sorted(&["X Y Ewan", "X Y Frank", "X Y Giang"]);
    }

    #[test]
    fn tone_order_ngang_huyen_hoi_nga_sac_nang() {
        assert_sorted(&["X Y Ma", "X Y Mà", "X Y Mả", "X Y Mã", "X Y Má", "X Y Mạ"]);
        // Letters decide before tones: "Ánh" < "Ao" because n < o.
        assert_sorted(&["X Y Ánh", "X Y Ao"]);
    }

    #[test]
    fn decomposed_input_sorts_like_precomposed() {
        // "Nguyễn" with combining marks: e + circumflex + tilde.
        let decomposed = "Nguye\u{0302}\u{0303}n";
        assert_eq!(sort_key(decomposed, "", "An"), sort_key("Nguyễn", "", "An"));
        assert_eq!(fold(decomposed), "nguyen");
    }

    #[test]
    fn case_and_spacing_do_not_matter() {
        assert_eq!(sort_key("NGUYỄN", "THỊ  MINH", "khai"), sort_key("Nguyễn", "Thị Minh", "Khai"));
    }

    #[test]
    fn search_ignores_diacritics() {
        assert_eq!(fold("Đặng Thị Ánh Tuyết"), "dang thi anh tuyet");
        assert_eq!(search_key("Nguyễn", "Thị", "Lan"), "nguyen thi lan");
        assert_eq!(search_key("Lò", "", "Văn"), "lo van");
        let key = search_key("Trương", "Văn", "Đức");
        assert!(matches(&key, &search_terms("truong duc")));
        assert!(matches(&key, &search_terms("ĐỨC")));
        assert!(!matches(&key, &search_terms("truong an")));
        assert!(matches(&search_key("Lê", "Văn", "Anh"), &search_terms("an")));
        assert!(!matches(&search_key("Lê", "", "Văn"), &search_terms("an")));
        assert_eq!(search_terms("50%_off \\x"), vec!["50off", "x"]);
        assert!(search_terms("   ").is_empty());
    }

    #[test]
    fn words_are_distinct() {
        assert_eq!(words("nguyen thi nguyen"), ["nguyen", "thi"]);
        assert!(words("").is_empty());
    }

    #[test]
    fn keys_are_ascii() {
        let k = sort_key("Nguyễn", "Thị Ánh", "Tuyết");
        assert!(k.is_ascii(), "{k}");
    }
}

//! The bands a statistics report groups ages and party ages into (*nhóm tuổi đời, tuổi đảng*).
//!
//! No source document in chibo's rule list states these bands (guidance 11-HD/BTCTW
//! (13/12/2021) lays out the statistics forms, but its tables are not transcribed here): they are
//! **chibo's default bands**. To change them, edit the lower bounds and labels below (each band
//! runs from its lower bound to the next band's lower bound minus one); every report, its
//! spreadsheet and its JSON follow, and the report tests check that the bands cover every age.

/// One band: ages (full years) from `from` up to the next band's `from` minus one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Band {
    pub from: i32,
    /// Stable key, used in JSON and in drill-down links.
    pub key: &'static str,
    pub vi: &'static str,
    pub en: &'static str,
}

/// A list of bands with where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bands {
    pub source: &'static str,
    /// Sorted by `from`; the first starts at 0.
    pub bands: &'static [Band],
}

impl Bands {
    /// The index of the band holding `years` (negative years fall in the first band).
    pub fn index_of(&self, years: i32) -> usize {
        self.bands.iter().rposition(|b| b.from <= years).unwrap_or(0)
    }
}

impl Bands {
    /// The key of the band `date` falls in on `on` (full years from `date`).
    pub fn key_on(&self, date: time::Date, on: time::Date) -> &'static str {
        self.bands[self.index_of(crate::date::full_years(date, on))].key
    }

    /// The bands on `on` as ranges of dates, for a query to band dates by comparison alone:
    /// for each band after the first, highest first, the latest date whose full years on `on`
    /// reach its lower bound, with its key. A date falls in the first band whose cut it does not
    /// exceed, else in the first band (`key_on` of every date agrees).
    pub fn cuts_on(&self, on: time::Date) -> Vec<(time::Date, &'static str)> {
        let years = |d: time::Date| crate::date::full_years(d, on);
        self.bands
            .iter()
            .skip(1)
            .rev()
            .map(|b| {
                // The same day `from` years before (28 February for a 29th), then the latest
                // date that still has the full years.
                let mut cut = crate::date::add_months(on, -12 * b.from);
                while cut.next_day().is_some_and(|n| years(n) >= b.from) {
                    cut = cut.next_day().unwrap_or(cut);
                }
                while years(cut) < b.from {
                    cut = cut.previous_day().unwrap_or(cut);
                }
                (cut, b.key)
            })
            .collect()
    }

    /// The index of the band with `key`.
    pub fn index_of_key(&self, key: &str) -> Option<usize> {
        self.bands.iter().position(|b| b.key == key)
    }
}

const DEFAULT: &str = "chibo: nhóm mặc định (không có văn bản quy định)";

/// Age on the report date (*tuổi đời*): up to 30, 31–40, 41–50, 51–60, 61–70, over 70.
pub static AGE_BANDS: Bands = Bands {
    source: DEFAULT,
    bands: &[
        Band { from: 0, key: "to30", vi: "Đến 30 tuổi", en: "Up to 30" },
        Band { from: 31, key: "31_40", vi: "Từ 31 đến 40 tuổi", en: "31–40" },
        Band { from: 41, key: "41_50", vi: "Từ 41 đến 50 tuổi", en: "41–50" },
        Band { from: 51, key: "51_60", vi: "Từ 51 đến 60 tuổi", en: "51–60" },
        Band { from: 61, key: "61_70", vi: "Từ 61 đến 70 tuổi", en: "61–70" },
        Band { from: 71, key: "over70", vi: "Trên 70 tuổi", en: "Over 70" },
    ],
};

/// Party age on the report date (*tuổi đảng*), in full years from the first admission:
/// under 10, 10–19, 20–29, 30–39, 40–49, 50 and more.
pub static PARTY_AGE_BANDS: Bands = Bands {
    source: DEFAULT,
    bands: &[
        Band { from: 0, key: "under10", vi: "Dưới 10 năm", en: "Under 10 years" },
        Band { from: 10, key: "10_19", vi: "Từ 10 đến dưới 20 năm", en: "10–19 years" },
        Band { from: 20, key: "20_29", vi: "Từ 20 đến dưới 30 năm", en: "20–29 years" },
        Band { from: 30, key: "30_39", vi: "Từ 30 đến dưới 40 năm", en: "30–39 years" },
        Band { from: 40, key: "40_49", vi: "Từ 40 đến dưới 50 năm", en: "40–49 years" },
        Band { from: 50, key: "50plus", vi: "Từ 50 năm trở lên", en: "50 years and more" },
    ],
};

/// "Young" for the structure of new members (*đảng viên trẻ*): at most this age at admission.
pub const YOUNG_MAX_AGE: i32 = 30;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_are_sorted_from_zero_and_find_their_ages() {
        for b in [&AGE_BANDS, &PARTY_AGE_BANDS] {
            assert_eq!(b.bands[0].from, 0);
            assert!(b.bands.windows(2).all(|w| w[0].from < w[1].from));
        }
        assert_eq!(AGE_BANDS.index_of(30), 0);
        assert_eq!(AGE_BANDS.index_of(31), 1);
        assert_eq!(AGE_BANDS.index_of(70), 4);
        assert_eq!(AGE_BANDS.index_of(71), 5);
        assert_eq!(PARTY_AGE_BANDS.index_of(9), 0);
        assert_eq!(PARTY_AGE_BANDS.index_of(10), 1);
        assert_eq!(PARTY_AGE_BANDS.index_of(50), 5);
        assert_eq!(PARTY_AGE_BANDS.index_of(-1), 0);
    }

    /// Banding by the cuts equals banding by full years for every date of eighty years before
    /// report days around 29 February and the turn of a year.
    #[test]
    fn the_cuts_band_every_date_as_its_full_years_do() {
        use time::macros::date;
        let by_cuts = |b: &Bands, d: time::Date, on: time::Date| {
            b.cuts_on(on).into_iter().find(|(cut, _)| d <= *cut).map_or(b.bands[0].key, |(_, key)| key)
        };
        for on in [date!(2024 - 02 - 29), date!(2025 - 02 - 28), date!(2025 - 03 - 01), date!(2025 - 12 - 31)] {
            for b in [&AGE_BANDS, &PARTY_AGE_BANDS] {
                let mut d = date!(1940 - 01 - 01);
                while d <= on {
                    assert_eq!(by_cuts(b, d, on), b.key_on(d, on), "{d} on {on}");
                    d = d.next_day().unwrap();
                }
            }
        }
        assert_eq!(AGE_BANDS.cuts_on(date!(2025 - 12 - 31))[0], (date!(1954 - 12 - 31), "over70"));
    }
}

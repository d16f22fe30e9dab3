//! Japan Standard Time: every date a customer or the office sees (order numbers, 注文日, a
//! month's 還元額, mail deadlines, the audit log's days) is a JST date, whatever the server's
//! zone. JST has no daylight saving, so the conversions below cannot fail.
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// UTC+09:00.
pub fn offset() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).unwrap_or_else(|| unreachable!("+09:00 is a valid offset"))
}

/// An instant on the JST clock.
pub fn jst(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&offset())
}

/// The JST calendar date of an instant.
pub fn jst_date(t: DateTime<Utc>) -> NaiveDate {
    jst(t).date_naive()
}

/// The UTC instant of JST midnight starting `date`.
pub fn jst_midnight(date: NaiveDate) -> DateTime<Utc> {
    let naive = date.and_time(NaiveTime::MIN);
    offset()
        .from_local_datetime(&naive)
        .single()
        .unwrap_or_else(|| unreachable!("JST has no gaps"))
        .with_timezone(&Utc)
}

/// `2026年11月30日 09:05`: when something happened, as mails and screens say it.
pub fn jp_minute(t: DateTime<Utc>) -> String {
    jst(t).format("%Y年%m月%d日 %H:%M").to_string()
}

/// `09:05`: a deadline later today (a PIN's expiry).
pub fn hhmm(t: DateTime<Utc>) -> String {
    jst(t).format("%H:%M").to_string()
}

/// `2026年11月30日`
pub fn jp_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// A JST calendar month, as in `2026-11`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// Parses `YYYY-MM` (years 2000–2999).
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.split_once('-')?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let month: u32 = m.parse().ok()?;
        ((2000..3000).contains(&year) && (1..=12).contains(&month)).then_some(Month { year, month })
    }

    pub fn of(date: NaiveDate) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
            .unwrap_or_else(|| unreachable!("Month holds a valid month"))
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn prev(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day() - Duration::days(1)
    }

    /// `[start, end)` in UTC: JST midnight of the 1st to JST midnight of the next month's 1st.
    pub fn utc_range(self) -> (DateTime<Utc>, DateTime<Utc>) {
        (
            jst_midnight(self.first_day()),
            jst_midnight(self.next().first_day()),
        )
    }

    /// `2026-11`
    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// `2026年11月`
    pub fn label(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_utc_evening_is_the_next_jst_day() {
        // 31 Oct 15:30 UTC is already 1 Nov in Japan.
        let t = Utc.with_ymd_and_hms(2026, 10, 31, 15, 30, 0).unwrap();
        assert_eq!(jst_date(t), d(2026, 11, 1));
        assert_eq!(jp_minute(t), "2026年11月01日 00:30");
        assert_eq!(hhmm(t), "00:30");
        assert_eq!(
            jst_midnight(d(2026, 11, 1)).to_rfc3339(),
            "2026-10-31T15:00:00+00:00"
        );
        assert_eq!(jp_date(d(2026, 11, 30)), "2026年11月30日");
    }

    #[test]
    fn months() {
        let nov = Month {
            year: 2026,
            month: 11,
        };
        let (start, end) = nov.utc_range();
        assert_eq!(start.to_rfc3339(), "2026-10-31T15:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2026-11-30T15:00:00+00:00");
        assert_eq!(Month::parse("2026-11"), Some(nov));
        for bad in [
            "2026-13",
            "2026-00",
            "26-11",
            "2026-1",
            "1999-12",
            "２０２６-11",
            "2026-11.pdf",
            "",
        ] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        assert_eq!(
            Month {
                year: 2026,
                month: 12
            }
            .next(),
            Month {
                year: 2027,
                month: 1
            }
        );
        assert_eq!(
            Month {
                year: 2026,
                month: 1
            }
            .prev(),
            Month {
                year: 2025,
                month: 12
            }
        );
        assert_eq!(
            Month {
                year: 2028,
                month: 2
            }
            .last_day(),
            d(2028, 2, 29)
        );
        assert_eq!(nov.code(), "2026-11");
        assert_eq!(nov.label(), "2026年11月");
    }
}

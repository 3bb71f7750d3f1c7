//! Time expressions in news text ("last night", "yesterday", "on Wednesday", "Tuesday night",
//! "last Sunday", "Sept. 27", "three days ago", "in 1994") and their resolution against the
//! article's publication date.
//!
//! Resolution follows wire-copy conventions: a bare weekday in a past-tense clause is the most
//! recent such day on or before the article date; in a future clause, the next one after it.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use dyad_text::Document;
use std::ops::Range;

/// Which way the clause around a time expression points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    Past,
    Present,
    Future,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modifier {
    Last,
    This,
    Next,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeKind {
    /// Offset in days from the article date: today 0, yesterday -1, "last night" -1, tomorrow 1,
    /// "three days ago" -3.
    DayOffset(i64),
    Weekday(Weekday, Modifier),
    /// A calendar day, with the year when the text gives one.
    MonthDay {
        month: u32,
        day: u32,
        year: Option<i32>,
    },
    /// A year alone ("in 1994", "since 2014"): not an event date, but tells background apart.
    Year(i32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeExpr {
    pub tokens: Range<usize>,
    pub kind: TimeKind,
}

impl TimeExpr {
    /// The calendar date this expression denotes, given the article date and the clause tense.
    pub fn resolve(&self, article: NaiveDate, tense: Tense) -> Option<NaiveDate> {
        resolve(self.kind, article, tense)
    }
}

pub fn resolve(kind: TimeKind, article: NaiveDate, tense: Tense) -> Option<NaiveDate> {
    match kind {
        TimeKind::DayOffset(d) => add_days(article, d),
        TimeKind::Weekday(wd, m) => {
            let today = article.weekday().num_days_from_monday() as i64;
            let target = wd.num_days_from_monday() as i64;
            let back = (today - target).rem_euclid(7); // 0..6 days back to that weekday
            let fwd = (target - today).rem_euclid(7);
            let offset = match (m, tense) {
                (Modifier::Last, _) => -(if back == 0 { 7 } else { back }),
                (Modifier::Next, _) => {
                    if fwd == 0 {
                        7
                    } else {
                        fwd
                    }
                }
                (_, Tense::Future) => {
                    if fwd == 0 {
                        7
                    } else {
                        fwd
                    }
                }
                (Modifier::This, Tense::Present) => fwd,
                _ => -back,
            };
            add_days(article, offset)
        }
        TimeKind::MonthDay { month, day, year } => {
            let y = year.unwrap_or(article.year());
            let d = NaiveDate::from_ymd_opt(y, month, day)?;
            if year.is_none() {
                // "Sept. 27" in a January article about the past means last year's.
                if tense != Tense::Future && d > article + Days::new(7) {
                    return NaiveDate::from_ymd_opt(y - 1, month, day);
                }
                if tense == Tense::Future && d + Days::new(180) < article {
                    return NaiveDate::from_ymd_opt(y + 1, month, day);
                }
            }
            Some(d)
        }
        TimeKind::Year(_) => None,
    }
}

fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64))
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs()))
    }
}

fn weekday(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" | "mon" => Weekday::Mon,
        "tuesday" | "tue" | "tues" => Weekday::Tue,
        "wednesday" | "wed" => Weekday::Wed,
        "thursday" | "thu" | "thur" | "thurs" => Weekday::Thu,
        "friday" | "fri" => Weekday::Fri,
        "saturday" | "sat" => Weekday::Sat,
        "sunday" | "sun" => Weekday::Sun,
        _ => return None,
    })
}

fn month(w: &str) -> Option<u32> {
    Some(match w {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sept" | "sep" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

fn number_word(w: &str) -> Option<i64> {
    Some(match w {
        "one" | "a" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        _ => return w.parse().ok().filter(|n| (1..=366).contains(n)),
    })
}

const PARTS_OF_DAY: &[&str] = &["night", "morning", "afternoon", "evening"];

/// Finds the time expressions among tokens `range` of `doc`, left to right, non-overlapping.
pub fn find(doc: &Document, range: Range<usize>) -> Vec<TimeExpr> {
    let mut out = Vec::new();
    let w = |i: usize| if i < range.end { doc.norm(i) } else { "" };
    let mut i = range.start;
    while i < range.end {
        let (len, kind) = match_at(doc, i, range.end, &w);
        if let Some(kind) = kind {
            out.push(TimeExpr {
                tokens: i..i + len,
                kind,
            });
            i += len.max(1);
        } else {
            i += 1;
        }
    }
    out
}

fn match_at<'a>(
    doc: &'a Document,
    i: usize,
    end: usize,
    w: &dyn Fn(usize) -> &'a str,
) -> (usize, Option<TimeKind>) {
    let a = w(i);
    let b = w(i + 1);
    let c = w(i + 2);
    // "the day before yesterday"
    if a == "the" && b == "day" && c == "before" && w(i + 3) == "yesterday" {
        return (4, Some(TimeKind::DayOffset(-2)));
    }
    match a {
        "today" | "tonight" => return (1, Some(TimeKind::DayOffset(0))),
        "yesterday" => {
            let l = if PARTS_OF_DAY.contains(&b) { 2 } else { 1 };
            return (l, Some(TimeKind::DayOffset(-1)));
        }
        "tomorrow" => return (1, Some(TimeKind::DayOffset(1))),
        "overnight" => return (1, Some(TimeKind::DayOffset(-1))),
        "this" if PARTS_OF_DAY.contains(&b) => return (2, Some(TimeKind::DayOffset(0))),
        "last" | "this" | "next" | "past" => {
            let m = match a {
                "last" | "past" => Modifier::Last,
                "this" => Modifier::This,
                _ => Modifier::Next,
            };
            if b == "night" && a == "last" {
                return (2, Some(TimeKind::DayOffset(-1)));
            }
            if let Some(wd) = weekday(b) {
                let l = if PARTS_OF_DAY.contains(&c) { 3 } else { 2 };
                return (l, Some(TimeKind::Weekday(wd, m)));
            }
        }
        _ => {}
    }
    if let Some(wd) = weekday(a) {
        // Guard against names: "Tuesday" must be capitalized or the whole text lower case.
        let l = if PARTS_OF_DAY.contains(&b) { 2 } else { 1 };
        // "Tuesday, Sept. 29" is a calendar date: prefer that.
        if b == "," {
            let (l2, k2) = month_day(doc, i + 2, end, w);
            if k2.is_some() {
                return (2 + l2, k2);
            }
        }
        return (l, Some(TimeKind::Weekday(wd, Modifier::None)));
    }
    // "three days ago"
    if let Some(n) = number_word(a) {
        if matches!(b, "day" | "days") && c == "ago" {
            return (3, Some(TimeKind::DayOffset(-n)));
        }
        if matches!(b, "week" | "weeks") && c == "ago" {
            return (3, Some(TimeKind::DayOffset(-7 * n)));
        }
    }
    // Calendar dates start with a month name or a number: skip every other word cheaply.
    if month(a).is_some() || a.starts_with(|c: char| c.is_ascii_digit()) {
        let (l, k) = month_day(doc, i, end, w);
        if k.is_some() {
            return (l, k);
        }
    }
    // "in 1994", "since 2014", "1994": a year.
    if doc.tokens[i].kind == dyad_text::TokenKind::Number && a.len() == 4 {
        if let Ok(y) = a.parse::<i32>() {
            if (1900..=2100).contains(&y)
                && !matches!(b, "people" | "troops" | "soldiers" | "tons" | "dollars")
            {
                return (1, Some(TimeKind::Year(y)));
            }
        }
    }
    (1, None)
}

/// "Sept. 27", "September 27, 2020", "27 September", "27 Sept 2020", "2020-09-27".
fn month_day<'a>(
    doc: &'a Document,
    i: usize,
    end: usize,
    w: &dyn Fn(usize) -> &'a str,
) -> (usize, Option<TimeKind>) {
    let day_of = |s: &str| s.parse::<u32>().ok().filter(|d| (1..=31).contains(d));
    let year_of = |s: &str| s.parse::<i32>().ok().filter(|y| (1900..=2100).contains(y));
    let a = w(i);
    if let Some(m) = month(a) {
        // Bare "may" / "march" are ordinary words unless capitalized and followed by a day.
        let mut j = i + 1;
        if w(j) == "." {
            j += 1;
        }
        if let Some(d) = day_of(w(j)) {
            if (a == "may" || a == "march") && !doc.tokens[i].upper {
                return (1, None);
            }
            let mut l = j + 1 - i;
            let mut year = None;
            let mut k = j + 1;
            if w(k) == "," {
                k += 1;
            }
            if let Some(y) = year_of(w(k)) {
                year = Some(y);
                l = k + 1 - i;
            }
            return (
                l,
                Some(TimeKind::MonthDay {
                    month: m,
                    day: d,
                    year,
                }),
            );
        }
        return (1, None);
    }
    if let Some(d) = day_of(a) {
        if let Some(m) = month(w(i + 1)) {
            if !doc.tokens[i + 1].upper && matches!(w(i + 1), "may" | "march") {
                return (1, None);
            }
            let mut l = 2;
            let mut k = i + 2;
            if w(k) == "." {
                k += 1;
            }
            let year = year_of(w(k));
            if year.is_some() {
                l = k + 1 - i;
            }
            return (
                l,
                Some(TimeKind::MonthDay {
                    month: m,
                    day: d,
                    year,
                }),
            );
        }
    }
    // ISO date "2020-09-27": tokens 2020 - 09 - 27.
    if let (Some(y), "-", "-") = (year_of(a), w(i + 1), w(i + 3)) {
        if i + 4 < end {
            if let (Ok(m), Some(d)) = (w(i + 2).parse::<u32>(), day_of(w(i + 4))) {
                if (1..=12).contains(&m) {
                    return (
                        5,
                        Some(TimeKind::MonthDay {
                            month: m,
                            day: d,
                            year: Some(y),
                        }),
                    );
                }
            }
        }
    }
    (1, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("valid test date")
    }

    fn first(text: &str, tense: Tense) -> Option<NaiveDate> {
        let doc = Document::new(text);
        let e = find(&doc, 0..doc.tokens.len());
        e.first()?.resolve(d("2020-10-01"), tense)
    }

    // The reference article is dated Thursday 2020-10-01.
    #[test]
    fn reference_article_dates() {
        assert_eq!(
            first("They spoke by phone last night.", Tense::Past),
            Some(d("2020-09-30"))
        );
        assert_eq!(
            first("Yesterday, Lavrov called for a ceasefire.", Tense::Past),
            Some(d("2020-09-30"))
        );
        assert_eq!(
            first("Aliyev said on Wednesday that", Tense::Past),
            Some(d("2020-09-30"))
        );
        assert_eq!(
            first("Pashinyan also said Tuesday night that", Tense::Past),
            Some(d("2020-09-29"))
        );
        assert_eq!(
            first("the same day they began, last Sunday.", Tense::Past),
            Some(d("2020-09-27"))
        );
        assert_eq!(
            first("released on Tuesday by the NGO", Tense::Past),
            Some(d("2020-09-29"))
        );
    }

    #[test]
    fn tense_decides_bare_weekday() {
        assert_eq!(
            first("They will meet on Tuesday.", Tense::Future),
            Some(d("2020-10-06"))
        );
        assert_eq!(
            first("They met on Tuesday.", Tense::Past),
            Some(d("2020-09-29"))
        );
        assert_eq!(
            first("They met on Thursday.", Tense::Past),
            Some(d("2020-10-01"))
        );
        assert_eq!(
            first("They meet next Thursday.", Tense::Present),
            Some(d("2020-10-08"))
        );
        assert_eq!(
            first("It happened last Thursday.", Tense::Past),
            Some(d("2020-09-24"))
        );
    }

    #[test]
    fn calendar_dates_and_offsets() {
        assert_eq!(
            first("on Sept. 27 the fighting began", Tense::Past),
            Some(d("2020-09-27"))
        );
        assert_eq!(
            first("on 27 September 2019", Tense::Past),
            Some(d("2019-09-27"))
        );
        assert_eq!(first("on December 30", Tense::Past), Some(d("2019-12-30")));
        assert_eq!(first("three days ago", Tense::Past), Some(d("2020-09-28")));
        assert_eq!(first("tomorrow", Tense::Future), Some(d("2020-10-02")));
        assert_eq!(first("2020-09-27", Tense::Past), Some(d("2020-09-27")));
    }

    #[test]
    fn years_and_words_that_are_not_dates() {
        let doc = Document::new("a structure created in 1994 may change");
        let e = find(&doc, 0..doc.tokens.len());
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].kind, TimeKind::Year(1994));
        assert_eq!(e[0].resolve(d("2020-10-01"), Tense::Past), None);
    }
}

//! Recoding: how the clause around a pattern changes its code (an intended act becomes an
//! intent, an announced use of force a threat, an obligation a demand, a refused act a
//! rejection). Pure functions from a CAMEO code to a CAMEO code.

/// The root (01–20) of a CAMEO code; 0 when it has none.
pub(crate) fn root(code: &str) -> u8 {
    code.get(..2).and_then(|r| r.parse().ok()).unwrap_or(0)
}

/// CAMEO 13x for a future or intended act of protest, coercion or force.
pub(crate) fn threat_code(code: &str) -> Option<String> {
    let c = match root(code) {
        14 => "133",
        15 => "130",
        16 if code.starts_with("162") => "1311",
        16 if code.starts_with("163") => "1312",
        16 if code.starts_with("161") => "1313",
        16 => "131",
        17 if code.starts_with("172") => "132",
        17 => "137",
        18..=20 => "138",
        _ => return None,
    };
    Some(c.to_string())
}

/// CAMEO 03x for a future or intended cooperative act.
pub(crate) fn intent_code(code: &str) -> Option<String> {
    Some(
        match root(code) {
            4 => {
                if code.starts_with("045") {
                    "039"
                } else {
                    "036"
                }
            }
            5 => "032",
            6 => "031",
            7 => "033",
            8 => "035",
            _ => return None,
        }
        .to_string(),
    )
}

/// CAMEO 10x for an obligation a speaker puts on someone else.
pub(crate) fn demand_code(code: &str) -> String {
    match root(code) {
        4 => "106",
        5 => "102",
        6 => "101",
        7 => "103",
        8 => {
            if code.starts_with("087") {
                "1056"
            } else {
                "105"
            }
        }
        _ => "100",
    }
    .to_string()
}

/// CAMEO 12x for a refusal to do a cooperative act.
pub(crate) fn refusal_code(code: &str) -> Option<String> {
    Some(
        match root(code) {
            4 => "125",
            3 | 5 => "120",
            6 => "121",
            7 => "122",
            8 => "124",
            _ => return None,
        }
        .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recodings() {
        assert_eq!(intent_code("042").as_deref(), Some("036"));
        assert_eq!(intent_code("071").as_deref(), Some("033"));
        assert_eq!(intent_code("190"), None);
        assert_eq!(demand_code("0874"), "1056");
        assert_eq!(refusal_code("046").as_deref(), Some("125"));
    }
}

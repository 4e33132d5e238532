//! A page address's query string (`?a=1&b=x%20y`, as `location.search` has
//! it) as name–value pairs, for the options links carry (`?connect=`,
//! `?embed=`).

use percent_encoding::percent_decode_str;

/// The pairs in order, decoded; a name without `=` has an empty value.
pub fn pairs(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// A query string's component: `+` is a space, `%XX` a byte.
fn decode(text: &str) -> String {
    percent_decode_str(&text.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_decoded_in_order() {
        assert_eq!(
            pairs("?embed=1&hide=minimap%2Cinspector&q=a+b&flag"),
            vec![
                ("embed".to_owned(), "1".to_owned()),
                ("hide".to_owned(), "minimap,inspector".to_owned()),
                ("q".to_owned(), "a b".to_owned()),
                ("flag".to_owned(), String::new()),
            ]
        );
        assert!(pairs("").is_empty());
        assert!(pairs("?").is_empty());
    }
}

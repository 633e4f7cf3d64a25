//! The query string as the API takes it: bracketed keys unencoded, and a list as one comma-joined value.
//!
//! progenitor writes every query pair through `serde_urlencoded`, which percent-encodes `[` and `]`
//! in keys such as `updated_at[gt]`, and writes a list as one pair per item. The API's overview asks
//! clients not to encode the URL, and every list parameter of the spec is `style: form, explode: false`
//! (`type[in]=1,2`), so the request hook rewrites the query into that form before it is sent.

/// Rewrites `query` (as it is in the URL, already encoded): `%5B`/`%5D` in keys become `[`/`]`, and
/// the values of a key that appears more than once are joined by commas at its first place.
/// Values stay encoded as they were; an item with a comma of its own is therefore sent as `%2C`.
pub(crate) fn normalize(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = unencode_brackets(key);
        match pairs.iter_mut().find(|(seen, _)| *seen == key) {
            Some((_, values)) => {
                values.push(',');
                values.push_str(value);
            }
            None => pairs.push((key, value.to_string())),
        }
    }
    let mut out = String::with_capacity(query.len());
    for (index, (key, value)) in pairs.iter().enumerate() {
        if index > 0 {
            out.push('&');
        }
        out.push_str(key);
        out.push('=');
        out.push_str(value);
    }
    out
}

fn unencode_brackets(key: &str) -> String {
    key.replace("%5B", "[")
        .replace("%5b", "[")
        .replace("%5D", "]")
        .replace("%5d", "]")
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn brackets_in_keys_are_sent_as_they_are() {
        assert_eq!(normalize("updated_at%5Bgt%5D=1556829805"), "updated_at[gt]=1556829805");
        assert_eq!(
            normalize("data%5bclass_name%5d=CoolDialog"),
            "data[class_name]=CoolDialog"
        );
    }

    #[test]
    fn a_repeated_key_becomes_one_comma_joined_value_at_its_first_place() {
        assert_eq!(
            normalize("type%5Bin%5D=1&limit=3&type%5Bin%5D=2&sort_desc=last_message_date_sent"),
            "type[in]=1,2&limit=3&sort_desc=last_message_date_sent"
        );
    }

    #[test]
    fn values_keep_their_encoding() {
        // A bracket or a comma inside a value is data, not syntax, so it stays encoded.
        assert_eq!(
            normalize("name=a%5Bb%5D%2Cc&name%5Bctn%5D=%26"),
            "name=a%5Bb%5D%2Cc&name[ctn]=%26"
        );
    }

    #[test]
    fn a_key_without_a_value_keeps_an_empty_one() {
        assert_eq!(normalize("count=1&&flag"), "count=1&flag=");
    }
}

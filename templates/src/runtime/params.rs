//! Turning typed query, header and form values into the strings HTTP carries.

use serde::Serialize;
use serde_json::Value;

/// The string forms of a parameter value: nothing for `None`/null, one
/// string for a scalar, one per element for a sequence (the parameter is
/// then repeated).
///
/// Strings are sent unquoted, numbers and booleans in their JSON form, and
/// enums by their serde name. Maps, structs and nested sequences have no
/// agreed string form and are rejected.
pub(crate) fn param_values<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
) -> Result<Vec<String>, String> {
    // Going through `Value` is a few allocations more than a dedicated
    // serializer, and far less code for the same rules.
    let value = serde_json::to_value(value)
        .map_err(|e| format!("parameter `{name}` cannot be serialized: {e}"))?;
    match value {
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.extend(scalar(name, item)?);
            }
            Ok(out)
        }
        other => Ok(scalar(name, other)?.into_iter().collect()),
    }
}

fn scalar(name: &str, value: Value) -> Result<Option<String>, String> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Bool(b) => Ok(Some(b.to_string())),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Array(_) | Value::Object(_) => Err(format!(
            "parameter `{name}` must be a scalar or a list of scalars"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Order {
        NewestFirst,
    }

    #[test]
    fn scalars_options_enums_and_lists() {
        assert_eq!(param_values("a", "x y").unwrap(), ["x y"]);
        assert_eq!(param_values("a", &3).unwrap(), ["3"]);
        assert_eq!(param_values("a", &true).unwrap(), ["true"]);
        assert_eq!(param_values("a", &1.5).unwrap(), ["1.5"]);
        assert_eq!(param_values("a", &Order::NewestFirst).unwrap(), ["newest_first"]);
        assert!(param_values("a", &None::<u8>).unwrap().is_empty());
        assert_eq!(param_values("a", &Some("v")).unwrap(), ["v"]);
        assert_eq!(param_values("a", &["p", "q"]).unwrap(), ["p", "q"]);
        assert_eq!(param_values("a", &vec![Some(1), None]).unwrap(), ["1"]);
        assert!(param_values("a", &[[1]]).is_err());
    }
}

//! The part of JSON Schema the task schemas use, checked by hand: `type` (one or a list),
//! `properties`, `required`, `additionalProperties: false`, `items`, `enum`, `minimum`,
//! `maximum`, `minLength`, `maxLength`, `maxItems`. A keyword outside that set is a bug in
//! a task's schema, not in a model's answer, and [`validate`] says so.

use serde_json::Value;

const KNOWN: &[&str] = &[
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "maxItems",
    "description",
];

/// Every place `value` breaks `schema`, as `/path: what is wrong` (empty: it fits). At most
/// 20 are listed: a repair request quotes them, and a long list helps no model.
pub fn validate(schema: &Value, value: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    check(schema, value, "", &mut errors);
    errors.truncate(20);
    errors
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn fits_type(wanted: &str, value: &Value) -> bool {
    let actual = type_name(value);
    actual == wanted
        || (wanted == "number" && actual == "integer")
        || (wanted == "integer" && value.as_f64().is_some_and(|f| f.fract() == 0.0))
}

fn check(schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let Some(schema) = schema.as_object() else {
        errors.push(format!("{path}: the schema here is not an object"));
        return;
    };
    let at = if path.is_empty() { "/" } else { path };
    if let Some(unknown) = schema.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        errors.push(format!(
            "{at}: the schema uses {unknown:?}, which is not checked"
        ));
        return;
    }
    if let Some(wanted) = schema.get("type") {
        let names: Vec<&str> = match wanted {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !names.iter().any(|name| fits_type(name, value)) {
            errors.push(format!(
                "{at}: expected {}, found {}",
                names.join(" or "),
                type_name(value)
            ));
            return;
        }
    }
    if let Some(Value::Array(allowed)) = schema.get("enum")
        && !allowed.contains(value)
    {
        let list: Vec<String> = allowed.iter().map(Value::to_string).collect();
        errors.push(format!("{at}: must be one of {}", list.join(", ")));
    }
    match value {
        Value::Number(n) => {
            let n = n.as_f64().unwrap_or(f64::NAN);
            if let Some(min) = schema.get("minimum").and_then(Value::as_f64)
                && n < min
            {
                errors.push(format!("{at}: must be at least {min}"));
            }
            if let Some(max) = schema.get("maximum").and_then(Value::as_f64)
                && n > max
            {
                errors.push(format!("{at}: must be at most {max}"));
            }
        }
        Value::String(s) => {
            let length = s.chars().count() as u64;
            if let Some(min) = schema.get("minLength").and_then(Value::as_u64)
                && length < min
            {
                errors.push(format!("{at}: must be at least {min} characters"));
            }
            if let Some(max) = schema.get("maxLength").and_then(Value::as_u64)
                && length > max
            {
                errors.push(format!("{at}: must be at most {max} characters"));
            }
        }
        Value::Array(items) => {
            if let Some(max) = schema.get("maxItems").and_then(Value::as_u64)
                && items.len() as u64 > max
            {
                errors.push(format!("{at}: at most {max} items"));
            }
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    check(item_schema, item, &format!("{path}/{i}"), errors);
                }
            }
        }
        Value::Object(fields) => {
            if let Some(Value::Array(required)) = schema.get("required") {
                for name in required.iter().filter_map(Value::as_str) {
                    if !fields.contains_key(name) {
                        errors.push(format!("{at}: {name:?} is missing"));
                    }
                }
            }
            let properties = schema.get("properties").and_then(Value::as_object);
            for (name, field) in fields {
                match properties.and_then(|p| p.get(name)) {
                    Some(field_schema) => {
                        check(field_schema, field, &format!("{path}/{name}"), errors)
                    }
                    None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                        errors.push(format!("{at}: {name:?} is not a known field"));
                    }
                    None => {}
                }
            }
        }
        Value::Null | Value::Bool(_) => {}
    }
}

/// The JSON a model answered with, read leniently: the whole text, or failing that the
/// text inside a Markdown code fence, or from the first `{` to the last `}` (models wrap
/// JSON in prose and fences even when asked not to).
pub fn read_json(text: &str) -> Result<Value, String> {
    let trimmed = text.trim();
    if let Ok(value) = serde_json::from_str(trimmed) {
        return Ok(value);
    }
    if let Some(start) = trimmed.find("```") {
        let rest = &trimmed[start + 3..];
        let rest = rest.strip_prefix("json").unwrap_or(rest);
        if let Some(end) = rest.find("```")
            && let Ok(value) = serde_json::from_str(rest[..end].trim())
        {
            return Ok(value);
        }
    }
    match (trimmed.find('{'), trimmed.rfind('}')) {
        (Some(start), Some(end)) if start < end => serde_json::from_str(&trimmed[start..=end])
            .map_err(|e| format!("the answer is not valid JSON: {e}")),
        _ => Err("the answer holds no JSON object".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({
            "type": "object",
            "required": ["score", "words"],
            "additionalProperties": false,
            "properties": {
                "score": {"type": "number", "minimum": 0, "maximum": 1},
                "words": {"type": "array", "maxItems": 3, "items": {"type": "string", "maxLength": 5}},
                "kind": {"enum": ["a", "b"]},
                "note": {"type": ["string", "null"]}
            }
        })
    }

    #[test]
    fn a_fitting_value_has_no_errors() {
        let value = json!({"score": 1, "words": ["free"], "kind": "a", "note": null});
        assert!(validate(&schema(), &value).is_empty());
    }

    #[test]
    fn each_break_is_named_with_its_path() {
        let value = json!({"score": 1.5, "words": ["fine", 3, "toolong"], "kind": "c", "extra": 1, "note": 2});
        let errors = validate(&schema(), &value);
        for expected in [
            "/score: must be at most 1",
            "/words/1: expected string, found integer",
            "/words/2: must be at most 5 characters",
            "/kind: must be one of \"a\", \"b\"",
            "/: \"extra\" is not a known field",
            "/note: expected string or null, found integer",
        ] {
            assert!(
                errors.iter().any(|e| e == expected),
                "{expected} in {errors:?}"
            );
        }
        assert_eq!(
            validate(&schema(), &json!({"words": []})),
            ["/: \"score\" is missing"]
        );
        assert_eq!(
            validate(&schema(), &json!([])),
            ["/: expected object, found array"]
        );
    }

    #[test]
    fn an_unchecked_keyword_is_reported_not_ignored() {
        let errors = validate(&json!({"type": "string", "pattern": "x"}), &json!("y"));
        assert_eq!(
            errors,
            ["/: the schema uses \"pattern\", which is not checked"]
        );
    }

    #[test]
    fn json_is_found_inside_fences_and_prose() {
        assert_eq!(read_json(" {\"a\": 1} ").unwrap(), json!({"a": 1}));
        assert_eq!(
            read_json("Sure!\n```json\n{\"a\": 2}\n```\nDone.").unwrap(),
            json!({"a": 2})
        );
        assert_eq!(read_json("Here: {\"a\": 3} ok").unwrap(), json!({"a": 3}));
        assert!(read_json("no json here").is_err());
        assert!(read_json("{\"a\": }").is_err());
    }
}

//! The walk over every schema position of a document, applying the rewrites at each.

use serde_json::Value;

use super::rewrites::{
    boolean_schema, const_to_enum, drop_keywords, examples_array, exclusive_bounds, is_null_schema,
    null_type, nullable_union, ref_siblings, type_array,
};
use super::NormaliseStats;
use crate::error::Result;
use crate::text::{escape_token, pointer_from_tokens};

/// A rewrite failure: (pointer, message).
type WalkError = (String, String);

pub(super) struct Walker<'s> {
    pub(super) stats: &'s mut NormaliseStats,
    pub(super) pointer: String,
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Walker<'_> {
    fn enter(&mut self, token: &str) -> usize {
        let len = self.pointer.len();
        self.pointer.push('/');
        self.pointer.push_str(&escape_token(token));
        len
    }

    /// Call `f` on `value[key]` (if present) with the pointer extended by `key`.
    fn at<F>(&mut self, value: &mut Value, key: &str, f: F) -> Result<(), WalkError>
    where
        F: FnOnce(&mut Self, &mut Value) -> Result<(), WalkError>,
    {
        let Some(child) = value.get_mut(key) else {
            return Ok(());
        };
        let len = self.enter(key);
        let result = f(self, child);
        self.pointer.truncate(len);
        result
    }

    /// Call `f` on every entry of the map `value[key]`.
    fn each_entry<F>(&mut self, value: &mut Value, key: &str, mut f: F) -> Result<(), WalkError>
    where
        F: FnMut(&mut Self, &mut Value) -> Result<(), WalkError>,
    {
        self.at(value, key, |w, map| {
            let Some(map) = map.as_object_mut() else {
                return Ok(());
            };
            for (name, item) in map.iter_mut() {
                let len = w.enter(name);
                let result = f(w, item);
                w.pointer.truncate(len);
                result?;
            }
            Ok(())
        })
    }

    /// Call `f` on every item of the array `value[key]`.
    fn each_item<F>(&mut self, value: &mut Value, key: &str, mut f: F) -> Result<(), WalkError>
    where
        F: FnMut(&mut Self, &mut Value) -> Result<(), WalkError>,
    {
        self.at(value, key, |w, items| {
            let Some(items) = items.as_array_mut() else {
                return Ok(());
            };
            for (i, item) in items.iter_mut().enumerate() {
                let len = w.enter(&i.to_string());
                let result = f(w, item);
                w.pointer.truncate(len);
                result?;
            }
            Ok(())
        })
    }

    pub(super) fn document(&mut self, root: &mut Value) -> Result<(), WalkError> {
        self.each_entry(root, "paths", Self::path_item)?;
        self.each_entry(root, "webhooks", Self::path_item)?;
        self.at(root, "components", |w, components| {
            w.each_entry(components, "schemas", Self::schema)?;
            w.each_entry(components, "parameters", Self::parameter)?;
            w.each_entry(components, "headers", Self::parameter)?;
            w.each_entry(components, "responses", Self::response)?;
            w.each_entry(components, "requestBodies", Self::request_body)?;
            w.each_entry(components, "pathItems", Self::path_item)?;
            w.each_entry(components, "callbacks", Self::callback)
        })
    }

    fn path_item(&mut self, item: &mut Value) -> Result<(), WalkError> {
        self.each_item(item, "parameters", Self::parameter)?;
        for method in METHODS {
            self.at(item, method, Self::operation)?;
        }
        Ok(())
    }

    fn callback(&mut self, callback: &mut Value) -> Result<(), WalkError> {
        if is_reference(callback) {
            return Ok(());
        }
        let Some(map) = callback.as_object_mut() else {
            return Ok(());
        };
        for (expression, item) in map.iter_mut() {
            if expression.starts_with("x-") {
                continue;
            }
            let len = self.enter(expression);
            let result = self.path_item(item);
            self.pointer.truncate(len);
            result?;
        }
        Ok(())
    }

    fn operation(&mut self, op: &mut Value) -> Result<(), WalkError> {
        self.each_item(op, "parameters", Self::parameter)?;
        self.at(op, "requestBody", Self::request_body)?;
        self.each_entry(op, "responses", Self::response)?;
        self.each_entry(op, "callbacks", Self::callback)
    }

    /// A parameter or a header: `schema`, or `content/*/schema`.
    fn parameter(&mut self, param: &mut Value) -> Result<(), WalkError> {
        if is_reference(param) {
            return Ok(());
        }
        // serde reads a number as the index of a variant: `in: 0` would be a
        // query parameter.
        if param
            .get("in")
            .is_some_and(|location| !location.is_string())
        {
            return Err((
                format!("{}/in", self.pointer),
                "`in` must be a string: `query`, `header`, `path` or `cookie`".into(),
            ));
        }
        self.at(param, "schema", Self::schema)?;
        self.each_entry(param, "content", Self::media_type)
    }

    fn request_body(&mut self, body: &mut Value) -> Result<(), WalkError> {
        if is_reference(body) {
            return Ok(());
        }
        self.each_entry(body, "content", Self::media_type)
    }

    fn response(&mut self, response: &mut Value) -> Result<(), WalkError> {
        if is_reference(response) {
            return Ok(());
        }
        self.each_entry(response, "headers", Self::parameter)?;
        self.each_entry(response, "content", Self::media_type)
    }

    fn media_type(&mut self, media: &mut Value) -> Result<(), WalkError> {
        self.at(media, "schema", Self::schema)?;
        self.each_entry(media, "encoding", |w, encoding| {
            w.each_entry(encoding, "headers", Self::parameter)
        })
    }

    /// A schema: its children first, then the rewrites of the node itself.
    fn schema(&mut self, schema: &mut Value) -> Result<(), WalkError> {
        if schema.is_object() {
            for key in [
                "properties",
                "patternProperties",
                "$defs",
                "dependentSchemas",
            ] {
                self.each_entry(schema, key, Self::schema)?;
            }
            if schema.get("items").is_some_and(Value::is_array) {
                self.each_item(schema, "items", Self::schema)?;
            } else {
                self.at(schema, "items", Self::schema)?;
            }
            for key in [
                "additionalProperties",
                "unevaluatedProperties",
                "unevaluatedItems",
            ] {
                if schema.get(key).is_some_and(Value::is_object) {
                    self.at(schema, key, Self::schema)?;
                }
            }
            for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
                self.each_item(schema, key, Self::schema)?;
            }
            for key in ["not", "if", "then", "else", "contains", "propertyNames"] {
                self.at(schema, key, Self::schema)?;
            }
        }
        if let Some(error) = self.merged_member_error(schema) {
            return Err(error);
        }
        self.rewrite(schema)
            .map_err(|message| (self.pointer.clone(), message))
    }

    /// The one member of a nullable union that is not null is merged into the
    /// union's node, where an error in it would be reported far above the
    /// wrong keyword: a member `openapiv3` cannot read is an error where it stands.
    fn merged_member_error(&self, schema: &Value) -> Option<WalkError> {
        for key in ["anyOf", "oneOf"] {
            let Some(Value::Array(members)) = schema.get(key) else {
                continue;
            };
            let others: Vec<(usize, &Value)> = members
                .iter()
                .enumerate()
                .filter(|(_, member)| !is_null_schema(member))
                .collect();
            let [(index, member)] = others[..] else {
                continue;
            };
            if others.len() == members.len() || !member.is_object() {
                continue;
            }
            let Some((below, message)) = super::typed::schema_error(member) else {
                continue;
            };
            let below = pointer_from_tokens(&below);
            let pointer = format!("{}/{key}/{index}{below}", self.pointer);
            return Some((pointer, format!("not a valid schema: {message}")));
        }
        None
    }

    fn rewrite(&mut self, schema: &mut Value) -> Result<(), String> {
        let stats = &mut *self.stats;
        stats.boolean_schemas += usize::from(boolean_schema(schema));
        let (dropped, renamed) = drop_keywords(schema);
        stats.dropped_keywords += dropped;
        stats.renamed_keywords += renamed;
        stats.consts += usize::from(const_to_enum(schema));
        stats.examples_arrays += usize::from(examples_array(schema));
        stats.exclusive_bounds += exclusive_bounds(schema);
        stats.type_arrays += usize::from(type_array(schema)?);
        stats.null_types += usize::from(null_type(schema));
        stats.nullable_unions += usize::from(nullable_union(schema));
        stats.ref_siblings += usize::from(ref_siblings(schema));
        Ok(())
    }
}

/// A Reference Object (`$ref`, maybe with `summary`/`description`) outside schemas.
fn is_reference(value: &Value) -> bool {
    value.get("$ref").is_some_and(Value::is_string)
}

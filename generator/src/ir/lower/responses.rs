//! Responses: the success type and the error bodies and their shape.

use std::collections::BTreeSet;

use openapiv3::{ReferenceOr, Response, StatusCode};

use super::classify::{classify, Class};
use super::Lowerer;
use crate::error::Result;
use crate::ir::types::TypeRef;
use crate::ir::{ErrorResponse, ErrorShape, Success};
use crate::merge::MergedOperation;
use crate::naming;
use crate::text::escape_token;

impl<'m> Lowerer<'m> {
    pub(super) fn responses(
        &mut self,
        op: &MergedOperation,
        hint_base: &str,
        pointer: &str,
    ) -> Result<(Success, Vec<ErrorResponse>, String)> {
        let doc = op.doc;
        let mut success = None;
        let mut success_pointer = pointer.to_string();
        let mut errors = Vec::new();
        for (status, response) in &op.operation.responses.responses {
            let StatusCode::Code(code) = status else {
                continue;
            };
            let response_pointer = format!("{pointer}/responses/{code}");
            let response = self.resolve_response(doc, response, &response_pointer)?;
            if (200..300).contains(code) {
                if success.is_none() {
                    let found = self.success(doc, &response, hint_base, &response_pointer)?;
                    success_pointer = deepest_success_place(&response, &response_pointer, &found);
                    success = Some(found);
                }
            } else if *code >= 400 {
                self.error_body_types(
                    doc,
                    &response,
                    &format!("{hint_base}Error{code}"),
                    &response_pointer,
                )?;
                let shape = self.error_shape(doc, &response);
                let mut headers: Vec<String> = response.headers.keys().cloned().collect();
                headers.sort();
                errors.push(ErrorResponse {
                    status: *code,
                    shape,
                    description: response.description.clone(),
                    headers,
                });
            }
        }
        errors.sort_by_key(|e| e.status);
        Ok((success.unwrap_or(Success::Empty), errors, success_pointer))
    }

    fn resolve_response(
        &self,
        doc: usize,
        response: &ReferenceOr<Response>,
        pointer: &str,
    ) -> Result<Response> {
        self.resolve_component(doc, response, "responses", |c| &c.responses, pointer)
    }

    pub(super) fn success(
        &mut self,
        doc: usize,
        response: &Response,
        hint_base: &str,
        pointer: &str,
    ) -> Result<Success> {
        let Some((media_type, media)) = response.content.iter().next() else {
            return Ok(Success::Empty);
        };
        let is_json = media_type.contains("json");
        if !is_json {
            return Ok(if media_type.starts_with("text/") {
                Success::Text
            } else {
                Success::Bytes
            });
        }
        let schema_pointer = format!("{pointer}/content/{}/schema", escape_token(media_type));
        let Some(schema) = &media.schema else {
            return Ok(Success::Json(TypeRef::Json));
        };
        if let ReferenceOr::Item(schema) = schema {
            if let Class::Object { properties, .. } = classify(schema) {
                let keys: BTreeSet<&str> = properties.keys().map(String::as_str).collect();
                if let Some(data) = properties.get("data") {
                    let data_pointer = format!("{schema_pointer}/properties/data");
                    let data_hint = format!("{hint_base}Data");
                    if keys == BTreeSet::from(["data"]) {
                        return Ok(Success::Envelope(self.use_boxed(
                            doc,
                            data,
                            &data_hint,
                            &data_pointer,
                        )?));
                    }
                    if keys == BTreeSet::from(["data", "has_more", "next_token"]) {
                        if let TypeRef::Array(item) =
                            self.use_boxed(doc, data, &data_hint, &data_pointer)?
                        {
                            for cursor in ["has_more", "next_token"] {
                                let cursor_pointer =
                                    format!("{schema_pointer}/properties/{cursor}");
                                self.use_boxed(
                                    doc,
                                    &properties[cursor],
                                    &data_hint,
                                    &cursor_pointer,
                                )?;
                            }
                            return Ok(Success::Page(*item));
                        }
                    }
                }
            }
        }
        let ty = self.use_schema_ref(
            doc,
            schema,
            &format!("{hint_base}Response"),
            &schema_pointer,
        )?;
        Ok(Success::Json(ty))
    }

    /// Lowers what an error body contains (the envelope's members, or the referenced
    /// schema), so that every place in the spec has a known Rust type.
    fn error_body_types(
        &mut self,
        doc: usize,
        response: &Response,
        hint: &str,
        pointer: &str,
    ) -> Result<()> {
        for (media_type, media) in &response.content {
            let schema_pointer = format!("{pointer}/content/{}/schema", escape_token(media_type));
            match &media.schema {
                Some(ReferenceOr::Item(schema)) => {
                    if let Class::Object { properties, .. } = classify(schema) {
                        for (name, property) in properties {
                            let property_pointer =
                                format!("{schema_pointer}/properties/{}", escape_token(name));
                            self.use_boxed(
                                doc,
                                property,
                                &format!("{hint}{}", naming::type_ident(name)),
                                &property_pointer,
                            )?;
                        }
                    }
                }
                Some(schema) => {
                    self.use_schema_ref(doc, schema, hint, &schema_pointer)?;
                }
                None => {}
            }
        }
        Ok(())
    }

    fn error_shape(&self, doc: usize, response: &Response) -> ErrorShape {
        let schema = response
            .content
            .values()
            .next()
            .and_then(|m| m.schema.clone());
        let schema = match schema {
            Some(ReferenceOr::Item(schema)) => schema,
            Some(ReferenceOr::Reference { reference }) => {
                match self.resolve_schema(doc, &reference, "") {
                    Ok(schema) => schema,
                    Err(_) => return ErrorShape::Legacy,
                }
            }
            None => return ErrorShape::Legacy,
        };
        match classify(&schema) {
            Class::Object { properties, .. } => {
                if properties.contains_key("error") {
                    if properties.contains_key("data") {
                        ErrorShape::LegacyEnvelope
                    } else {
                        ErrorShape::Standard
                    }
                } else if properties.contains_key("code") && properties.contains_key("message") {
                    ErrorShape::LegacyFlat
                } else {
                    ErrorShape::Legacy
                }
            }
            _ => ErrorShape::Legacy,
        }
    }
}

/// The deepest place of the spec that the success type comes from: the
/// envelope's `data`, else the schema, else the media type, else the response.
fn deepest_success_place(response: &Response, pointer: &str, success: &Success) -> String {
    let Some((media_type, media)) = response.content.iter().next() else {
        return pointer.to_string();
    };
    let media_pointer = format!("{pointer}/content/{}", escape_token(media_type));
    if media.schema.is_none() {
        return media_pointer;
    }
    match success {
        Success::Envelope(_) | Success::Page(_) => {
            format!("{media_pointer}/schema/properties/data")
        }
        _ => format!("{media_pointer}/schema"),
    }
}

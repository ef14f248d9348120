//! Request bodies: JSON and multipart.

use openapiv3::{MediaType, ReferenceOr};

use super::classify::{classify, docs_of, Class};
use super::Lowerer;
use crate::error::{Error, Result};
use crate::ir::types::TypeRef;
use crate::ir::{Docs, MultipartField, RequestBody};
use crate::naming::{self, Namespace};
use crate::text::escape_token;

impl<'m> Lowerer<'m> {
    pub(super) fn request_body(
        &mut self,
        doc: usize,
        body: &ReferenceOr<openapiv3::RequestBody>,
        hint_base: &str,
        pointer: &str,
    ) -> Result<RequestBody> {
        let body =
            self.resolve_component(doc, body, "requestBodies", |c| &c.request_bodies, pointer)?;
        let hint = format!("{hint_base}Request");
        if let Some(media) = body.content.get("application/json") {
            let media_pointer = format!("{pointer}/content/application~1json/schema");
            let ty = match &media.schema {
                Some(schema) => self.use_schema_ref(doc, schema, &hint, &media_pointer)?,
                None => TypeRef::Json,
            };
            return Ok(RequestBody::Json {
                ty,
                required: body.required,
            });
        }
        if let Some(media) = body.content.get("multipart/form-data") {
            let media_pointer = format!("{pointer}/content/multipart~1form-data/schema");
            return self.multipart(doc, media, &hint, &media_pointer);
        }
        Ok(RequestBody::Raw {
            content_type: body.content.keys().next().cloned(),
        })
    }

    fn multipart(
        &mut self,
        doc: usize,
        media: &MediaType,
        hint: &str,
        pointer: &str,
    ) -> Result<RequestBody> {
        let schema = match &media.schema {
            Some(ReferenceOr::Item(schema)) => schema.clone(),
            Some(ReferenceOr::Reference { reference }) => {
                self.resolve_schema(doc, reference, pointer)?
            }
            None => return Ok(RequestBody::Multipart { fields: Vec::new() }),
        };
        let Class::Object {
            properties,
            required,
            ..
        } = classify(&schema)
        else {
            return Err(Error::spec(
                self.location(doc, pointer),
                "unsupported construct: a multipart body that is not an object",
            ));
        };
        let mut names = Namespace::with_taken(["client".to_string()]);
        let mut fields = Vec::new();
        for (wire, property) in properties {
            let field_pointer = format!("{pointer}/properties/{}", escape_token(wire));
            let (is_file, docs) = match property {
                ReferenceOr::Item(s) => (
                    matches!(classify(s), Class::Str { binary: true, .. }),
                    docs_of(&s.schema_data),
                ),
                ReferenceOr::Reference { .. } => (false, Docs::default()),
            };
            let ty = if is_file {
                None
            } else {
                Some(self.use_boxed(
                    doc,
                    property,
                    &format!("{hint}{}", naming::type_ident(wire)),
                    &field_pointer,
                )?)
            };
            fields.push(MultipartField {
                rust: names.claim(&naming::snake_ident(wire)),
                wire: wire.clone(),
                required: required.contains(wire),
                ty,
                docs,
            });
        }
        Ok(RequestBody::Multipart { fields })
    }
}

//! Operation parameters: path, query and header, checked against the path template.

use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr};

use super::classify::docs_of;
use super::Lowerer;
use crate::error::{Error, Result};
use crate::ir::types::TypeRef;
use crate::ir::{Docs, ParamLocation, Parameter as IrParameter};
use crate::merge::MergedOperation;
use crate::naming::{self, Namespace};

impl<'m> Lowerer<'m> {
    pub(super) fn parameters(
        &mut self,
        op: &MergedOperation,
        hint_base: &str,
        pointer: &str,
    ) -> Result<Vec<IrParameter>> {
        let doc = op.doc;
        let mut declared: Vec<(String, Parameter)> = Vec::new();
        let path_item_pointer = pointer
            .rsplit_once('/')
            .map(|(p, _)| p.to_string())
            .unwrap_or_default();
        let sources = op
            .path_item_params
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("{path_item_pointer}/parameters/{i}"), p))
            .chain(
                op.operation
                    .parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (format!("{pointer}/parameters/{i}"), p)),
            );
        for (param_pointer, param) in sources {
            let param = self.resolve_parameter(doc, param, &param_pointer)?;
            let key = (param.parameter_data_ref().name.clone(), location_of(&param));
            declared.retain(|(_, existing)| {
                (
                    existing.parameter_data_ref().name.clone(),
                    location_of(existing),
                ) != key
            });
            declared.push((param_pointer, param));
        }
        let mut names = Namespace::new();
        let mut params = Vec::new();
        for (param_pointer, param) in &declared {
            let data = param.parameter_data_ref();
            let location = match param {
                Parameter::Path { .. } => ParamLocation::Path,
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => {
                    return Err(Error::spec(
                        self.location(doc, param_pointer),
                        "unsupported construct: cookie parameters",
                    ))
                }
            };
            let hint = format!("{hint_base}{}", naming::type_ident(&data.name));
            let (ty, mut docs) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let docs = match schema {
                        ReferenceOr::Item(s) => docs_of(&s.schema_data),
                        ReferenceOr::Reference { .. } => Docs::default(),
                    };
                    (
                        self.use_schema_ref(
                            doc,
                            schema,
                            &hint,
                            &format!("{param_pointer}/schema"),
                        )?,
                        docs,
                    )
                }
                ParameterSchemaOrContent::Content(_) => (TypeRef::Json, Docs::default()),
            };
            docs.description = data.description.clone().or(docs.description);
            if let Some(example) = &data.example {
                docs.examples = vec![example.clone()];
            }
            let required = data.required || location == ParamLocation::Path;
            params.push(IrParameter {
                rust: names.claim(&naming::snake_ident(&data.name)),
                wire: data.name.clone(),
                location,
                ty,
                required,
                docs,
            });
        }
        // Template variables the document forgot to declare.
        for variable in path_variables(&op.path) {
            if !params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.wire == variable)
            {
                self.notes.push(format!(
                    "{}: path parameter `{variable}` is not declared; added as a required string",
                    self.origin(doc, pointer)
                ));
                params.push(IrParameter {
                    rust: names.claim(&naming::snake_ident(&variable)),
                    wire: variable,
                    location: ParamLocation::Path,
                    ty: TypeRef::String,
                    required: true,
                    docs: Docs::default(),
                });
            }
        }
        for param in &params {
            if param.location == ParamLocation::Path
                && !path_variables(&op.path).contains(&param.wire)
            {
                return Err(Error::spec(
                    self.location(doc, pointer),
                    format!(
                        "path parameter `{}` does not appear in the path `{}`",
                        param.wire, op.path
                    ),
                ));
            }
        }
        Ok(params)
    }

    fn resolve_parameter(
        &self,
        doc: usize,
        param: &ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Result<Parameter> {
        self.resolve_component(doc, param, "parameters", |c| &c.parameters, pointer)
    }
}

fn location_of(param: &Parameter) -> u8 {
    match param {
        Parameter::Path { .. } => 0,
        Parameter::Query { .. } => 1,
        Parameter::Header { .. } => 2,
        Parameter::Cookie { .. } => 3,
    }
}

pub fn path_variables(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        out.push(rest[start + 1..start + end].to_string());
        rest = &rest[start + end + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn path_variables_in_order() {
        assert_eq!(path_variables("/v3/a/{x}/b/{y_z}"), vec!["x", "y_z"]);
        assert!(path_variables("/v1/video.delete").is_empty());
    }
}

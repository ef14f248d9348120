//! `client.yaml` data that names operations by operationId, applied to and
//! checked against the lowered operations, so that a stale entry fails the
//! build instead of vanishing: retired legacy operations (`#[deprecated]`,
//! since when, and the note naming their v3 replacement) and polling entries.

use super::{Deprecation, Group, Operation};
use crate::config::ClientConfig;
use crate::error::{Error, Result};

/// Fails on a polling entry that names no operation (its `*_until_done`
/// helper would silently disappear).
pub fn check_polling(operations: &[Operation], config: &ClientConfig) -> Result<()> {
    for (index, entry) in config.polling.iter().enumerate() {
        if !operations
            .iter()
            .any(|op| op.operation_id == entry.operation)
        {
            return Err(unknown(
                config,
                format!("/polling/{index}/operation"),
                &entry.operation,
            ));
        }
    }
    Ok(())
}

/// Marks every retired legacy operation of `operations` deprecated.
pub fn apply(operations: &mut [Operation], groups: &[Group], config: &ClientConfig) -> Result<()> {
    let Some(retired) = &config.legacy.retired else {
        return Ok(());
    };
    let find = |operation_id: &str| operations.iter().find(|op| op.operation_id == operation_id);
    for (index, kept) in retired.still_supported.iter().enumerate() {
        let pointer = format!("/legacy/retired/still_supported/{index}");
        match find(kept) {
            Some(op) if op.legacy => {}
            Some(_) => return Err(not_legacy(config, pointer, kept)),
            None => return Err(unknown(config, pointer, kept)),
        }
    }
    let mut replacements = Vec::new();
    for (index, replacement) in retired.replacements.iter().enumerate() {
        let pointer = |key: &str| format!("/legacy/retired/replacements/{index}/{key}");
        match find(&replacement.legacy) {
            Some(op) if op.legacy => {}
            Some(_) => return Err(not_legacy(config, pointer("legacy"), &replacement.legacy)),
            None => return Err(unknown(config, pointer("legacy"), &replacement.legacy)),
        }
        let Some(v3) = find(&replacement.v3) else {
            return Err(unknown(config, pointer("v3"), &replacement.v3));
        };
        if v3.legacy {
            return Err(Error::spec(
                config.location(&pointer("v3")),
                format!(
                    "`{}` is itself a legacy operation: a replacement must be a v3 operation",
                    replacement.v3
                ),
            ));
        }
        let group = &groups[v3.group].module;
        replacements.push((
            replacement.legacy.clone(),
            format!(
                "use `client.{group}().{}()` ({} {})",
                v3.name,
                v3.method.as_str(),
                v3.path
            ),
        ));
    }
    for op in operations.iter_mut().filter(|op| op.legacy) {
        if retired.still_supported.contains(&op.operation_id) {
            continue;
        }
        let instead = replacements
            .iter()
            .find(|(legacy, _)| *legacy == op.operation_id)
            .map(|(_, instead)| instead.as_str())
            .unwrap_or("the v3 API has no equivalent operation");
        op.deprecation = Some(Deprecation {
            since: retired.deprecated_in.clone(),
            note: format!(
                "HeyGen retired the v1/v2 API on {}; {instead}",
                retired.since
            ),
        });
    }
    Ok(())
}

fn unknown(config: &ClientConfig, pointer: String, operation_id: &str) -> Error {
    Error::spec(
        config.location(&pointer),
        format!("no operation has the operationId `{operation_id}`: update or remove the entry"),
    )
}

fn not_legacy(config: &ClientConfig, pointer: String, operation_id: &str) -> Error {
    Error::spec(
        config.location(&pointer),
        format!(
            "`{operation_id}` is not a legacy operation (its path has none of the legacy prefixes)"
        ),
    )
}

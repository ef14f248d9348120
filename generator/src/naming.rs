//! Rust identifiers from spec names: keywords, acronyms, values that are not
//! identifiers, and deterministic collision handling. Shared by `merge`, `ir` and
//! `emit`; it knows none of them.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be plain identifiers (strict and reserved keywords of edition 2021).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot even be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// A field, parameter or method name: snake_case; keywords get a raw identifier
/// (`r#type`), which the emitter prints with `r#`. Names that are not identifiers
/// are spelled out word by word.
pub fn snake_ident(wire: &str) -> String {
    let words = split_words(wire);
    let mut name = words.join("_").to_snake_case();
    if name.is_empty() {
        name = "value".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("n{name}");
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// The longest module (and so file and feature) name made from a tag; longer
/// ones are cut and end in a hash of the whole name.
pub const MAX_MODULE_LEN: usize = 48;

/// A module name for a tag: like [`snake_ident`], but never a keyword (`mod` ->
/// `mod_`, since a module cannot be a raw identifier in a file name), never
/// `mod` (whose file would be `mod.rs`), and at most [`MAX_MODULE_LEN`]
/// characters: a longer name keeps its start and ends in `_` and 8 hex digits
/// of a stable hash of the whole name, so distinct long tags stay distinct.
pub fn module_ident(tag: &str) -> String {
    let mut name = snake_ident(tag);
    if is_keyword(&name) {
        name.push('_');
    }
    if name.len() > MAX_MODULE_LEN {
        let hash = format!("{:08x}", stable_hash(name.as_bytes()) as u32);
        let keep = MAX_MODULE_LEN - hash.len() - 1;
        name.truncate(keep);
        let trimmed = name.trim_end_matches('_').len();
        name.truncate(trimmed);
        name.push('_');
        name.push_str(&hash);
    }
    name
}

/// FNV-1a (64 bits): the same on every platform and release, unlike `std`'s hasher.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Type names the generated code uses unqualified (`Self` and the prelude's): a
/// type of the API with one of these names would shadow it.
const RESERVED_TYPES: &[&str] = &[
    "Self",
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// A type name: kept as written when it already is an UpperCamelCase identifier
/// (so `V1APIError` keeps its acronym), otherwise converted with heck. A name
/// that names a prelude or std type gets `Value` after it (`String` -> `StringValue`).
pub fn type_ident(name: &str) -> String {
    let is_ident = name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
        && !RESERVED_TYPES.contains(&name);
    if is_ident {
        return name.to_string();
    }
    let mut converted = split_words(name).join(" ").to_upper_camel_case();
    if converted.is_empty() {
        converted = "Value".into();
    }
    if converted.starts_with(|c: char| c.is_ascii_digit()) {
        converted = format!("T{converted}");
    }
    if RESERVED_TYPES.contains(&converted.as_str()) {
        converted.push_str("Value");
    }
    converted
}

/// An enum variant for a wire value. Punctuation that carries meaning is spelled
/// out (`16:9` -> `16By9`), other punctuation separates words; a value that
/// starts with a digit is prefixed with the last word of the enum's name
/// (`VideoResolution` + `4k` -> `Resolution4k`).
pub fn variant_ident(value: &str, enum_name: &str) -> String {
    let spelled = value.replace(':', " by ").replace('+', " plus ");
    let mut name = split_words(&spelled).join(" ").to_upper_camel_case();
    if name.is_empty() {
        name = "Empty".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("{}{name}", last_word(enum_name));
    }
    if name == "Self" || name == "Unknown" {
        name.push_str("Value");
    }
    name
}

fn last_word(camel: &str) -> &str {
    let start = camel
        .char_indices()
        .filter(|(_, c)| c.is_ascii_uppercase())
        .map(|(i, _)| i)
        .next_back()
        .unwrap_or(0);
    let word = &camel[start..];
    if word.is_empty() {
        "V"
    } else {
        word
    }
}

/// Splits on anything that is not alphanumeric.
fn split_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_string)
        .collect()
}

/// Hands out unique names in one namespace; a clash gets a numeric suffix and is recorded.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: BTreeSet<String>,
    pub collisions: Vec<(String, String)>,
}

impl Namespace {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with_taken<I: IntoIterator<Item = String>>(names: I) -> Self {
        Namespace {
            taken: names.into_iter().collect(),
            collisions: Vec::new(),
        }
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Takes `wanted`, or `wanted2`, `wanted3`, ... (`wanted_2` for snake_case names).
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.taken.insert(wanted.to_string()) {
            return wanted.to_string();
        }
        let separator = if wanted.ends_with('_') {
            ""
        } else if wanted.contains('_') || wanted.starts_with(|c: char| c.is_ascii_lowercase()) {
            "_"
        } else {
            ""
        };
        let mut n = 2;
        loop {
            let candidate = format!("{wanted}{separator}{n}");
            if self.taken.insert(candidate.clone()) {
                self.collisions
                    .push((wanted.to_string(), candidate.clone()));
                return candidate;
            }
            n += 1;
        }
    }
}

/// Names an earlier regen handed out, by spec location (read from the
/// `api-surface.json` it wrote): a type or method found at a locked place keeps
/// its name, and no other place may take it, so a newcomer that collides is the
/// one renamed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameLock {
    /// Type name by origin (`document-id#/pointer`).
    pub types: BTreeMap<String, String>,
    /// Method names of operations.
    pub methods: Vec<LockedMethod>,
}

/// Where an operation was and what its method was called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockedMethod {
    pub origin: String,
    pub operation_id: String,
    /// The group's module name, and whether it is a legacy group.
    pub group: String,
    pub legacy: bool,
    pub method: String,
}

impl NameLock {
    /// The locked method of the operation of `group` at `origin`.
    pub fn method_at(&self, origin: &str, group: &str, legacy: bool) -> Option<&str> {
        self.methods
            .iter()
            .find(|m| m.origin == origin && m.group == group && m.legacy == legacy)
            .map(|m| m.method.as_str())
    }

    /// The locked method of the one operation of `group` with `operation_id`
    /// (for an operation that moved to another path).
    pub fn method_by_id(&self, operation_id: &str, group: &str, legacy: bool) -> Option<&str> {
        let mut found = self
            .methods
            .iter()
            .filter(|m| m.operation_id == operation_id && m.group == group && m.legacy == legacy);
        match (found.next(), found.next()) {
            (Some(only), None) => Some(only.method.as_str()),
            _ => None,
        }
    }
}

/// Drops a trailing API version suffix from an operationId (`deleteVideoTranslationV3`).
pub fn strip_version_suffix(operation_id: &str) -> &str {
    let trimmed = operation_id.trim_end_matches(|c: char| c.is_ascii_digit());
    if trimmed.len() < operation_id.len() {
        if let Some(stripped) = trimmed
            .strip_suffix('V')
            .or_else(|| trimmed.strip_suffix('v'))
        {
            if !stripped.is_empty() {
                return stripped.trim_end_matches(['_', '-']);
            }
        }
    }
    operation_id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_acronyms_in_type_names() {
        assert_eq!(type_ident("V1APIError"), "V1APIError");
        assert_eq!(
            type_ident("MCPVideoTranslateCreateRequest"),
            "MCPVideoTranslateCreateRequest"
        );
        assert_eq!(type_ident("video_status"), "VideoStatus");
        assert_eq!(type_ident("404-thing"), "T404Thing");
    }

    #[test]
    fn snake_idents_handle_keywords_and_odd_names() {
        assert_eq!(snake_ident("type"), "type");
        assert!(is_keyword(&snake_ident("type")));
        assert_eq!(snake_ident("Deleted"), "deleted");
        assert_eq!(snake_ident("sdpMLineIndex"), "sdp_m_line_index");
        assert_eq!(snake_ident("Idempotency-Key"), "idempotency_key");
        assert_eq!(snake_ident("self"), "self_");
        assert_eq!(snake_ident("1st"), "n1st");
    }

    #[test]
    fn enum_values_that_are_not_identifiers() {
        assert_eq!(variant_ident("16:9", "VideoAspectRatio"), "Ratio16By9");
        assert_eq!(variant_ident("9:16", "VideoAspectRatio"), "Ratio9By16");
        assert_eq!(variant_ident("1:69", "VideoAspectRatio"), "Ratio1By69");
        assert_eq!(variant_ident("4k", "VideoResolution"), "Resolution4k");
        assert_eq!(variant_ident("1080p", "VideoResolution"), "Resolution1080p");
        assert_eq!(
            variant_ident("avatar_video.success", "WebhookEventType"),
            "AvatarVideoSuccess"
        );
        assert_eq!(variant_ident("unknown", "X"), "UnknownValue");
    }

    #[test]
    fn collisions_get_deterministic_suffixes() {
        let mut ns = Namespace::new();
        assert_eq!(ns.claim("AvatarVideoSuccess"), "AvatarVideoSuccess");
        assert_eq!(ns.claim("AvatarVideoSuccess"), "AvatarVideoSuccess2");
        assert_eq!(ns.claim("list_videos"), "list_videos");
        assert_eq!(ns.claim("list_videos"), "list_videos_2");
        assert_eq!(ns.collisions.len(), 2);
    }

    #[test]
    fn module_names_are_never_keywords_nor_long() {
        assert_eq!(module_ident("mod"), "mod_");
        assert_eq!(module_ident("Self"), "self_");
        assert_eq!(module_ident("loop"), "loop_");
        assert_eq!(module_ident("Video Translate"), "video_translate");
        let long = format!("Very long tag {}", "x".repeat(286));
        let name = module_ident(&long);
        assert_eq!(name.len(), MAX_MODULE_LEN);
        assert!(name.starts_with("very_long_tag_xxx"), "{name}");
        assert_eq!(name, module_ident(&long), "stable");
        let other = module_ident(&format!("{long}y"));
        assert_ne!(name, other, "distinct long tags stay distinct");
        assert_eq!(type_ident("Self"), "SelfValue");
        assert_eq!(type_ident("self"), "SelfValue");
        assert_eq!(type_ident("String"), "StringValue");
        assert_eq!(type_ident("option"), "OptionValue");
    }

    #[test]
    fn version_suffixes() {
        assert_eq!(
            strip_version_suffix("deleteVideoTranslationV3"),
            "deleteVideoTranslation"
        );
        assert_eq!(strip_version_suffix("listVideos"), "listVideos");
        assert_eq!(strip_version_suffix("getV3"), "get");
        assert_eq!(strip_version_suffix("V3"), "V3");
    }
}

//! `multipart/form-data` bodies, typed from their schema: each property of the body's struct is
//! one part (or one part per item of an array), described by a [`Part`] the generated code
//! passes along. Files are [`File`]s: their bytes with the file name and media type they were
//! sent with.
//!
//! Both directions go through the struct's JSON form, as parameters do: the client serialises
//! the struct and writes each property as its parts; the server collects the parts by name
//! into the parameter reader's `Text` values and deserialises the struct from them, so a text
//! part becomes a number or a boolean only where the field asks for one, and a single part is a
//! one-element array.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::params::{self, ParamError, Text};

/// A file of a multipart body (`type: string, format: binary`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct File {
    /// The file name the part carries (`filename` of its `Content-Disposition`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The part's media type, if it states one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The content.
    #[serde(default)]
    pub bytes: Vec<u8>,
}

impl File {
    /// A file of these bytes, without a name or a media type.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        File { name: None, content_type: None, bytes: bytes.into() }
    }

    /// The same file, named.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The same file, with this media type.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

/// What a property's parts hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartKind {
    /// Text: a scalar's value, or one part per item of an array of scalars.
    Text,
    /// A JSON document (an object, or an array of objects): OpenAPI's default for those.
    Json,
    /// A file, or one part per file of an array.
    File,
}

/// How one property of a multipart body travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Part {
    /// The property's (and the part's) name.
    pub name: &'static str,
    /// What its parts hold.
    pub kind: PartKind,
    /// Whether the property is an array (several parts of one name).
    pub array: bool,
    /// `encoding.<name>.contentType`: the media type its parts are sent with.
    pub content_type: Option<&'static str>,
}

impl Part {
    /// A text property.
    pub const fn text(name: &'static str) -> Self {
        Part { name, kind: PartKind::Text, array: false, content_type: None }
    }

    /// A JSON property.
    pub const fn json(name: &'static str) -> Self {
        Part { name, kind: PartKind::Json, array: false, content_type: None }
    }

    /// A file property.
    pub const fn file(name: &'static str) -> Self {
        Part { name, kind: PartKind::File, array: false, content_type: None }
    }

    /// An array: one part per item.
    pub const fn array(mut self) -> Self {
        self.array = true;
        self
    }

    /// The media type its parts are sent with.
    pub const fn content_type(mut self, content_type: &'static str) -> Self {
        self.content_type = Some(content_type);
        self
    }
}

/// One part as written or read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Piece {
    /// The part's name.
    pub name: String,
    /// Its file name, if any.
    pub file_name: Option<String>,
    /// Its media type, if any.
    pub content_type: Option<String>,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// The parts of a body: its JSON form, each property by its description (undescribed ones as
/// text, or JSON where they are objects). `null` and absent properties send nothing.
pub fn encode(body: Value, described: &[Part]) -> Result<Vec<Piece>, String> {
    let Value::Object(mut fields) = body else { return Err("a multipart body must be an object".to_owned()) };
    // Described properties in the schema's order, then the others.
    let mut ordered: Vec<(String, Value)> =
        described.iter().filter_map(|p| fields.remove(p.name).map(|v| (p.name.to_owned(), v))).collect();
    ordered.extend(fields);
    let mut out = Vec::new();
    for (name, value) in ordered {
        let part = described.iter().find(|p| p.name == name);
        let kind = part.map(|p| p.kind).unwrap_or(if value.is_object() { PartKind::Json } else { PartKind::Text });
        let content_type = part.and_then(|p| p.content_type).map(str::to_owned);
        let items = match (kind, value) {
            (_, Value::Null) => continue,
            // An array of files or scalars is one part per item; JSON arrays are one document.
            (PartKind::File | PartKind::Text, Value::Array(items)) => items,
            (_, value) => vec![value],
        };
        for item in items {
            let piece = match kind {
                PartKind::File => {
                    let file: File = serde_json::from_value(item).map_err(|e| format!("{name}: not a file: {e}"))?;
                    Piece {
                        name: name.clone(),
                        file_name: file.name,
                        content_type: file.content_type.or_else(|| content_type.clone()),
                        bytes: file.bytes,
                    }
                }
                PartKind::Json => Piece {
                    name: name.clone(),
                    file_name: None,
                    content_type: content_type.clone().or_else(|| Some("application/json".to_owned())),
                    bytes: item.to_string().into_bytes(),
                },
                PartKind::Text => Piece {
                    name: name.clone(),
                    file_name: None,
                    content_type: content_type.clone(),
                    bytes: params::leaf_text(item).into_bytes(),
                },
            };
            out.push(piece);
        }
    }
    Ok(out)
}

/// A body read back from its parts, by the description of its properties. Parts the description
/// does not name are handed to the struct as text (it refuses them if it denies unknown fields).
pub fn decode<T: serde::de::DeserializeOwned>(pieces: Vec<Piece>, described: &[Part]) -> Result<T, ParamError> {
    let mut groups: Vec<(String, Vec<Piece>)> = Vec::new();
    for piece in pieces {
        match groups.iter_mut().find(|(name, _)| *name == piece.name) {
            Some((_, group)) => group.push(piece),
            None => groups.push((piece.name.clone(), vec![piece])),
        }
    }
    let mut fields = Vec::with_capacity(groups.len());
    for (name, group) in groups {
        let part = described.iter().find(|p| p.name == name);
        let kind = part.map(|p| p.kind).unwrap_or(PartKind::Text);
        let array = part.is_some_and(|p| p.array);
        let text = match kind {
            PartKind::File => {
                let files: Vec<Value> = group
                    .into_iter()
                    .map(|p| {
                        let file = File { name: p.file_name, content_type: p.content_type, bytes: p.bytes };
                        serde_json::to_value(file).unwrap_or(Value::Null)
                    })
                    .collect();
                Text::Json(one_or_many(files, array))
            }
            PartKind::Json => {
                let mut values = Vec::with_capacity(group.len());
                for piece in group {
                    let value = serde_json::from_slice(&piece.bytes)
                        .map_err(|e| ParamError(format!("{name}: the part is not JSON: {e}")))?;
                    values.push(value);
                }
                Text::Json(one_or_many(values, array))
            }
            PartKind::Text => {
                let mut texts = Vec::with_capacity(group.len());
                for piece in group {
                    let text = String::from_utf8(piece.bytes)
                        .map_err(|_| ParamError(format!("{name}: the part is not UTF-8 text")))?;
                    texts.push(text);
                }
                if texts.len() == 1 && !array { Text::One(texts.remove(0)) } else { Text::Many(texts) }
            }
        };
        fields.push((name, text));
    }
    params::from_fields(fields)
}

/// Several values as an array; one as itself unless the property is an array.
fn one_or_many(mut values: Vec<Value>, array: bool) -> Value {
    if values.len() == 1 && !array { values.remove(0) } else { Value::Array(values) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Upload {
        title: String,
        count: Option<i64>,
        tags: Option<Vec<String>>,
        file: File,
        extra: Option<Vec<File>>,
        meta: Option<std::collections::BTreeMap<String, i64>>,
    }

    const PARTS: &[Part] = &[
        Part::text("title"),
        Part::text("count"),
        Part::text("tags").array(),
        Part::file("file").content_type("image/png"),
        Part::file("extra").array(),
        Part::json("meta"),
    ];

    #[test]
    fn a_body_travels_as_parts_and_back() {
        let upload = Upload {
            title: "Zoë ✓".to_owned(),
            count: Some(3),
            tags: Some(vec!["a,b".to_owned(), "c".to_owned()]),
            file: File::new(vec![0, 159, 255]).named("a.png"),
            extra: Some(vec![File::new(b"x".to_vec()).named("x.txt").with_content_type("text/plain")]),
            meta: Some([("k".to_owned(), 1)].into()),
        };
        let pieces = encode(serde_json::to_value(&upload).unwrap(), PARTS).unwrap();
        let names: Vec<&str> = pieces.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["title", "count", "tags", "tags", "file", "extra", "meta"]);
        // The description's media type where the file states none; JSON parts say so.
        assert_eq!(pieces[4].content_type.as_deref(), Some("image/png"));
        assert_eq!(pieces[6].content_type.as_deref(), Some("application/json"));
        let back: Upload = decode(pieces, PARTS).unwrap();
        let expected =
            Upload { file: File { content_type: Some("image/png".to_owned()), ..upload.file.clone() }, ..upload };
        assert_eq!(back, expected);
    }

    #[test]
    fn a_single_part_of_an_array_is_one_item_and_bad_parts_are_named() {
        let pieces = vec![
            Piece { name: "title".into(), bytes: b"t".to_vec(), ..Piece::default() },
            Piece { name: "tags".into(), bytes: b"only".to_vec(), ..Piece::default() },
            Piece { name: "file".into(), bytes: vec![1], ..Piece::default() },
            Piece { name: "extra".into(), file_name: Some("e".into()), bytes: vec![2], ..Piece::default() },
        ];
        let back: Upload = decode(pieces.clone(), PARTS).unwrap();
        assert_eq!(back.tags, Some(vec!["only".to_owned()]));
        assert_eq!(back.extra.map(|e| e.len()), Some(1));
        let mut bad = pieces.clone();
        bad.push(Piece { name: "count".into(), bytes: b"many".to_vec(), ..Piece::default() });
        let error = decode::<Upload>(bad, PARTS).unwrap_err().to_string();
        assert!(error.contains("count"), "{error}");
        let mut not_text = pieces;
        not_text[0].bytes = vec![0xff];
        let error = decode::<Upload>(not_text, PARTS).unwrap_err().to_string();
        assert!(error.contains("title: the part is not UTF-8"), "{error}");
    }
}

//! The OpenAPI 3.1 document of the server, built from the route table
//! (`api.rs`) and the protocol types' JSON Schemas (schemars, the derive that
//! also makes `schema/protocol.schema.json`): every operation, its
//! parameters, body, answers and errors, and the two ways a device proves who
//! it is. Served at `GET /v1/openapi.json`; `schema/openapi.json` is the same
//! text, kept current by a test.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use axum::Json;
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};
use volant_protocol::{MIN_PROTOCOL_VERSION, PROTOCOL_HEADER, PROTOCOL_VERSION};

use crate::api::{Access, Answer, Operation, error_schema, operations};
use crate::error::status_of;
use crate::extract::CREDENTIAL_COOKIE;

/// The document, pretty-printed as committed.
pub fn openapi_json() -> String {
    serde_json::to_string_pretty(&openapi()).unwrap_or_default() + "\n"
}

/// `GET /v1/openapi.json`.
pub async fn document() -> Json<Value> {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    Json(DOCUMENT.get_or_init(openapi).clone())
}

/// The document.
pub fn openapi() -> Value {
    let mut generator = SchemaSettings::draft2020_12()
        .with(|s| s.definitions_path = "/components/schemas".into())
        .into_generator();
    let error = error_schema(&mut generator).to_value();
    let mut paths: BTreeMap<&str, Map<String, Value>> = BTreeMap::new();
    for operation in operations() {
        let item = operation_item(&operation, &mut generator, &error);
        paths
            .entry(operation.path)
            .or_default()
            .insert(operation.verb.as_str().to_owned(), item);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Volant — serveur de la mairie",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Le protocole des tablettes, des postes du responsable, des guichets et des écrans d'appel. Voir schema/sync-protocol.md.",
            "license": { "name": "EUPL-1.2", "identifier": "EUPL-1.2" },
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": paths,
        "components": {
            "schemas": generator.take_definitions(true),
            "securitySchemes": {
                "appareil": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "L'identifiant reçu à l'enrôlement.",
                },
                "cookie": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": CREDENTIAL_COOKIE,
                    "description": "Le même identifiant, dans le cookie HttpOnly d'un guichet ou d'un écran d'appel.",
                },
            },
        },
    })
}

fn operation_item(
    operation: &Operation,
    generator: &mut schemars::SchemaGenerator,
    error: &Value,
) -> Value {
    let mut parameters = Vec::new();
    if operation.protocol {
        parameters.push(json!({
            "name": PROTOCOL_HEADER,
            "in": "header",
            "required": true,
            "description": "La version du protocole parlée par l'appareil.",
            "schema": {
                "type": "string",
                "enum": (MIN_PROTOCOL_VERSION..=PROTOCOL_VERSION).map(|v| v.to_string()).collect::<Vec<_>>(),
            },
        }));
    }
    for (name, schema) in operation.path_params {
        parameters.push(json!({
            "name": name,
            "in": "path",
            "required": true,
            "schema": schema(generator).to_value(),
        }));
    }
    if let Some(query) = operation.query {
        let query = query(generator).to_value();
        let required: Vec<&str> = query["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for (name, schema) in query["properties"].as_object().into_iter().flatten() {
            parameters.push(json!({
                "name": name,
                "in": "query",
                "required": required.contains(&name.as_str()),
                "schema": present(schema),
            }));
        }
    }
    let mut responses = Map::new();
    responses.insert("200".into(), success(operation, generator));
    let mut by_status: BTreeMap<u16, Vec<String>> = BTreeMap::new();
    for code in operation.error_codes() {
        let name = serde_json::to_value(code)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        by_status
            .entry(status_of(code).as_u16())
            .or_default()
            .push(name);
    }
    for (status, codes) in by_status {
        responses.insert(
            status.to_string(),
            json!({
                "description": codes.join(", "),
                "content": { "application/json": { "schema": error } },
            }),
        );
    }
    let mut item = json!({
        "operationId": operation.id,
        "summary": operation.summary,
        "parameters": parameters,
        "responses": responses,
        "security": security(operation.access),
    });
    if let Some(body) = operation.body {
        item["requestBody"] = json!({
            "required": true,
            "content": { "application/json": { "schema": body(generator).to_value() } },
        });
    }
    item
}

/// A query parameter's schema without its `null` (absent is how a query says none).
fn present(schema: &Value) -> Value {
    let mut schema = schema.clone();
    if let Some(object) = schema.as_object_mut() {
        if object.get("default") == Some(&Value::Null) {
            object.remove("default");
        }
        if let Some(Value::Array(types)) = object.get_mut("type") {
            types.retain(|t| t != "null");
            if types.len() == 1 {
                let only = types[0].clone();
                object.insert("type".into(), only);
            }
        }
        if let Some(Value::Array(choices)) = object.remove("anyOf") {
            let kept: Vec<Value> = choices
                .into_iter()
                .filter(|c| c.get("type") != Some(&Value::from("null")))
                .collect();
            match <[Value; 1]>::try_from(kept) {
                Ok([one]) => return one,
                Err(kept) => {
                    object.insert("anyOf".into(), Value::Array(kept));
                }
            }
        }
    }
    schema
}

fn success(operation: &Operation, generator: &mut schemars::SchemaGenerator) -> Value {
    let (media, schema) = match operation.answer {
        Answer::Json(schema) => ("application/json", schema(generator).to_value()),
        Answer::Csv => ("text/csv", json!({ "type": "string" })),
        Answer::Events => ("text/event-stream", json!({ "type": "string" })),
    };
    json!({ "description": "Réussite.", "content": { media: { "schema": schema } } })
}

/// Who may call: nobody in particular, a bearer credential, or for screens
/// the bearer or the cookie.
fn security(access: Access) -> Value {
    match access {
        Access::Open | Access::Enrolling => json!([]),
        Access::Tablet | Access::Lead | Access::City => json!([{ "appareil": [] }]),
        Access::Counter | Access::Display | Access::Screen => {
            json!([{ "appareil": [] }, { "cookie": [] }])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_openapi_document_is_up_to_date() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema/openapi.json");
        let generated = openapi_json();
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(path, &generated).expect("write document");
        }
        let published = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            published == generated,
            "schema/openapi.json is stale: run UPDATE_SCHEMA=1 cargo test -p volant-server --lib"
        );
    }

    #[test]
    fn every_operation_is_documented_with_its_errors_and_every_reference_resolves() {
        let document = openapi();
        let text = document.to_string();
        for operation in operations() {
            let item = &document["paths"][operation.path][operation.verb.as_str()];
            assert_eq!(item["operationId"], operation.id, "{}", operation.path);
            for code in operation.error_codes() {
                let status = status_of(code).as_u16().to_string();
                assert!(
                    item["responses"][&status].is_object(),
                    "{} {status}",
                    operation.path
                );
            }
        }
        let schemas = document["components"]["schemas"]
            .as_object()
            .expect("schemas");
        for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = reference.split('"').next().unwrap_or_default();
            assert!(schemas.contains_key(name), "unresolved reference {name}");
        }
    }
}

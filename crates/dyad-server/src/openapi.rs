//! The OpenAPI 3.1 description served at `/openapi.json`. Written out here rather than
//! derived: the routes are few, and a test checks that every route is described.

use serde_json::{json, Value};

const FILTERS: &[(&str, &str, &str)] = &[
    (
        "actor",
        "string",
        "Actor on either side: a code prefix (RUS, RUSGOV, IGOUNO) or a name fragment",
    ),
    (
        "source",
        "string",
        "Source actor: code prefix or name fragment",
    ),
    (
        "target",
        "string",
        "Target actor: code prefix or name fragment",
    ),
    (
        "either",
        "boolean",
        "With source and target: both directions",
    ),
    ("country", "string", "ISO 3166 alpha-3 of either actor"),
    (
        "sector",
        "string",
        "Sector of either actor (GOV, MIL, REB, …)",
    ),
    ("cameo", "string", "CAMEO code or prefix (19, 190, 0871)"),
    ("plover", "string", "PLOVER event type"),
    ("quad", "integer", "Quad class 1–4"),
    ("from", "string", "First event date, YYYY-MM-DD"),
    ("to", "string", "Last event date, YYYY-MM-DD"),
    (
        "place",
        "string",
        "Place name fragment or ISO alpha-3 of its country",
    ),
    (
        "text",
        "string",
        "Full-text query over the events' sentences: words (all required; punctuation separates), \"phrases\", prefix*, a OR b, -word / NOT word; case and Latin diacritics ignored; at most 1000 bytes, 32 words (docs/api.md)",
    ),
    (
        "factual",
        "boolean",
        "Leave out negated and hypothetical events",
    ),
];

fn param(name: &str, ty: &str, description: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": description,
           "schema": {"type": ty}})
}

fn filters(extra: &[(&str, &str, &str)]) -> Value {
    Value::Array(
        FILTERS
            .iter()
            .chain(extra)
            .map(|(n, t, d)| param(n, t, d))
            .collect(),
    )
}

fn id_param(what: &str) -> Value {
    json!([{"name": "id", "in": "path", "required": true, "description": format!("{what} id"),
            "schema": {"type": "integer", "minimum": 1}}])
}

fn ok(description: &str) -> Value {
    json!({
        "200": {"description": description, "content": {"application/json": {"schema": {"type": "object"}}}},
        "400": {"$ref": "#/components/responses/Error"},
        "404": {"$ref": "#/components/responses/Error"}
    })
}

/// The whole document.
pub fn openapi() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "dyad",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Political event data coded from news text: CAMEO/PLOVER events, actors, quotes. Errors are JSON: {\"error\": {\"status\", \"message\"}}."
        },
        "paths": {
            "/health": {"get": {"summary": "200 when ready", "responses": ok("ready")}},
            "/openapi.json": {"get": {"summary": "This document", "responses": ok("OpenAPI document")}},
            "/api/code": {"post": {
                "summary": "Code an article on the fly (answers like `dyad code`)",
                "parameters": [param("date", "string", "Publication date for a text/plain body"),
                               param("id", "string", "Article id for a text/plain body")],
                "requestBody": {"required": true, "content": {
                    "application/json": {"schema": {"type": "object", "required": ["text"], "additionalProperties": false,
                        "properties": {"text": {"type": "string"}, "date": {"type": "string", "format": "date"},
                                       "id": {"type": "string"}, "url": {"type": "string"},
                                       "source": {"type": "string"}, "title": {"type": "string"}}}},
                    "text/plain": {"schema": {"type": "string"}}}},
                "responses": ok("The coded article: events, quotes, actors, places, sentences")}},
            "/api/events": {"get": {
                "summary": "Events matching the filters, ordered by date",
                "parameters": filters(&[("limit", "integer", "Page size, 1–1000 (default 50)"),
                                        ("offset", "integer", "Events to skip")]),
                "responses": ok("{total, limit, offset, events}")}},
            "/api/events/{id}": {"get": {"summary": "One event and all its mentions",
                "parameters": id_param("event"), "responses": ok("{event, mentions}")}},
            "/api/series": {"get": {
                "summary": "Event counts and Goldstein sums per bucket",
                "parameters": filters(&[("bucket", "string", "day, week (default) or month")]),
                "responses": ok("{bucket, points: [{period, events, mentions, goldstein_sum}]}")}},
            "/api/actors/top": {"get": {
                "summary": "Actors in most events",
                "parameters": filters(&[("limit", "integer", "1–1000 (default 20)")]),
                "responses": ok("{actors: [{code, events, as_source, as_target, goldstein_sum}]}")}},
            "/api/dyads/top": {"get": {
                "summary": "Source→target pairs with most events",
                "parameters": filters(&[("limit", "integer", "1–1000 (default 20)")]),
                "responses": ok("{dyads: [{source_code, target_code, events, mentions, goldstein_sum}]}")}},
            "/api/places/top": {"get": {
                "summary": "Event locations with most events (for maps)",
                "parameters": filters(&[("limit", "integer", "1–1000 (default 100)")]),
                "responses": ok("{places: [{name, country, lat, lon, events, mentions, goldstein_sum}]}")}},
            "/api/articles/{id}": {"get": {"summary": "An article with its sentences, quotes and event mentions",
                "parameters": id_param("article"), "responses": ok("The article")}},
            "/api/stats": {"get": {"summary": "What the store holds", "responses": ok("Counts")}},
            "/api/ingest": {"post": {
                "summary": "Code and store articles (needs the server's token)",
                "security": [{"bearer": []}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                    "type": "array", "items": {"type": "object"}}}}},
                "responses": {
                    "200": {"description": "Ingest summary", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "400": {"$ref": "#/components/responses/Error"},
                    "401": {"$ref": "#/components/responses/Error"},
                    "403": {"$ref": "#/components/responses/Error"}}}}
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {"Error": {"description": "An error", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"error": {"type": "object", "properties": {
                    "status": {"type": "integer"}, "message": {"type": "string"}}}}}}}}}
        }
    })
}

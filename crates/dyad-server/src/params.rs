//! Query-string and body parameters. Unknown fields are refused (a typo such as `?sorce=RUS`
//! must not silently return everything), and every value is checked before it reaches the store.

use crate::ApiError;
use chrono::NaiveDate;
use dyad_coder::Article;
use dyad_store::{Bucket, EventQuery};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// Parses a query string into `T`, with errors as 400s.
pub fn from_query<T: DeserializeOwned>(query: Option<&str>) -> Result<T, ApiError> {
    serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|e| ApiError::bad_request(format!("query string: {e}")))
}

pub fn date(v: Option<&str>, name: &str) -> Result<Option<NaiveDate>, ApiError> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(d) => dyad_coder::input::parse_date(d).map(Some).ok_or_else(|| {
            ApiError::bad_request(format!("`{name}`: `{d}` is not a YYYY-MM-DD date"))
        }),
    }
}

/// The query parameters of the read endpoints: the filters of `dyad query`, plus `limit`,
/// `offset` and `bucket` where an endpoint takes them. One flat struct, because serde cannot
/// refuse unknown fields through a flattened one.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub actor: Option<String>,
    pub source: Option<String>,
    pub target: Option<String>,
    #[serde(default)]
    pub either: bool,
    pub country: Option<String>,
    pub sector: Option<String>,
    pub cameo: Option<String>,
    pub plover: Option<String>,
    pub quad: Option<u8>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub place: Option<String>,
    pub text: Option<String>,
    #[serde(default)]
    pub factual: bool,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
    pub bucket: Option<String>,
}

/// Most rows one request returns.
pub const MAX_PAGE: usize = 1000;

impl Params {
    pub fn to_query(&self) -> Result<EventQuery, ApiError> {
        Ok(EventQuery {
            actor: self.actor.clone(),
            source: self.source.clone(),
            target: self.target.clone(),
            either_direction: self.either,
            country: self.country.clone(),
            sector: self.sector.clone(),
            cameo: self.cameo.clone(),
            plover: self.plover.clone(),
            quad_class: self.quad,
            from: date(self.from.as_deref(), "from")?,
            to: date(self.to.as_deref(), "to")?,
            place: self.place.clone(),
            text: self.text.clone(),
            factual_only: self.factual,
            limit: None,
            offset: 0,
        })
    }

    /// Refuses parameters this endpoint does not take.
    pub fn only(
        &self,
        endpoint: &str,
        limit: bool,
        offset: bool,
        bucket: bool,
    ) -> Result<(), ApiError> {
        for (given, allowed, name) in [
            (self.limit.is_some(), limit, "limit"),
            (self.offset.is_some(), offset, "offset"),
            (self.bucket.is_some(), bucket, "bucket"),
        ] {
            if given && !allowed {
                return Err(ApiError::bad_request(format!(
                    "{endpoint} takes no `{name}`"
                )));
            }
        }
        Ok(())
    }

    pub fn limit(&self, default: usize) -> Result<usize, ApiError> {
        let limit = self.limit.unwrap_or(default);
        if limit == 0 || limit > MAX_PAGE {
            return Err(ApiError::bad_request(format!(
                "`limit` must be between 1 and {MAX_PAGE}"
            )));
        }
        Ok(limit)
    }

    pub fn bucket(&self) -> Result<Bucket, ApiError> {
        match self.bucket.as_deref().unwrap_or("week") {
            "day" => Ok(Bucket::Day),
            "week" => Ok(Bucket::Week),
            "month" => Ok(Bucket::Month),
            other => Err(ApiError::bad_request(format!(
                "`bucket`: `{other}` is not day, week or month"
            ))),
        }
    }
}

/// `POST /api/code` with a text/plain body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeParams {
    pub date: Option<String>,
    pub id: Option<String>,
}

/// `POST /api/code` with a JSON body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    pub text: String,
    pub date: Option<String>,
    pub id: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub title: Option<String>,
}

impl CodeRequest {
    pub fn into_article(self) -> Result<Article, ApiError> {
        Ok(Article {
            id: self.id.unwrap_or_else(|| "request".into()),
            date: date(self.date.as_deref(), "date")?,
            text: self.text,
            url: self.url,
            source: self.source,
            title: self.title,
            lang: None,
        })
    }
}

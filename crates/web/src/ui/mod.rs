//! The server-rendered interface (askama templates + htmx).

use crate::State;
use axum::Router;

pub fn routes() -> Router<State> {
    Router::new()
}

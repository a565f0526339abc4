//! The domain: what the server holds and the rules of how it changes. Each module's
//! functions take a connection (inside the caller's transaction) and return typed values;
//! the state machines are enums whose transitions are methods.

pub mod accounts;
pub mod campaigns;
pub mod evidence;
pub mod orgs;
pub mod results;
pub mod reviews;
pub mod submissions;

//! Rules shared by the browser and the server. No I/O here.

pub mod act;
pub mod chat;
pub mod company;
pub mod equipment;
pub mod money;
pub mod plan;
pub mod policy;
pub mod role;
pub mod settings;
pub mod sla;
pub mod ticket;
pub mod time;
pub mod url;
pub mod validate;
pub mod workflow;
pub mod works;

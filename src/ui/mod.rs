//! Pages and components. Depends on `api` and `domain`, never on `server`.

pub mod components;
pub mod layout;
pub mod pages;

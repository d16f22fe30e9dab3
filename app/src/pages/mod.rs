//! One page per file.
pub mod contact;
pub mod contact_done;
pub mod contact_password;
pub mod contact_pin;
pub mod dev_outbox;
pub mod home;
pub mod login;
pub mod not_found;

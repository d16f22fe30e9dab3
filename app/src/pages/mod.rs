//! One page per file.
pub mod account;
pub mod account_register_login;
pub mod contact;
pub mod contact_done;
pub mod contact_enter;
pub mod contact_password;
pub mod contact_pin;
pub mod customer_search;
pub mod dev_outbox;
pub mod home;
pub mod login;
pub mod not_found;
pub mod staff_logins;
pub mod staff_reset;
pub mod verify;

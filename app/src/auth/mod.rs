//! Login, logout and the signed-in customer: one thin server function per file.
pub mod current_user;
pub mod login;
pub mod logout;

pub use current_user::{current_user, CurrentUserFn};
pub use login::{login, Login};
pub use logout::{logout, Logout};

//! Delivery of messages to customers. Each provider gets its own typed client here; the
//! choice between them (and the development outbox) belongs to the PIN flow, not to the
//! clients.
pub mod queue_adapters;
pub mod smtp;
pub mod twilio;

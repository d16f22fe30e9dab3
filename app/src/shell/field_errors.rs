//! Field-by-field form errors: every message at its own field at once (aria-invalid,
//! aria-describedby), focus on the first. The rules themselves come from the shared rule
//! modules (`validation`, `customers::register_fields`); the server re-checks everything.
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{FormData, HtmlElement, HtmlFormElement};

/// (form field name, message) pairs of the last check, in form order.
#[derive(Clone, Copy)]
pub struct FieldErrors(RwSignal<Vec<(&'static str, String)>>);

impl FieldErrors {
    pub fn new() -> Self {
        FieldErrors(RwSignal::new(Vec::new()))
    }

    pub fn clear(&self) {
        self.0.set(Vec::new());
    }

    /// The message for `field`, if any (reactive).
    pub fn message(&self, field: &str) -> Option<String> {
        self.0
            .with(|v| v.iter().find(|(f, _)| *f == field).map(|(_, m)| m.clone()))
    }

    /// `aria-invalid` for `field`.
    pub fn invalid(&self, field: &str) -> Option<&'static str> {
        self.message(field).map(|_| "true")
    }

    /// `aria-describedby` for `field`: its message, then its hint if it has one.
    pub fn described_by(&self, field: &'static str, hint: Option<&'static str>) -> Option<String> {
        let err = self.message(field).map(|_| error_id(field));
        match (err, hint) {
            (Some(e), Some(h)) => Some(format!("{e} {h}")),
            (Some(e), None) => Some(e),
            (None, h) => h.map(str::to_owned),
        }
    }

    /// Shows `problems`; when there are any, focuses the first field and returns false.
    pub fn show(&self, form: &HtmlFormElement, problems: Vec<(&'static str, String)>) -> bool {
        let first = problems.first().map(|(f, _)| *f);
        self.0.set(problems);
        let Some(field) = first else {
            return true;
        };
        if let Some(el) = form
            .query_selector(&format!("[name=\"{field}\"]"))
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        {
            let _ = el.focus();
        }
        false
    }
}

impl Default for FieldErrors {
    fn default() -> Self {
        Self::new()
    }
}

fn error_id(field: &str) -> String {
    format!("{field}-error")
}

/// The message under one field.
#[component]
pub fn FieldError(errors: FieldErrors, field: &'static str) -> impl IntoView {
    move || {
        errors
            .message(field)
            .map(|m| view! { <p class="field-error" id=error_id(field)>{m}</p> })
    }
}

/// A submitted form's values by field name.
pub struct FormValues(FormData);

impl FormValues {
    /// The form a submit event came from, and what it holds.
    pub fn of(ev: &leptos::ev::SubmitEvent) -> Option<(HtmlFormElement, FormValues)> {
        let form = ev.target()?.dyn_into::<HtmlFormElement>().ok()?;
        let data = FormData::new_with_form(&form).ok()?;
        Some((form, FormValues(data)))
    }

    pub fn get(&self, name: &str) -> String {
        self.0.get(name).as_string().unwrap_or_default()
    }

    /// A checkbox: present or absent.
    pub fn opt(&self, name: &str) -> Option<String> {
        self.0.get(name).as_string()
    }
}

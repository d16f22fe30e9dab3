use crate::model::Rank;
use crate::shell::field_errors::{FieldError, FieldErrors};
use leptos::prelude::*;

/// ランク for a new customer. Nothing is preselected: registering the wrong rank because it
/// happened to be first in the list is worse than one more click.
#[component]
pub fn RankSelect(ranks: Vec<Rank>, errors: FieldErrors) -> impl IntoView {
    view! {
        <label for="reg_rank">"ランク"</label>
        <select
            id="reg_rank"
            name="rank"
            required
            aria-invalid=move || errors.invalid("rank")
            aria-describedby=move || errors.described_by("rank", None)
        >
            <option value="" selected>"選択してください"</option>
            {ranks
                .into_iter()
                .map(|r| view! { <option value=r.code()>{r.label()}</option> })
                .collect_view()}
        </select>
        <FieldError errors field="rank"/>
    }
}

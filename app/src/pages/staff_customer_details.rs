use crate::customers::register_fields::{CustomerDetails, ADDRESS_MAX, KANA_MAX, NAME_MAX};
use crate::customers::{StaffCustomer, StaffUpdateCustomerDetails};
use crate::shell::error_view::ErrorView;
use crate::shell::field_errors::{FieldError, FieldErrors, FormValues};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// 全国販社: correct 代理店名, カナ, 電話番号, 郵便番号 and 住所 with the registration form's
/// rules, every problem at its field. The login e-mail is not here: only the customer changes it.
#[component]
pub fn StaffCustomerDetailsForm(
    customer: StaffCustomer,
    action: ServerAction<StaffUpdateCustomerDetails>,
) -> impl IntoView {
    let errors = FieldErrors::new();
    let code = customer.customer_code.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((form, v)) = FormValues::of(&ev) else {
            return;
        };
        let details = CustomerDetails {
            name: v.get("name"),
            kana: v.get("kana"),
            phone: v.get("phone"),
            postal_code: v.get("postal_code"),
            address: v.get("address"),
        };
        if errors.show(&form, details.problems()) {
            action.dispatch(StaffUpdateCustomerDetails {
                code: code.clone(),
                name: details.name,
                kana: details.kana,
                phone: details.phone,
                postal_code: details.postal_code,
                address: details.address,
            });
        }
    };
    let field = move |name: &'static str| {
        (
            move || errors.invalid(name),
            move || errors.described_by(name, None),
        )
    };
    let (name_inv, name_desc) = field("name");
    let (kana_inv, kana_desc) = field("kana");
    let (phone_inv, phone_desc) = field("phone");
    let (postal_inv, postal_desc) = field("postal_code");
    let (address_inv, address_desc) = field("address");
    view! {
        <h2>"代理店名・カナ・連絡先の訂正"</h2>
        <form
            class="form details-form"
            method="post"
            action=StaffUpdateCustomerDetails::url()
            novalidate
            on:submit=on_submit
        >
            <input type="hidden" name="code" value=customer.customer_code.clone()/>
            <label for="ed_name">"代理店名"</label>
            <input id="ed_name" name="name" autocomplete="off" maxlength=NAME_MAX value=customer.name.clone()
                aria-invalid=name_inv aria-describedby=name_desc/>
            <FieldError errors field="name"/>
            <label for="ed_kana">"カナ"</label>
            <input id="ed_kana" name="kana" autocomplete="off" maxlength=KANA_MAX value=customer.kana.clone()
                aria-invalid=kana_inv aria-describedby=kana_desc/>
            <FieldError errors field="kana"/>
            <label for="ed_phone">"電話番号"</label>
            <input id="ed_phone" name="phone" type="tel" inputmode="tel" autocomplete="off" maxlength="20"
                value=customer.phone.clone().unwrap_or_default() aria-invalid=phone_inv aria-describedby=phone_desc/>
            <FieldError errors field="phone"/>
            <label for="ed_postal">"郵便番号"</label>
            <input id="ed_postal" name="postal_code" inputmode="numeric" autocomplete="off" maxlength="10"
                value=customer.postal_code.clone().unwrap_or_default() aria-invalid=postal_inv aria-describedby=postal_desc/>
            <FieldError errors field="postal_code"/>
            <label for="ed_address">"住所"</label>
            <input id="ed_address" name="address" autocomplete="off" maxlength=ADDRESS_MAX
                value=customer.address.clone().unwrap_or_default() aria-invalid=address_inv aria-describedby=address_desc/>
            <FieldError errors field="address"/>
            {move || match action.value().get() {
                Some(Ok(())) => view! { <p class="success" role="status" data-testid="details-saved">"訂正しました。"</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                None => ().into_any(),
            }}
            <button type="submit" class="primary" disabled=move || action.pending().get()>
                "訂正する"
            </button>
        </form>
    }
}

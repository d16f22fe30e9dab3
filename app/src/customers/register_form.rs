//! The customer fields and the result box shared by the two registration pages.
use super::register_fields::{CustomerFields, ADDRESS_MAX, KANA_MAX, NAME_MAX};
use super::RegisterResult;
use crate::error::AppError;
use crate::shell::error_view::ErrorView;
use crate::shell::field_errors::{FieldError, FieldErrors, FormValues};
use crate::validation::EMAIL_MAX;
use leptos::prelude::*;

/// 代理店名, カナ, 電話番号, メールアドレス, 郵便番号, 住所, each with its own error line.
#[component]
pub fn CustomerFieldInputs(errors: FieldErrors) -> impl IntoView {
    view! {
        <label for="reg_name">"代理店名"</label>
        <input id="reg_name" name="name" autocomplete="off" maxlength=NAME_MAX required aria-invalid=move || errors.invalid("name") aria-describedby=move || errors.described_by("name", None)/>
        <FieldError errors field="name"/>
        <label for="reg_kana">"カナ"</label>
        <input id="reg_kana" name="kana" autocomplete="off" maxlength=KANA_MAX required aria-invalid=move || errors.invalid("kana") aria-describedby=move || errors.described_by("kana", Some("reg_kana_hint"))/>
        <FieldError errors field="kana"/>
        <p class="hint" id="reg_kana_hint">"カタカナで入力してください（ひらがなで入力してもカタカナで登録されます）。"</p>
        <label for="reg_phone">"電話番号"</label>
        <input id="reg_phone" name="phone" type="tel" inputmode="tel" autocomplete="off" maxlength="20" required aria-invalid=move || errors.invalid("phone") aria-describedby=move || errors.described_by("phone", None)/>
        <FieldError errors field="phone"/>
        <label for="reg_email">"メールアドレス"</label>
        <input id="reg_email" name="email" type="email" autocomplete="off" maxlength=EMAIL_MAX required aria-invalid=move || errors.invalid("email") aria-describedby=move || errors.described_by("email", Some("reg_email_hint"))/>
        <FieldError errors field="email"/>
        <p class="hint" id="reg_email_hint">
            "お客様ご本人が受け取れる、実在するメールアドレスを入力してください。登録後、このアドレスにログイン情報登録のご案内が届き、お客様ご本人がパスワードを設定します。"
        </p>
        <label for="reg_postal">"郵便番号"</label>
        <input id="reg_postal" name="postal_code" inputmode="numeric" autocomplete="off" maxlength="10" placeholder="100-0001" required aria-invalid=move || errors.invalid("postal_code") aria-describedby=move || errors.described_by("postal_code", None)/>
        <FieldError errors field="postal_code"/>
        <label for="reg_address">"住所"</label>
        <input id="reg_address" name="address" autocomplete="off" maxlength=ADDRESS_MAX required aria-invalid=move || errors.invalid("address") aria-describedby=move || errors.described_by("address", None)/>
        <FieldError errors field="address"/>
    }
}

/// The customer fields of a submitted registration form.
pub fn customer_fields(v: &FormValues) -> CustomerFields {
    CustomerFields {
        name: v.get("name"),
        kana: v.get("kana"),
        phone: v.get("phone"),
        email: v.get("email"),
        postal_code: v.get("postal_code"),
        address: v.get("address"),
    }
}

/// The new お客様ID, the duplicate question (with the confirmation checkbox), or the error.
#[component]
pub fn RegisterOutcome(
    result: Signal<Option<Result<RegisterResult, AppError>>>,
    /// 全国販社: offer the new customer's edit page.
    #[prop(optional)]
    staff: bool,
) -> impl IntoView {
    move || {
        match result.get() {
        Some(Ok(RegisterResult::Registered { customer_code })) => view! {
            <div class="success register-done" role="status">
                <p>"お客様を登録しました。"</p>
                <p class="new-customer-id">
                    "新しいお客様ID: " <strong data-testid="new-customer-id">{customer_code.clone()}</strong>
                </p>
                {staff.then(|| view! {
                    <p><a href=format!("/staff/customers/{customer_code}")>"このお客様の情報を開く"</a></p>
                })}
                <p class="hint">
                    "入力したメールアドレスへログイン情報登録のご案内を送信しました。お客様ご本人がメールのリンクからパスワードを設定します（24時間以内）。届かない場合は、ログイン情報登録（下位のお客様）から別のメールアドレスで登録し直せます。"
                </p>
            </div>
        }
        .into_any(),
        Some(Ok(RegisterResult::NeedsConfirmation { reasons })) => view! {
            <div class="duplicate-box" role="alert">
                <p>"同じお客様がすでに登録されている可能性があります。"</p>
                <ul>{reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                <label class="checkbox">
                    <input type="checkbox" name="confirmed" value="true"/>
                    "重複ではないことを確認しました（このまま登録する）"
                </label>
            </div>
        }
        .into_any(),
        Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
        None => ().into_any(),
    }
    }
}

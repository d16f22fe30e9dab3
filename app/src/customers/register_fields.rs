//! What the registration forms (R5 and the 全国販社 screens) and the staff correction screen
//! send, checked by the field rules of [`crate::domain`] (the same rules as the CSV import).
//! Shared by the browser and the server; the server always re-checks.
use crate::domain::{address, kana, name, phone, postal_code, FieldError};
use crate::error::AppError;
use crate::model::Rank;
use serde::{Deserialize, Serialize};

/// Ranks a 【ウルトラ販社～販社】(会員登録あり) user may register (R5): 総代理店, 代理店 and
/// 販売事業部一般会員待機 as before, plus ショップ and 一般.
pub const AGENCY_RANKS: [Rank; 5] = [
    Rank::SoDairiten,
    Rank::Dairiten,
    Rank::DivisionWaiting,
    Rank::Shop,
    Rank::General,
];

pub use crate::domain::{ADDRESS_MAX, KANA_MAX, NAME_MAX};

fn bad(msg: impl Into<String>) -> AppError {
    AppError::InvalidInput(msg.into())
}

/// What the registration form sends, before checking.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerFields {
    pub name: String,
    pub kana: String,
    pub phone: String,
    pub email: String,
    pub postal_code: String,
    pub address: String,
}

/// The fields after every rule, in stored form.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedFields {
    pub name: String,
    pub kana: String,
    pub phone: String,
    pub email: String,
    pub postal_code: String,
    pub address: String,
}

/// The details staff may correct on an existing customer (the login e-mail is the
/// customer's own, R2): the same rules as registering.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerDetails {
    pub name: String,
    pub kana: String,
    pub phone: String,
    pub postal_code: String,
    pub address: String,
}

/// [`CustomerDetails`] after every rule, in stored form.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedDetails {
    pub name: String,
    pub kana: String,
    pub phone: String,
    pub postal_code: String,
    pub address: String,
}

impl CustomerDetails {
    /// Every failing rule at once, as (form field name, message), in form order.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let rules: [(&'static str, Result<String, FieldError>); 5] = [
            ("name", name(&self.name)),
            ("kana", kana(&self.kana)),
            ("phone", phone(&self.phone)),
            ("postal_code", postal_code(&self.postal_code)),
            ("address", address(&self.address)),
        ];
        rules
            .into_iter()
            .filter_map(|(field, r)| r.err().map(|e| (field, e.to_string())))
            .collect()
    }

    pub fn check(&self) -> Result<CheckedDetails, AppError> {
        Ok(CheckedDetails {
            name: name(&self.name)?,
            kana: kana(&self.kana)?,
            phone: phone(&self.phone)?,
            postal_code: postal_code(&self.postal_code)?,
            address: address(&self.address)?,
        })
    }
}

/// ランク from a registration form: a choice must be made (the form preselects none, so
/// nobody registers a rank by accident).
pub fn rank_chosen(raw: &str) -> Result<(), AppError> {
    if raw.trim().is_empty() {
        return Err(bad("ランクを選んでください。"));
    }
    Ok(())
}

impl CustomerFields {
    /// Every failing rule at once, as (form field name, message), in the form's order: the
    /// form shows each at its field.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let rules: [(&'static str, Result<String, AppError>); 6] = [
            ("name", name(&self.name).map_err(AppError::from)),
            ("kana", kana(&self.kana).map_err(AppError::from)),
            ("phone", phone(&self.phone).map_err(AppError::from)),
            ("email", crate::validation::login_email(&self.email)),
            (
                "postal_code",
                postal_code(&self.postal_code).map_err(AppError::from),
            ),
            ("address", address(&self.address).map_err(AppError::from)),
        ];
        rules
            .into_iter()
            .filter_map(|(field, r)| r.err().map(|e| (field, e.message())))
            .collect()
    }

    /// Every rule, in the form's order; the first failure is reported.
    pub fn check(&self) -> Result<CheckedFields, AppError> {
        Ok(CheckedFields {
            name: name(&self.name)?,
            kana: kana(&self.kana)?,
            phone: phone(&self.phone)?,
            email: crate::validation::login_email(&self.email)?,
            postal_code: postal_code(&self.postal_code)?,
            address: address(&self.address)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The rules themselves are tested in `crate::domain`; here, that the forms use them.
    #[test]
    fn problems_lists_every_failing_field_in_form_order() {
        let f = CustomerFields {
            name: "株式会社テスト".into(),
            kana: "山田".into(),
            phone: "12".into(),
            email: "x@example.jp".into(),
            postal_code: "".into(),
            address: "東京都".into(),
        };
        let p = f.problems();
        let fields: Vec<_> = p.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["kana", "phone", "postal_code"]);
        assert!(p[0].1.contains("カナ"));
        assert!(rank_chosen("").is_err());
        assert!(rank_chosen("shop").is_ok());
    }

    #[test]
    fn checked_fields_are_the_stored_forms() {
        let f = CustomerFields {
            name: " 株式会社テスト ".into(),
            kana: "かぶしきがいしゃ ﾃｽﾄ".into(),
            phone: "＋81 90-1234-5678".into(),
            email: "X@Example.jp".into(),
            postal_code: "1000001".into(),
            address: "東京都".into(),
        };
        let c = f.check().unwrap();
        assert_eq!(
            (c.name.as_str(), c.kana.as_str(), c.phone.as_str()),
            ("株式会社テスト", "カブシキガイシャ テスト", "090-1234-5678")
        );
        assert_eq!(
            (c.email.as_str(), c.postal_code.as_str()),
            ("x@example.jp", "100-0001")
        );
        let d = CustomerDetails {
            name: "株式会社テスト".into(),
            kana: "テスト".into(),
            phone: "03-1234-567".into(),
            postal_code: "100-0001".into(),
            address: "東京都".into(),
        };
        assert_eq!(
            d.check(),
            Err(AppError::InvalidInput(FieldError::BadPhone.to_string()))
        );
        assert_eq!(d.problems(), [("phone", FieldError::BadPhone.to_string())]);
    }
}

//! The 監査ログ's event kinds with their Japanese labels, grouped for the viewer's filter.
//! A kind missing here is still shown (by its code) and can still be filtered by URL.

/// (code, label) per group, in menu order.
pub const GROUPS: &[(&str, &[(&str, &str)])] = &[
    (
        "ログイン",
        &[
            ("login", "ログイン"),
            ("login_failed", "ログイン失敗"),
            ("login_refused_limit", "ログイン拒否（回数制限）"),
            ("logout", "ログアウト"),
            ("session_ended", "セッション終了"),
            ("sessions_ended_others", "他の端末をログアウト"),
            ("password_changed", "パスワード変更"),
            ("current_password_wrong", "現在のパスワード誤り"),
            ("email_changed", "メールアドレス変更"),
            ("email_change_requested", "メールアドレス変更の申請"),
            ("login_registered", "ログイン情報登録"),
            ("register_login_refused", "ログイン情報登録の拒否"),
            ("verification_link_sent", "確認メール送信"),
            (
                "verification_address_taken",
                "確認メール（登録済みアドレス）",
            ),
            (
                "unverified_login_replacement_announced",
                "未確認ログインの置き換え通知",
            ),
        ],
    ),
    (
        "再設定（お問い合わせ）",
        &[
            ("pin_requested", "PIN送信の依頼"),
            ("pin_resent", "PIN再送信"),
            ("pin_request_unmatched", "PIN依頼（該当なし）"),
            ("pin_verified", "PIN確認"),
            ("pin_wrong", "PIN誤り"),
            ("pin_locked", "PINロック"),
            ("pin_limit_customer", "PIN制限（お客様）"),
            ("pin_limit_client", "PIN制限（端末）"),
            ("pin_limit_destination", "PIN制限（送信先）"),
            ("password_reset", "パスワード再設定"),
            (
                "reset_email_change_requested",
                "再設定時のメールアドレス変更",
            ),
            ("reset_started_by_staff", "職員による再設定開始"),
        ],
    ),
    (
        "送信",
        &[
            ("message_sent", "送信"),
            ("message_delivered", "配信済み"),
            ("message_undelivered", "未配信"),
            ("message_failed", "送信失敗"),
            ("message_retry", "再送"),
        ],
    ),
    (
        "お客様",
        &[
            ("customer_registered", "新規顧客登録"),
            ("customer_register_refused", "新規顧客登録の拒否"),
            ("customer_changed_by_staff", "お客様の変更（職員）"),
            (
                "customer_details_changed_by_staff",
                "お客様情報の訂正（職員）",
            ),
            ("customers_exported", "顧客検索のCSV出力"),
            ("legacy_import", "旧システムからの取込"),
            ("logins_consolidated", "ログイン情報の統合"),
        ],
    ),
    (
        "商品・注文・還元額",
        &[
            ("product_created", "商品の追加"),
            ("product_updated", "商品の変更"),
            ("product_active_changed", "取扱停止・再開"),
            ("order_placed", "注文"),
            ("order_shipped", "出荷"),
            ("order_cancelled", "取消"),
            ("order_returned", "返品"),
            ("orders_exported", "注文のCSV出力"),
            ("rebate_rate_added", "還元率の追加"),
            ("rebate_month_closed", "還元額の締め"),
            ("rebate_statement_reissued", "還元額計算書の再発行"),
            ("rebate_csv_exported", "還元額のCSV出力"),
        ],
    ),
    (
        "権限のない操作",
        &[
            ("forbidden_customer_search", "顧客検索（権限なし）"),
            ("forbidden_customer_view", "お客様の表示（権限なし）"),
            ("forbidden_customer_export", "CSV出力（権限なし）"),
            ("forbidden_delivery_note", "納品書（権限なし）"),
            ("forbidden_rebate_statement", "還元額計算書（権限なし）"),
            ("forbidden_staff_customers", "職員画面: お客様（権限なし）"),
            ("forbidden_staff_products", "職員画面: 商品（権限なし）"),
            (
                "forbidden_staff_rebate_rates",
                "職員画面: 還元率（権限なし）",
            ),
            ("forbidden_staff_reset", "職員画面: 再設定（権限なし）"),
            ("forbidden_staff_audit", "職員画面: 監査ログ（権限なし）"),
            ("forbidden_order_list", "受注管理: 一覧（権限なし）"),
            ("forbidden_order_view", "受注管理: 注文の表示（権限なし）"),
            ("forbidden_order_ship", "受注管理: 出荷（権限なし）"),
            ("forbidden_order_cancel", "受注管理: 取消（権限なし）"),
            ("forbidden_order_return", "受注管理: 返品（権限なし）"),
            ("forbidden_orders_export", "受注管理: CSV出力（権限なし）"),
            ("forbidden_rebate_close", "還元額の締め（権限なし）"),
            ("forbidden_network_tree", "ネットワーク（権限なし）"),
            ("network_tree_not_found", "ネットワーク: 範囲外のお客様"),
        ],
    ),
];

/// The Japanese label of a kind, or `None` for one this list does not know.
pub fn label(code: &str) -> Option<&'static str> {
    GROUPS
        .iter()
        .flat_map(|(_, kinds)| kinds.iter())
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
}

/// A kind as typed in a filter: a known code or a code-shaped word (lowercase, digits, `_`).
pub fn is_code_shaped(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 64
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_code_shaped() {
        let mut seen = std::collections::HashSet::new();
        for (_, kinds) in GROUPS {
            for (code, label) in *kinds {
                assert!(is_code_shaped(code), "{code}");
                assert!(!label.is_empty());
                assert!(seen.insert(*code), "{code} listed twice");
            }
        }
        assert_eq!(label("login"), Some("ログイン"));
        assert_eq!(label("no_such_kind"), None);
        assert!(!is_code_shaped("login'; drop"));
        assert!(!is_code_shaped(&"a".repeat(65)));
    }
}

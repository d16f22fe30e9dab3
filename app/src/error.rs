//! One error type for the whole application. Each variant carries its HTTP status and the
//! Japanese message shown to the user; it crosses the server-function boundary as JSON.
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// Input that fails validation; the message names the field and the rule.
    #[error("{0}")]
    InvalidInput(String),
    /// Unknown e-mail and wrong password alike (no enumeration).
    #[error("メールアドレスまたはパスワードが正しくありません。")]
    InvalidCredentials,
    #[error(
        "ログインに失敗した回数が上限に達しました。しばらく時間をおいてから再度お試しください。"
    )]
    TooManyAttempts,
    #[error("ログインしてください。")]
    Unauthorized,
    #[error("PINコードが正しくありません。")]
    PinWrong,
    #[error("PINコードの有効期限が切れました。もう一度PINコードを発行してください。")]
    PinExpired,
    #[error("PINコードの入力回数が上限に達しました。もう一度PINコードを発行してください。")]
    PinLocked,
    #[error("このPINコードはすでに使用されました。")]
    PinUsed,
    #[error("再送信は{0}秒後からできます。")]
    ResendTooSoon(i64),
    #[error("このPINコードの再送信回数が上限に達しました。もう一度PINコードを発行してください。")]
    TooManySends,
    #[error("操作の回数が上限に達しました。しばらく時間をおいてから再度お試しください。")]
    TooManyRequests,
    #[error("手続きの有効期限が切れました。お手数ですが最初からやり直してください。")]
    ResetExpired,
    /// A verification link opened again after it did its job (or a newer one did).
    #[error("このリンクはすでに使用されています。手続きは完了しています。")]
    LinkUsed,
    #[error("この操作を行う権限がありません。")]
    Forbidden,
    /// Someone else changed the record after this screen was shown (optimistic version).
    #[error("ほかの担当者がこの内容を先に変更しました。画面を読み込み直して、最新の内容を確認してから操作してください。")]
    Conflict,
    /// A conflict the user can understand from its own message (e.g. a month already closed).
    #[error("{0}")]
    ConflictWith(String),
    #[error("お探しのページは見つかりませんでした。")]
    NotFound,
    #[error("通信に失敗しました。時間をおいて再度お試しください。")]
    Transport,
    /// Details are logged on the server, never shown.
    #[error("システムエラーが発生しました。時間をおいて再度お試しください。")]
    Internal,
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            AppError::InvalidInput(_) => 400,
            AppError::InvalidCredentials | AppError::Unauthorized => 401,
            AppError::PinWrong | AppError::PinExpired | AppError::PinLocked | AppError::PinUsed => {
                400
            }
            AppError::ResetExpired | AppError::LinkUsed => 400,
            AppError::ResendTooSoon(_) | AppError::TooManySends | AppError::TooManyRequests => 429,
            AppError::Forbidden => 403,
            AppError::Conflict | AppError::ConflictWith(_) => 409,
            AppError::NotFound => 404,
            AppError::TooManyAttempts => 429,
            AppError::Transport => 502,
            AppError::Internal => 500,
        }
    }

    pub fn message(&self) -> String {
        self.to_string()
    }
}

/// A refused customer field is a 400 with the field's own message.
impl From<crate::domain::FieldError> for AppError {
    fn from(e: crate::domain::FieldError) -> Self {
        AppError::InvalidInput(e.to_string())
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Malformed or missing arguments are the client's fault, not ours.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => AppError::InvalidInput(
                "入力内容を読み取れませんでした。もう一度入力してください。".into(),
            ),
            // On the server, a body that does not decode (e.g. JSON with a wrong type) is the
            // client's fault too; in the browser it means the answer did not arrive intact.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(_) => AppError::InvalidInput(
                "入力内容を読み取れませんでした。もう一度入力してください。".into(),
            ),
            #[cfg(not(feature = "ssr"))]
            ServerFnErrorErr::Deserialization(_) => AppError::Transport,
            ServerFnErrorErr::Request(_) => AppError::Transport,
            _ => AppError::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_below_500_for_user_errors() {
        assert_eq!(AppError::InvalidInput("x".into()).status(), 400);
        assert_eq!(AppError::InvalidCredentials.status(), 401);
        assert_eq!(AppError::TooManyAttempts.status(), 429);
        assert_eq!(AppError::Internal.status(), 500);
    }

    #[test]
    fn bad_arguments_become_invalid_input() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Args("x".into()));
        assert!(matches!(e, AppError::InvalidInput(_)));
    }
}

//! The network as a materialised path (#4): downline queries, moving a subtree, refusing
//! cycles — on SQLite and PostgreSQL.
mod common;

use app::server::entities::customers;
use app::server::network::{self, NetworkError};
use common::{TestApp, BACKENDS};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

async fn id_of(app: &TestApp, code: &str) -> i64 {
    customers::Entity::find()
        .filter(customers::Column::CustomerCode.eq(code))
        .one(&app.db)
        .await
        .expect("query")
        .expect("customer exists")
        .id
}

async fn downline_codes(app: &TestApp, code: &str) -> Vec<String> {
    let me = customers::Entity::find_by_id(id_of(app, code).await)
        .one(&app.db)
        .await
        .expect("query")
        .expect("exists");
    customers::Entity::find()
        .filter(network::downline_condition(&me.path))
        .order_by_asc(customers::Column::CustomerCode)
        .all(&app.db)
        .await
        .expect("query")
        .into_iter()
        .map(|c| c.customer_code)
        .collect()
}

/// Every customer's stored `downline_count` against its downline counted through the paths.
async fn assert_counts_match(app: &TestApp, when: &str) {
    for c in customers::Entity::find().all(&app.db).await.expect("query") {
        let counted = customers::Entity::find()
            .filter(network::downline_condition(&c.path))
            .all(&app.db)
            .await
            .expect("query")
            .len() as i64;
        assert_eq!(
            c.downline_count, counted,
            "{:?} {when}: {}",
            app.backend, c.customer_code
        );
    }
}

#[tokio::test]
async fn downline_is_one_range_and_moves_with_its_subtree() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        assert_eq!(
            downline_codes(&app, "10000050").await,
            ["10000060", "10000070", "10000080", "10000090"],
            "{backend:?}"
        );
        assert!(downline_codes(&app, "10000090").await.is_empty());
        assert_eq!(downline_codes(&app, "10000001").await.len(), 10);
        assert_counts_match(&app, "after the demo data").await;

        // 代理店 10000050 (with its four) moves under 販社 10000031.
        let d = id_of(&app, "10000050").await;
        let aoba = id_of(&app, "10000031").await;
        network::move_subtree(&app.db, d, Some(aoba))
            .await
            .expect("move");
        assert_eq!(
            downline_codes(&app, "10000031").await,
            ["10000050", "10000060", "10000070", "10000080", "10000090"]
        );
        assert_eq!(downline_codes(&app, "10000030").await, ["10000040"]);
        assert!(
            network::is_in_downline(&app.db, aoba, id_of(&app, "10000080").await)
                .await
                .expect("query")
        );
        let moved = customers::Entity::find_by_id(d)
            .one(&app.db)
            .await
            .expect("query")
            .expect("exists");
        assert_eq!(moved.upline_id, Some(aoba));
        assert_counts_match(&app, "after a move").await;

        // Under one's own downline, or oneself: refused, nothing changed.
        let shop = id_of(&app, "10000070").await;
        for target in [shop, d] {
            match network::move_subtree(&app.db, d, Some(target)).await {
                Err(NetworkError::Cycle { .. }) => {}
                other => panic!("{backend:?}: expected a cycle refusal, got {other:?}"),
            }
        }
        assert_eq!(downline_codes(&app, "10000031").await.len(), 5);
        assert_counts_match(&app, "after refused moves").await;
        // Back to the top of the network, then under its old upline again.
        network::move_subtree(&app.db, d, None).await.expect("move");
        assert_counts_match(&app, "after a move to the top").await;
        let sodai = id_of(&app, "10000040").await;
        network::move_subtree(&app.db, d, Some(sodai))
            .await
            .expect("move");
        assert_counts_match(&app, "after a move back").await;
        network::move_subtree(&app.db, d, Some(aoba))
            .await
            .expect("move");

        // A full rebuild from upline_id gives the same paths.
        let before: Vec<_> = customers::Entity::find()
            .order_by_asc(customers::Column::Id)
            .all(&app.db)
            .await
            .expect("query")
            .into_iter()
            .map(|c| c.path)
            .collect();
        network::rebuild_paths(&app.db).await.expect("rebuild");
        let after: Vec<_> = customers::Entity::find()
            .order_by_asc(customers::Column::Id)
            .all(&app.db)
            .await
            .expect("query")
            .into_iter()
            .map(|c| c.path)
            .collect();
        assert_eq!(before, after, "{backend:?}");
        // The recount of a rebuild agrees with the counts kept move by move.
        assert_counts_match(&app, "after a rebuild").await;
    }
}

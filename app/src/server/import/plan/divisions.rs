//! 販売事業部 by name, in order of first appearance: an existing one keeps its owner; a new
//! one gets the owner named in the file, or the one member who may own it.
use super::{cust, not_found, DivisionRef, Known, NewDivision};
use crate::domain::rank::hansha_or_above;
use crate::server::entities::sales_divisions;
use crate::server::import::rows::{CustomerRow, COL_DIVISION, COL_DIVISION_OWNER};
use crate::server::import::RowProblem;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use std::collections::{BTreeSet, HashMap};

pub(super) async fn plan<'a>(
    db: &impl ConnectionTrait,
    rows: &'a [CustomerRow],
    k: &Known<'_>,
    problems: &mut Vec<RowProblem>,
) -> Result<(HashMap<&'a str, DivisionRef>, Vec<NewDivision>), DbErr> {
    let mut groups: Vec<(&str, Vec<&CustomerRow>)> = Vec::new();
    let mut group_of: HashMap<&str, usize> = HashMap::new();
    for r in rows {
        if let Some(d) = &r.division {
            let i = *group_of.entry(d).or_insert_with(|| {
                groups.push((d, Vec::new()));
                groups.len() - 1
            });
            groups[i].1.push(r);
        }
    }
    let db_divisions = sales_divisions::Entity::find().all(db).await?;
    let mut divisions_named: HashMap<&str, Vec<&sales_divisions::Model>> = HashMap::new();
    for d in &db_divisions {
        divisions_named.entry(&d.name).or_default().push(d);
    }
    let mut division_refs: HashMap<&str, DivisionRef> = HashMap::new();
    let mut new_divisions = Vec::new();
    for (name, members) in &groups {
        let first = members[0].line;
        let named: Vec<(&str, u64)> = members
            .iter()
            .filter_map(|m| Some((m.division_owner.as_deref()?, m.line)))
            .collect();
        let in_db: &[&sales_divisions::Model] =
            divisions_named.get(name).map(Vec::as_slice).unwrap_or(&[]);
        if in_db.len() > 1 {
            problems.push(cust(
                first,
                COL_DIVISION,
                format!(
                    "販売事業部「{name}」がデータベースに{}件あり、どれか決められません",
                    in_db.len()
                ),
            ));
            continue;
        }
        if let Some(d) = in_db.first() {
            // An existing division keeps its owner; the import never moves it.
            let owner = k
                .code_of_id
                .get(&d.owner_customer_id)
                .copied()
                .unwrap_or("");
            for (o, line) in &named {
                if *o != owner {
                    problems.push(cust(
                        *line,
                        COL_DIVISION_OWNER,
                        format!("販売事業部「{name}」のオーナーはお客様ID {owner} です（取り込みでは変更しません）"),
                    ));
                }
            }
            division_refs.insert(name, DivisionRef::Existing(d.id));
            continue;
        }
        let distinct: BTreeSet<&str> = named.iter().map(|(o, _)| *o).collect();
        let owner = match distinct.len() {
            0 => {
                let candidates: Vec<&str> = members
                    .iter()
                    .filter(|m| hansha_or_above(m.rank))
                    .map(|m| m.code.as_str())
                    .collect();
                if let [only] = candidates[..] {
                    Some(only)
                } else {
                    let why = if candidates.is_empty() {
                        "所属するお客様に販社以上の方がいません".to_string()
                    } else {
                        format!(
                            "所属する販社以上のお客様が{}人います: {}",
                            candidates.len(),
                            candidates.join("、")
                        )
                    };
                    problems.push(cust(
                        first,
                        COL_DIVISION,
                        format!("新しい販売事業部「{name}」のオーナーを決められません（{why}）。{COL_DIVISION_OWNER}列で指定してください"),
                    ));
                    None
                }
            }
            1 => {
                let (o, line) = named[0];
                match k.rank_of(o) {
                    None => {
                        // A known owner without a rank is a bad row, reported already.
                        if !k.known(o) {
                            problems.push(cust(line, COL_DIVISION_OWNER, not_found(o)));
                        }
                        None
                    }
                    Some(rank) if !hansha_or_above(rank) => {
                        problems.push(cust(
                            line,
                            COL_DIVISION_OWNER,
                            format!("販売事業部のオーナーは販社以上のお客様にしてください（お客様ID {o} は{}）", rank.label()),
                        ));
                        None
                    }
                    Some(_) => Some(o),
                }
            }
            _ => {
                let all: Vec<&str> = distinct.iter().copied().collect();
                for (_, line) in &named {
                    problems.push(cust(
                        *line,
                        COL_DIVISION_OWNER,
                        format!(
                            "販売事業部「{name}」のオーナーが行によって違います（{}）",
                            all.join("、")
                        ),
                    ));
                }
                None
            }
        };
        if let Some(o) = owner {
            new_divisions.push(NewDivision {
                name: (*name).to_owned(),
                owner_code: o.to_owned(),
            });
            division_refs.insert(name, DivisionRef::New((*name).to_owned()));
        }
    }

    Ok((division_refs, new_divisions))
}

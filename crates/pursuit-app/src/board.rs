//! Order within a board column: a card goes on top of the column it enters and stays where
//! its owner puts it — next to another card, at the top or bottom, one place up or down.
//!
//! Positions are integers, higher nearer the top; a card entering a column gets the time in
//! microseconds (see the store). A card put between two others gets the midpoint of their
//! positions; when two neighbours have no integer left between them, the column is spread
//! out again (one statement) and the midpoint taken then. The order is the board's layout,
//! not the application's content: it changes neither the version nor `updated_at`, so an
//! open sidebar's next save is not refused because a card was moved up.

use jiff::Timestamp;
use pursuit_domain::application::ApplicationStatus;
use pursuit_domain::ids::{ApplicationId, UserId};
use pursuit_store::applications::{self, Direction, Slot};
use pursuit_store::{Conn, Db};
use serde_json::{Map, Value};

use crate::error::{AppError, Invalid};

/// Where to put a card in its column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Just above this card (same column).
    Before(ApplicationId),
    /// Just below this card (same column).
    After(ApplicationId),
    Top,
    Bottom,
    /// One place up: above the card now above it (at the top already: stays).
    Up,
    /// One place down: below the card now below it (at the bottom already: stays).
    Down,
}

impl Placement {
    /// Reads a placement body: exactly one of `before` or `after` (the id of a card in the
    /// same column) or `to` (`top` or `bottom`). Every mistake names its member; unknown
    /// members are ignored. Repeating the same placement gives the same order.
    pub fn read(body: &Map<String, Value>) -> Result<Placement, AppError> {
        let invalid = |field: &str, message: &str| {
            AppError::Invalid(vec![Invalid::new(field, message.to_owned())])
        };
        let given: Vec<&str> = ["before", "after", "to"]
            .into_iter()
            .filter(|k| body.get(*k).is_some_and(|v| !v.is_null()))
            .collect();
        let [key] = given.as_slice() else {
            return Err(AppError::Invalid(vec![Invalid::whole(
                "give exactly one of before (a card's id), after (a card's id) or to (top or bottom)",
            )]));
        };
        let value = &body[*key];
        if *key == "to" {
            return match value.as_str() {
                Some("top") => Ok(Placement::Top),
                Some("bottom") => Ok(Placement::Bottom),
                _ => Err(invalid("to", "must be top or bottom")),
            };
        }
        let id = value
            .as_str()
            .and_then(|text| text.parse::<uuid::Uuid>().ok())
            .ok_or_else(|| invalid(key, "must be the id (a UUID) of a card in the same column"))?;
        Ok(if *key == "before" {
            Placement::Before(ApplicationId(id))
        } else {
            Placement::After(ApplicationId(id))
        })
    }
}

/// A card's place after a move: its column and the cards now above and below it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placed {
    pub id: ApplicationId,
    pub status: ApplicationStatus,
    pub above: Option<ApplicationId>,
    pub below: Option<ApplicationId>,
}

/// How far apart a spread-out column's cards are, and how far below the bottom card a card
/// put at the bottom goes.
const GAP: i64 = 1_000_000;

/// Puts one of the user's live applications at `placement` in its column. Another user's
/// card is [`AppError::NotFound`]; an archived card, or a neighbour that is not a live card
/// of the same column (or the card itself), is [`AppError::Invalid`] naming the field
/// (`/before`, `/after`).
pub async fn place(
    db: &Db,
    user: UserId,
    id: ApplicationId,
    placement: Placement,
    now: Timestamp,
) -> Result<Placed, AppError> {
    let mut tx = db.begin().await?;
    let card = applications::board_slot(&mut tx, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if card.archived {
        return Err(AppError::Invalid(vec![Invalid::whole(
            "an archived application is not on the board; unarchive it first",
        )]));
    }
    // The card goes on one side of an anchor card (None: the column is otherwise empty).
    let (anchor, side) = match placement {
        Placement::Before(other) => (
            Some(neighbour(&mut tx, user, &card, other, "before").await?),
            Direction::Above,
        ),
        Placement::After(other) => (
            Some(neighbour(&mut tx, user, &card, other, "after").await?),
            Direction::Below,
        ),
        // Above the top card, below the bottom one.
        Placement::Top => (
            near(&mut tx, user, &card, None, Direction::Below).await?,
            Direction::Above,
        ),
        Placement::Bottom => (
            near(&mut tx, user, &card, None, Direction::Above).await?,
            Direction::Below,
        ),
        // Past the card next to it; at the column's end already, it stays.
        Placement::Up | Placement::Down => {
            let side = if placement == Placement::Up {
                Direction::Above
            } else {
                Direction::Below
            };
            match near(&mut tx, user, &card, Some(card), side).await? {
                Some(next) => (Some(next), side),
                None => return finish(tx, user, card).await,
            }
        }
    };
    // The two cards the moved one goes between (None: the column's end).
    let (upper, lower) = match (anchor, side) {
        (None, _) => (None, None),
        (Some(anchor), Direction::Above) => (
            near(&mut tx, user, &card, Some(anchor), Direction::Above).await?,
            Some(anchor),
        ),
        (Some(anchor), Direction::Below) => (
            Some(anchor),
            near(&mut tx, user, &card, Some(anchor), Direction::Below).await?,
        ),
    };
    let top = now.as_microsecond();
    let position = match between(upper, lower, top) {
        Some(position) => position,
        None => {
            // No room between the two: spread the column out and look again.
            applications::renumber_column(&mut tx, user, card.status, top, GAP).await?;
            let upper = reread(&mut tx, user, upper).await?;
            let lower = reread(&mut tx, user, lower).await?;
            between(upper, lower, top).ok_or_else(|| {
                AppError::Conflict("the column could not make room; try again".to_owned())
            })?
        }
    };
    applications::set_board_position(&mut tx, user, id, position).await?;
    finish(tx, user, Slot { position, ..card }).await
}

/// The card named as a neighbour, checked: a live card of the same column, not the card
/// itself.
async fn neighbour(
    conn: impl Conn,
    user: UserId,
    card: &Slot,
    other: ApplicationId,
    field: &str,
) -> Result<Slot, AppError> {
    let refuse = |message: String| AppError::Invalid(vec![Invalid::new(field, message)]);
    if other == card.id {
        return Err(refuse("a card cannot be placed next to itself".to_owned()));
    }
    let Some(slot) = applications::board_slot(conn, user, other).await? else {
        return Err(refuse(format!("no application {other} of yours")));
    };
    if slot.archived {
        return Err(refuse(format!(
            "application {other} is archived, not on the board"
        )));
    }
    if slot.status != card.status {
        return Err(refuse(format!(
            "application {other} is in {}, this one in {}: change the status first to move between columns",
            slot.status.as_str(),
            card.status.as_str()
        )));
    }
    Ok(slot)
}

/// The live card next to `from` (None: from the column's far end) in `card`'s column,
/// leaving `card` out.
async fn near(
    conn: impl Conn,
    user: UserId,
    card: &Slot,
    from: Option<Slot>,
    direction: Direction,
) -> Result<Option<Slot>, AppError> {
    Ok(applications::next_card(conn, user, card.status, from, direction, card.id).await?)
}

/// A slot read again (after the column was spread out).
async fn reread(
    conn: impl Conn,
    user: UserId,
    slot: Option<Slot>,
) -> Result<Option<Slot>, AppError> {
    match slot {
        Some(slot) => Ok(applications::board_slot(conn, user, slot.id).await?),
        None => Ok(None),
    }
}

/// A position strictly between `upper` and `lower` (`None`: the column's end), or `None`
/// when the two are adjacent integers or equal. Above the top card is `top` (now, in
/// microseconds) unless the top card is there already; below the bottom card is [`GAP`]
/// below it.
fn between(upper: Option<Slot>, lower: Option<Slot>, top: i64) -> Option<i64> {
    match (upper, lower) {
        (None, None) => Some(top),
        (None, Some(lower)) => Some(top.max(lower.position.checked_add(1)?)),
        (Some(upper), None) => upper.position.checked_sub(GAP),
        (Some(upper), Some(lower)) => {
            let (high, low) = (upper.position, lower.position);
            // (high - low) could overflow for far-apart positions; halve each first.
            let middle = low / 2 + high / 2 + (low % 2 + high % 2) / 2;
            (middle > low && middle < high).then_some(middle)
        }
    }
}

/// Commits and reports where the card now is.
async fn finish(mut tx: pursuit_store::Tx, user: UserId, card: Slot) -> Result<Placed, AppError> {
    let above = near(&mut tx, user, &card, Some(card), Direction::Above).await?;
    let below = near(&mut tx, user, &card, Some(card), Direction::Below).await?;
    tx.commit().await?;
    Ok(Placed {
        id: card.id,
        status: card.status,
        above: above.map(|s| s.id),
        below: below.map(|s| s.id),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(position: i64) -> Option<Slot> {
        Some(Slot {
            id: ApplicationId::new(),
            status: ApplicationStatus::Applied,
            position,
            archived: false,
        })
    }

    fn read(body: serde_json::Value) -> Result<Placement, String> {
        Placement::read(body.as_object().unwrap()).map_err(|e| e.to_string())
    }

    #[test]
    fn a_placement_is_exactly_one_neighbour_or_an_end() {
        let id = uuid::Uuid::now_v7();
        use serde_json::json;
        assert_eq!(
            read(json!({"before": id.to_string()})),
            Ok(Placement::Before(ApplicationId(id)))
        );
        assert_eq!(
            read(json!({"after": id.to_string(), "to": null, "x": 1})),
            Ok(Placement::After(ApplicationId(id)))
        );
        assert_eq!(read(json!({"to": "bottom"})), Ok(Placement::Bottom));
        assert!(read(json!({})).unwrap_err().contains("exactly one"));
        assert!(
            read(json!({"to": "top", "before": id.to_string()}))
                .unwrap_err()
                .contains("exactly one")
        );
        assert!(
            read(json!({"to": "up"}))
                .unwrap_err()
                .contains("/to: must be top or bottom")
        );
        assert!(
            read(json!({"after": "nope"}))
                .unwrap_err()
                .contains("/after: must be the id")
        );
        assert!(read(json!({"before": 7})).unwrap_err().contains("/before"));
    }

    #[test]
    fn a_card_goes_halfway_between_its_neighbours_while_there_is_room() {
        assert_eq!(between(slot(10), slot(0), 99), Some(5));
        assert_eq!(between(slot(-3), slot(-9), 99), Some(-6));
        assert_eq!(between(slot(2), slot(0), 99), Some(1));
        assert_eq!(between(slot(1), slot(0), 99), None);
        assert_eq!(between(slot(4), slot(4), 99), None);
        assert_eq!(between(slot(i64::MAX), slot(i64::MIN), 0), Some(-1));
        assert_eq!(
            between(slot(i64::MAX), slot(i64::MAX - 2), 0),
            Some(i64::MAX - 1)
        );
    }

    #[test]
    fn the_ends_of_a_column_stay_below_the_time_a_new_card_gets() {
        // On top: now, unless the top card is already there (then just above it).
        assert_eq!(between(None, slot(500), 1_000), Some(1_000));
        assert_eq!(between(None, slot(5_000), 1_000), Some(5_001));
        assert_eq!(between(None, None, 7), Some(7));
        assert_eq!(between(slot(0), None, 7), Some(-GAP));
        assert_eq!(between(None, slot(i64::MAX), 7), None);
    }
}

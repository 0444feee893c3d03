//! The order in which a decision's choices are shown (format 2 shuffles them per seed; see
//! [`crate::model::authoring::choice_order`]). Display only: journals name choices by id, so the
//! order never changes what a journal means.

use super::Simulation;
use crate::model::{Choice, Decision, authoring};

impl Simulation {
    /// The indices of `decision`'s choices in the order desks, seats and `paraat play --policy
    /// first` show them for this exercise's seed.
    pub fn choice_order(&self, decision: &Decision) -> Vec<usize> {
        authoring::choice_order(self.ctx().scenario.format, decision, self.seed())
    }

    /// `decision`'s choices in the order they are shown (see [`Simulation::choice_order`]).
    pub fn shown_choices<'a>(&self, decision: &'a Decision) -> Vec<&'a Choice> {
        self.choice_order(decision)
            .into_iter()
            .filter_map(|i| decision.options.get(i))
            .collect()
    }
}

//! Typed identifiers: a role id can never be passed where an inject id is meant.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    )*};
}

id_type! {
    /// Identifies a partner role of the plan.
    RoleId;
    /// Identifies a plan action.
    ActionId;
    /// Identifies a plan procedure.
    ProcedureId;
    /// Identifies a plan signal.
    SignalId;
    /// Identifies a situation variable.
    VarId;
    /// Identifies an inject in a scenario.
    InjectId;
    /// Identifies a decision in a scenario.
    DecisionId;
    /// Identifies a choice within a decision.
    ChoiceId;
    /// Identifies an exercise objective.
    ObjectiveId;
}

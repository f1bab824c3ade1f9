//! Unit tests for every call and every error of `pallet_validator_set`.
use crate::{mock::*, Error, Event, SetChanged, Validators};
use frame_support::{assert_noop, assert_ok};
use pallet_session::SessionManager;
use sp_runtime::DispatchError;

fn set() -> Vec<u64> {
	Validators::<Test>::get().into_inner()
}

#[test]
fn genesis_set_is_handed_to_session() {
	build_and_execute(|| {
		assert_eq!(set(), vec![1, 2, 3]);
		assert_eq!(ValidatorSet::new_session_genesis(0), Some(vec![1, 2, 3]));
		// Unchanged set: the session pallet keeps what it has.
		assert_eq!(ValidatorSet::new_session(1), None);
	});
}

#[test]
fn add_validator_works_and_takes_effect_at_next_planned_session() {
	build_and_execute(|| {
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 4));
		assert_eq!(set(), vec![1, 2, 3, 4]);
		assert!(SetChanged::<Test>::get());
		System::assert_last_event(Event::ValidatorAdded { who: 4 }.into());
		assert_eq!(ValidatorSet::new_session(2), Some(vec![1, 2, 3, 4]));
		System::assert_last_event(Event::NewSetPlanned { session: 2, count: 4 }.into());
		assert!(!SetChanged::<Test>::get());
		assert_eq!(ValidatorSet::new_session(3), None);
	});
}

#[test]
fn remove_validator_works() {
	build_and_execute(|| {
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 2));
		assert_eq!(set(), vec![1, 3]);
		System::assert_last_event(Event::ValidatorRemoved { who: 2 }.into());
		assert_eq!(ValidatorSet::new_session(2), Some(vec![1, 3]));
	});
}

#[test]
fn non_governance_origin_is_rejected() {
	build_and_execute(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::signed(1), 4),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::signed(1), 2),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::none(), 4),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn add_rejects_existing_validator() {
	build_and_execute(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 1),
			Error::<Test>::AlreadyValidator
		);
	});
}

#[test]
fn add_rejects_account_without_session_keys() {
	build_and_execute(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 99),
			Error::<Test>::NoSessionKeys
		);
	});
}

#[test]
fn add_rejects_beyond_max() {
	build_and_execute(|| {
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 4));
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 5));
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 6),
			Error::<Test>::TooManyValidators
		);
	});
}

#[test]
fn remove_rejects_unknown_account() {
	build_and_execute(|| {
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), 42),
			Error::<Test>::NotValidator
		);
	});
}

#[test]
fn remove_enforces_minimum() {
	build_and_execute(|| {
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 3));
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), 2),
			Error::<Test>::TooFewValidators
		);
		assert_eq!(set(), vec![1, 2]);
	});
}

#[test]
fn readding_a_removed_validator_works() {
	build_and_execute(|| {
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 3));
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 3));
		assert_eq!(set(), vec![1, 2, 3]);
	});
}

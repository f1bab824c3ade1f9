//! Unit tests: every call, every error (with `assert_noop!`), and random call sequences that
//! must keep the invariants and conserve balances.
use crate::{mock::*, types::*, Error, Event, HubMembers, Participants, Resources, ResourcesOf};
use computility_primitives::IdentityRegistry;
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use sp_core::H256;
use sp_runtime::DispatchError;

fn signed(a: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(a)
}
fn root() -> RuntimeOrigin {
	RuntimeOrigin::root()
}
fn held(a: u64) -> u64 {
	Balances::balance_on_hold(&crate::HoldReason::Registration.into(), &a)
}
fn add_resource(owner: u64) -> u64 {
	let id = crate::NextResourceId::<Test>::get();
	assert_ok!(Identity::register_resource(
		signed(owner),
		ResourceKind::Gpu,
		model("A100"),
		spec(8, 300, "CN-GD")
	));
	id
}

// ---- register ----------------------------------------------------------------------------

#[test]
fn register_holds_deposit_and_is_pending() {
	build_and_execute(true, || {
		assert_ok!(Identity::register(
			signed(OUTSIDER),
			Role::Monitor,
			name("mon"),
			H256::repeat_byte(7),
			Some(HUB)
		));
		let p = Participants::<Test>::get(OUTSIDER).unwrap();
		assert_eq!(p.status, Status::Pending);
		assert_eq!(p.code, None);
		assert_eq!(p.metadata, H256::repeat_byte(7));
		assert_eq!(held(OUTSIDER), 100);
		assert_eq!(Balances::free_balance(OUTSIDER), 9_900);
		assert_eq!(HubMembers::<Test>::get(HUB), 3);
		System::assert_last_event(
			Event::Registered { who: OUTSIDER, role: Role::Monitor, hub: Some(HUB), deposit: 100 }
				.into(),
		);
		assert!(!Identity::is_active(&OUTSIDER));
	});
}

#[test]
fn register_errors_change_nothing() {
	build_and_execute(true, || {
		assert_noop!(
			Identity::register(
				signed(PROVIDER),
				Role::Provider,
				name("x"),
				H256::zero(),
				Some(HUB)
			),
			Error::<Test>::AlreadyRegistered
		);
		assert_noop!(
			Identity::register(signed(OUTSIDER), Role::Provider, name(""), H256::zero(), Some(HUB)),
			Error::<Test>::EmptyName
		);
		assert_noop!(
			Identity::register(
				signed(OUTSIDER),
				Role::HubOperator,
				name("h2"),
				H256::zero(),
				Some(HUB)
			),
			Error::<Test>::HubCannotHaveHub
		);
		assert_noop!(
			Identity::register(signed(OUTSIDER), Role::Buyer, name("b"), H256::zero(), None),
			Error::<Test>::HubRequired
		);
		// Named hub is a provider, not a hub operator.
		assert_noop!(
			Identity::register(
				signed(OUTSIDER),
				Role::Buyer,
				name("b"),
				H256::zero(),
				Some(PROVIDER)
			),
			Error::<Test>::NotAHub
		);
		// Named hub does not exist.
		assert_noop!(
			Identity::register(signed(OUTSIDER), Role::Buyer, name("b"), H256::zero(), Some(77)),
			Error::<Test>::NotAHub
		);
		assert_noop!(
			Identity::register(signed(PAUPER), Role::Buyer, name("b"), H256::zero(), Some(HUB)),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(
			Identity::register(
				RuntimeOrigin::none(),
				Role::Buyer,
				name("b"),
				H256::zero(),
				Some(HUB)
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn suspended_hub_cannot_take_members() {
	build_and_execute(true, || {
		assert_ok!(Identity::suspend(root(), HUB));
		assert_noop!(
			Identity::register(signed(OUTSIDER), Role::Buyer, name("b"), H256::zero(), Some(HUB)),
			Error::<Test>::NotAHub
		);
	});
}

// ---- update_profile ----------------------------------------------------------------------

#[test]
fn update_profile_works_and_errors() {
	build_and_execute(true, || {
		assert_ok!(Identity::update_profile(signed(BUYER), name("new"), H256::repeat_byte(1)));
		let p = Participants::<Test>::get(BUYER).unwrap();
		assert_eq!(p.name.to_vec(), b"new".to_vec());
		System::assert_last_event(
			Event::ProfileUpdated { who: BUYER, metadata: H256::repeat_byte(1) }.into(),
		);
		assert_noop!(
			Identity::update_profile(signed(OUTSIDER), name("x"), H256::zero()),
			Error::<Test>::UnknownParticipant
		);
		assert_noop!(
			Identity::update_profile(signed(BUYER), name(""), H256::zero()),
			Error::<Test>::EmptyName
		);
		assert_ok!(Identity::revoke(root(), BUYER));
		assert_noop!(
			Identity::update_profile(signed(BUYER), name("x"), H256::zero()),
			Error::<Test>::ParticipantRevoked
		);
	});
}

// ---- governance ----------------------------------------------------------------------------

#[test]
fn approve_assigns_unique_resolvable_codes() {
	build_and_execute(true, || {
		assert_ok!(Identity::register(
			signed(OUTSIDER),
			Role::Monitor,
			name("mon"),
			H256::zero(),
			Some(HUB)
		));
		assert_ok!(Identity::approve(root(), OUTSIDER));
		let code = Participants::<Test>::get(OUTSIDER).unwrap().code.unwrap();
		assert_eq!(&code[..4], b"CUM-");
		System::assert_last_event(Event::Approved { who: OUTSIDER, code }.into());
		let codes: Vec<_> = [HUB, PROVIDER, BUYER, OUTSIDER]
			.iter()
			.map(|a| Participants::<Test>::get(a).unwrap().code.unwrap())
			.collect();
		for (i, c) in codes.iter().enumerate() {
			assert!(!codes[i + 1..].contains(c));
			match Identity::resolve(c.to_vec()) {
				Some(crate::runtime_api::Resolved::Participant(p)) => assert_eq!(p.code, Some(*c)),
				other => panic!("code did not resolve: {other:?}"),
			}
		}
		assert!(Identity::is_active(&OUTSIDER));
	});
}

#[test]
fn governance_errors_change_nothing() {
	build_and_execute(true, || {
		for call in [Identity::approve, Identity::suspend, Identity::reinstate, Identity::revoke] {
			assert_noop!(call(signed(HUB), BUYER), DispatchError::BadOrigin);
			assert_noop!(call(root(), OUTSIDER), Error::<Test>::UnknownParticipant);
		}
		assert_noop!(Identity::approve(root(), BUYER), Error::<Test>::NotPending);
		assert_noop!(Identity::reinstate(root(), BUYER), Error::<Test>::NotSuspended);
		assert_ok!(Identity::register(
			signed(OUTSIDER),
			Role::Buyer,
			name("b"),
			H256::zero(),
			Some(HUB)
		));
		assert_noop!(Identity::suspend(root(), OUTSIDER), Error::<Test>::NotApproved);
		assert_ok!(Identity::revoke(root(), OUTSIDER));
		assert_noop!(Identity::revoke(root(), OUTSIDER), Error::<Test>::AlreadyRevoked);
		assert_noop!(Identity::approve(root(), OUTSIDER), Error::<Test>::NotPending);
	});
}

#[test]
fn suspend_reinstate_revoke_cycle() {
	build_and_execute(true, || {
		assert_ok!(Identity::suspend(root(), PROVIDER));
		System::assert_last_event(Event::Suspended { who: PROVIDER }.into());
		assert!(!Identity::is_active(&PROVIDER));
		assert_eq!(Identity::role_of(&PROVIDER), Some(Role::Provider));
		assert_ok!(Identity::reinstate(root(), PROVIDER));
		System::assert_last_event(Event::Reinstated { who: PROVIDER }.into());
		assert!(Identity::is_active_with_role(&PROVIDER, Role::Provider));
		assert!(!Identity::is_active_with_role(&PROVIDER, Role::Buyer));
		assert_ok!(Identity::revoke(root(), PROVIDER));
		System::assert_last_event(Event::Revoked { who: PROVIDER }.into());
		assert!(!Identity::is_active(&PROVIDER));
		assert_noop!(Identity::reinstate(root(), PROVIDER), Error::<Test>::NotSuspended);
	});
}

// ---- deregister ----------------------------------------------------------------------------

#[test]
fn deregister_releases_deposit() {
	build_and_execute(true, || {
		assert_ok!(Identity::deregister(signed(BUYER)));
		assert_eq!(held(BUYER), 0);
		assert_eq!(Balances::free_balance(BUYER), 10_000);
		assert!(Participants::<Test>::get(BUYER).is_none());
		assert_eq!(HubMembers::<Test>::get(HUB), 1);
		System::assert_last_event(Event::Deregistered { who: BUYER, deposit: 100 }.into());
		// The code no longer resolves, and is not reused.
		assert_ok!(Identity::register(
			signed(BUYER),
			Role::Buyer,
			name("again"),
			H256::zero(),
			Some(HUB)
		));
		assert_ok!(Identity::approve(root(), BUYER));
		assert_eq!(crate::NextParticipantSeq::<Test>::get(), 4);
	});
}

#[test]
fn deregister_errors_change_nothing() {
	build_and_execute(true, || {
		assert_noop!(Identity::deregister(signed(OUTSIDER)), Error::<Test>::UnknownParticipant);
		assert_noop!(Identity::deregister(signed(HUB)), Error::<Test>::HubHasMembers);
		add_resource(PROVIDER);
		assert_noop!(Identity::deregister(signed(PROVIDER)), Error::<Test>::HasActiveResources);
		assert_ok!(Identity::suspend(root(), BUYER));
		assert_noop!(Identity::deregister(signed(BUYER)), Error::<Test>::ParticipantSuspended);
	});
}

#[test]
fn revoked_participant_can_leave() {
	build_and_execute(true, || {
		assert_ok!(Identity::revoke(root(), BUYER));
		assert_ok!(Identity::deregister(signed(BUYER)));
		assert_eq!(Balances::free_balance(BUYER), 10_000);
	});
}

// ---- resources -----------------------------------------------------------------------------

#[test]
fn register_resource_works() {
	build_and_execute(true, || {
		let id = add_resource(PROVIDER);
		let r = Resources::<Test>::get(id).unwrap();
		assert_eq!(&r.code[..4], b"CRG-");
		assert_eq!(r.status, ResourceStatus::Active);
		assert_eq!(ResourcesOf::<Test>::get(PROVIDER).to_vec(), vec![id]);
		System::assert_last_event(
			Event::ResourceRegistered {
				id,
				code: r.code,
				owner: PROVIDER,
				kind: ResourceKind::Gpu,
			}
			.into(),
		);
		let view = Identity::resource(id).unwrap();
		assert_eq!(
			(view.owner, view.quantity, view.performance, view.active),
			(PROVIDER, 8, 300, true)
		);
		match Identity::resolve(r.code.to_vec()) {
			Some(crate::runtime_api::Resolved::Resource(info)) => assert_eq!(info.id, id),
			other => panic!("resource code did not resolve: {other:?}"),
		}
	});
}

#[test]
fn register_resource_errors_change_nothing() {
	build_and_execute(true, || {
		let ok_spec = spec(1, 1, "EU");
		let gpu = ResourceKind::Gpu;
		assert_noop!(
			Identity::register_resource(signed(OUTSIDER), gpu, model("m"), ok_spec),
			Error::<Test>::UnknownParticipant
		);
		assert_noop!(
			Identity::register_resource(signed(BUYER), gpu, model("m"), ok_spec),
			Error::<Test>::WrongRole
		);
		assert_noop!(
			Identity::register_resource(signed(PROVIDER), gpu, model(""), ok_spec),
			Error::<Test>::EmptyModel
		);
		for bad in [
			spec(0, 1, "EU"),
			ResourceSpec { green_percent: 101, ..ok_spec },
			ResourceSpec { security_level: 6, ..ok_spec },
			spec(1, 1, "eu"),
			spec(1, 1, ""),
			ResourceSpec { region: *b"EU\0X\0\0\0\0", ..ok_spec },
		] {
			assert_noop!(
				Identity::register_resource(signed(PROVIDER), gpu, model("m"), bad),
				Error::<Test>::InvalidSpec
			);
		}
		for _ in 0..3 {
			add_resource(PROVIDER);
		}
		assert_noop!(
			Identity::register_resource(signed(PROVIDER), gpu, model("m"), ok_spec),
			Error::<Test>::TooManyResources
		);
		assert_ok!(Identity::register(
			signed(OUTSIDER),
			Role::Provider,
			name("p2"),
			H256::zero(),
			Some(HUB)
		));
		assert_noop!(
			Identity::register_resource(signed(OUTSIDER), gpu, model("m"), ok_spec),
			Error::<Test>::NotApproved
		);
		assert_ok!(Identity::approve(root(), OUTSIDER));
		assert_ok!(Identity::suspend(root(), OUTSIDER));
		assert_noop!(
			Identity::register_resource(signed(OUTSIDER), gpu, model("m"), ok_spec),
			Error::<Test>::ParticipantSuspended
		);
		assert_ok!(Identity::revoke(root(), OUTSIDER));
		assert_noop!(
			Identity::register_resource(signed(OUTSIDER), gpu, model("m"), ok_spec),
			Error::<Test>::ParticipantRevoked
		);
	});
}

#[test]
fn update_and_retire_resource() {
	build_and_execute(true, || {
		let id = add_resource(PROVIDER);
		let new = spec(4, 500, "CN-SH");
		assert_ok!(Identity::update_resource(signed(PROVIDER), id, new));
		assert_eq!(Resources::<Test>::get(id).unwrap().spec, new);
		System::assert_last_event(Event::ResourceUpdated { id, spec: new }.into());
		assert_noop!(
			Identity::update_resource(signed(PROVIDER), 99, new),
			Error::<Test>::UnknownResource
		);
		assert_noop!(Identity::update_resource(signed(BUYER), id, new), Error::<Test>::NotOwner);
		assert_noop!(
			Identity::update_resource(signed(PROVIDER), id, spec(0, 1, "EU")),
			Error::<Test>::InvalidSpec
		);
		assert_noop!(
			Identity::retire_resource(signed(PROVIDER), 99),
			Error::<Test>::UnknownResource
		);
		assert_noop!(Identity::retire_resource(signed(BUYER), id), Error::<Test>::NotOwner);
		assert_ok!(Identity::retire_resource(signed(PROVIDER), id));
		System::assert_last_event(Event::ResourceRetired { id }.into());
		assert!(ResourcesOf::<Test>::get(PROVIDER).is_empty());
		assert!(!Identity::resource(id).unwrap().active);
		assert_noop!(
			Identity::retire_resource(signed(PROVIDER), id),
			Error::<Test>::ResourceRetired
		);
		assert_noop!(
			Identity::update_resource(signed(PROVIDER), id, new),
			Error::<Test>::ResourceRetired
		);
		// A suspended provider cannot update, but can still withdraw what it offers.
		let id2 = add_resource(PROVIDER);
		assert_ok!(Identity::suspend(root(), PROVIDER));
		assert_noop!(
			Identity::update_resource(signed(PROVIDER), id2, new),
			Error::<Test>::ParticipantSuspended
		);
		assert_ok!(Identity::retire_resource(signed(PROVIDER), id2));
	});
}

// ---- queries -------------------------------------------------------------------------------

#[test]
fn listing_filters_and_paginates() {
	build_and_execute(true, || {
		assert_ok!(Identity::register(
			signed(5),
			Role::Provider,
			name("p5"),
			H256::zero(),
			Some(HUB)
		));
		assert_ok!(Identity::approve(root(), 5));
		let mut gpus = vec![];
		for (who, perf, reg) in [
			(PROVIDER, 100, "CN-GD"),
			(PROVIDER, 300, "CN-SH"),
			(5, 500, "CN-GD"),
			(5, 700, "CN-GD"),
		] {
			let id = crate::NextResourceId::<Test>::get();
			assert_ok!(Identity::register_resource(
				signed(who),
				ResourceKind::Gpu,
				model("g"),
				spec(2, perf, reg)
			));
			gpus.push(id);
		}
		let cpu = crate::NextResourceId::<Test>::get();
		assert_ok!(Identity::register_resource(
			signed(PROVIDER),
			ResourceKind::Cpu,
			model("c"),
			spec(64, 50, "CN-GD")
		));

		let filter = ResourceFilter {
			kind: Some(ResourceKind::Gpu),
			min_performance: 300,
			min_quantity: 1,
			region: Some(region("CN-GD")),
		};
		let page = Identity::list_resources(filter.clone(), None, 10);
		let mut ids: Vec<_> = page.items.iter().map(|r| r.id).collect();
		ids.sort();
		assert_eq!(ids, vec![gpus[2], gpus[3]]);
		assert_eq!(page.next, None);

		// Everything, one at a time, through the cursor: each active resource exactly once.
		let mut seen = vec![];
		let mut after = None;
		loop {
			let page = Identity::list_resources(ResourceFilter::default(), after, 1);
			seen.extend(page.items.iter().map(|r| r.id));
			match page.next {
				Some(n) => after = Some(n),
				None => break,
			}
		}
		seen.sort();
		let mut all = gpus.clone();
		all.push(cpu);
		assert_eq!(seen, all);

		assert_ok!(Identity::retire_resource(signed(5), gpus[3]));
		let page = Identity::list_resources(filter, None, 10);
		assert_eq!(page.items.iter().map(|r| r.id).collect::<Vec<_>>(), vec![gpus[2]]);
	});
}

#[test]
fn resolve_rejects_malformed_and_unknown_codes() {
	build_and_execute(true, || {
		let code = Participants::<Test>::get(BUYER).unwrap().code.unwrap();
		let lower: Vec<u8> = code.iter().map(|b| b.to_ascii_lowercase()).collect();
		assert!(Identity::resolve(lower).is_some());
		let mut typo = code;
		typo[6] = if typo[6] == b'9' { b'8' } else { b'9' };
		assert!(Identity::resolve(typo.to_vec()).is_none());
		assert!(Identity::resolve(b"garbage".to_vec()).is_none());
		let unknown = crate::code::make(*b"CU", b'B', 4_000).unwrap();
		assert!(Identity::resolve(unknown.to_vec()).is_none());
		assert_eq!(Identity::participant_info(BUYER).unwrap().role, Role::Buyer);
		assert_eq!(Identity::hub_of(&BUYER), Some(HUB));
		assert_eq!(Identity::hub_of(&HUB), Some(HUB));
		assert_eq!(Identity::hub_of(&OUTSIDER), None);
	});
}

// ---- the membership transaction extension ----------------------------------------------

mod membership {
	use super::*;
	use crate::extension::{CheckMembership, NOT_REGISTERED, PENDING_APPROVAL, REVOKED, SUSPENDED};
	use frame_support::dispatch::GetDispatchInfo;
	use sp_runtime::{
		traits::DispatchTransaction,
		transaction_validity::{
			InvalidTransaction, TransactionSource, TransactionValidityError, ValidTransaction,
		},
	};

	fn transfer() -> RuntimeCall {
		RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive { dest: 8, value: 1 })
	}
	fn register_call(n: &str) -> RuntimeCall {
		RuntimeCall::Identity(crate::Call::register {
			role: Role::Buyer,
			name: name(n),
			metadata: H256::zero(),
			hub: Some(HUB),
		})
	}
	fn validate(
		who: u64,
		call: &RuntimeCall,
	) -> Result<ValidTransaction, TransactionValidityError> {
		CheckMembership::<Test>::new()
			.validate_only(
				RuntimeOrigin::signed(who),
				call,
				&call.get_dispatch_info(),
				0,
				TransactionSource::External,
				0,
			)
			.map(|(v, _, _)| v)
	}
	fn rejected(code: u8) -> Result<ValidTransaction, TransactionValidityError> {
		Err(InvalidTransaction::Custom(code).into())
	}

	#[test]
	fn approved_member_passes() {
		build_and_execute(true, || {
			let v = validate(BUYER, &transfer()).unwrap();
			assert!(v.provides.is_empty(), "members are not flood-tagged");
		});
	}

	#[test]
	fn unregistered_is_rejected_with_code_1() {
		build_and_execute(true, || {
			assert_eq!(validate(OUTSIDER, &transfer()), rejected(NOT_REGISTERED));
		});
	}

	#[test]
	fn pending_suspended_revoked_get_their_codes() {
		build_and_execute(true, || {
			assert_ok!(Identity::register(
				signed(OUTSIDER),
				Role::Buyer,
				name("o"),
				H256::zero(),
				Some(HUB)
			));
			assert_eq!(validate(OUTSIDER, &transfer()), rejected(PENDING_APPROVAL));
			assert_ok!(Identity::suspend(root(), BUYER));
			assert_eq!(validate(BUYER, &transfer()), rejected(SUSPENDED));
			assert_ok!(Identity::reinstate(root(), BUYER));
			assert!(validate(BUYER, &transfer()).is_ok());
			assert_ok!(Identity::revoke(root(), BUYER));
			assert_eq!(validate(BUYER, &transfer()), rejected(REVOKED));
		});
	}

	#[test]
	fn joining_calls_are_exempt_and_flood_limited() {
		build_and_execute(true, || {
			let v = validate(OUTSIDER, &register_call("a")).unwrap();
			assert_eq!(v.provides.len(), 1, "a joining transaction takes a pool slot");
			// However many distinct joining transactions an outsider signs, they share at most
			// MaxJoiningTxs (2) slots, so the pool keeps at most two of them.
			let mut tags = std::collections::BTreeSet::new();
			for i in 0..40 {
				let v = validate(OUTSIDER, &register_call(&format!("n{i}"))).unwrap();
				tags.insert(v.provides[0].clone());
			}
			assert_eq!(tags.len(), 2);
			// Slots are per account.
			let other = validate(5, &register_call("a")).unwrap();
			assert!(!tags.contains(&other.provides[0]));
			// A pending participant may still withdraw; a revoked one may leave.
			assert_ok!(Identity::register(
				signed(OUTSIDER),
				Role::Buyer,
				name("o"),
				H256::zero(),
				Some(HUB)
			));
			assert!(validate(OUTSIDER, &RuntimeCall::Identity(crate::Call::deregister {})).is_ok());
			assert_ok!(Identity::revoke(root(), BUYER));
			assert!(validate(BUYER, &RuntimeCall::Identity(crate::Call::deregister {})).is_ok());
		});
	}

	#[test]
	fn governance_calls_are_exempt_but_only_for_the_council() {
		build_and_execute(true, || {
			let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![1] });
			let v = validate(COUNCILLOR, &remark).unwrap();
			assert!(v.provides.is_empty());
			assert_eq!(validate(OUTSIDER, &remark), rejected(NOT_REGISTERED));
			// The councillor's other calls are not exempt.
			assert_eq!(validate(COUNCILLOR, &transfer()), rejected(NOT_REGISTERED));
		});
	}

	#[test]
	fn unsigned_transactions_are_left_to_their_pallets() {
		build_and_execute(true, || {
			use sp_runtime::traits::{TransactionExtension, TxBaseImplication};
			let call = transfer();
			let r = CheckMembership::<Test>::new().validate(
				RuntimeOrigin::none(),
				&call,
				&call.get_dispatch_info(),
				0,
				(),
				&TxBaseImplication(&call),
				TransactionSource::External,
			);
			assert!(r.is_ok(), "{:?}", r.err());
		});
	}
}

// ---- random sequences ----------------------------------------------------------------------

mod sequences {
	use super::*;
	use proptest::prelude::*;

	#[derive(Debug, Clone)]
	enum Op {
		Register(u64, u8, bool),
		Approve(u64),
		Suspend(u64),
		Reinstate(u64),
		Revoke(u64),
		Deregister(u64),
		AddResource(u64, u8, u32),
		Update(u64, u64, u32),
		Retire(u64, u64),
	}

	fn op() -> impl Strategy<Value = Op> {
		let who = 1u64..=9;
		prop_oneof![
			(who.clone(), 0u8..7, any::<bool>()).prop_map(|(w, r, h)| Op::Register(w, r, h)),
			who.clone().prop_map(Op::Approve),
			who.clone().prop_map(Op::Suspend),
			who.clone().prop_map(Op::Reinstate),
			who.clone().prop_map(Op::Revoke),
			who.clone().prop_map(Op::Deregister),
			(who.clone(), 0u8..6, 0u32..4).prop_map(|(w, k, q)| Op::AddResource(w, k, q)),
			(who.clone(), 0u64..12, 0u32..4).prop_map(|(w, id, q)| Op::Update(w, id, q)),
			(who, 0u64..12).prop_map(|(w, id)| Op::Retire(w, id)),
		]
	}

	const ROLES: [Role; 7] = [
		Role::Provider,
		Role::Buyer,
		Role::Reseller,
		Role::ApplicationProvider,
		Role::DedicatedLineProvider,
		Role::Monitor,
		Role::HubOperator,
	];
	const KINDS: [ResourceKind; 6] = [
		ResourceKind::Cpu,
		ResourceKind::Gpu,
		ResourceKind::Memory,
		ResourceKind::Storage,
		ResourceKind::Bandwidth,
		ResourceKind::Hashrate,
	];

	proptest! {
		#![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]
		/// Whatever the order of calls, failed calls change nothing, the indexes stay consistent,
		/// held deposits equal recorded deposits, and no balance is created or destroyed.
		#[test]
		fn random_calls_keep_invariants(ops in proptest::collection::vec(op(), 1..60)) {
			new_test_ext(false).execute_with(|| {
				let issuance = pallet_balances::TotalIssuance::<Test>::get();
				for op in ops {
					let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
					let res = match op {
						Op::Register(w, r, h) => {
							let role = ROLES[r as usize];
							let hub = if role == Role::HubOperator { None } else if h { Some(1) } else { Some(w % 3 + 1) };
							Identity::register(signed(w), role, name("n"), H256::zero(), hub)
						},
						Op::Approve(w) => Identity::approve(root(), w),
						Op::Suspend(w) => Identity::suspend(root(), w),
						Op::Reinstate(w) => Identity::reinstate(root(), w),
						Op::Revoke(w) => Identity::revoke(root(), w),
						Op::Deregister(w) => Identity::deregister(signed(w)),
						Op::AddResource(w, k, q) => Identity::register_resource(signed(w), KINDS[k as usize], model("m"), spec(q, 10, "EU")),
						Op::Update(w, id, q) => Identity::update_resource(signed(w), id, spec(q, 20, "EU")),
						Op::Retire(w, id) => Identity::retire_resource(signed(w), id),
					};
					if res.is_err() {
						prop_assert_eq!(before, sp_io::storage::root(sp_runtime::StateVersion::V1), "failed call changed state");
					}
					Identity::do_try_state().map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
				}
				prop_assert_eq!(pallet_balances::TotalIssuance::<Test>::get(), issuance);
				let total: u64 = (1..=9u64).map(|a| Balances::total_balance(&a)).sum();
				prop_assert_eq!(total, issuance, "balances do not add up to the issuance");
				Ok(())
			})?;
		}
	}
}

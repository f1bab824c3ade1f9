//! The agreement runtime API: an account's running agreements, and one agreement.
use crate::{AgreementOf, Agreements, AgreementsOf, Config};
use alloc::vec::Vec;
use computility_primitives::AgreementId;

sp_api::decl_runtime_apis! {
	/// Queries of the agreements.
	pub trait AgreementApi<AccountId, Agreement>
	where
		AccountId: codec::Codec,
		Agreement: codec::Codec,
	{
		/// An account's running agreements (as buyer or provider), with their ids.
		fn agreements_of(who: AccountId) -> Vec<(AgreementId, Agreement)>;
		/// One agreement, running or ended.
		fn agreement(id: AgreementId) -> Option<Agreement>;
	}
}

impl<T: Config> crate::Pallet<T> {
	/// Runtime API: `who`'s running agreements.
	pub fn agreements_of(who: T::AccountId) -> Vec<(AgreementId, AgreementOf<T>)> {
		AgreementsOf::<T>::get(&who)
			.into_iter()
			.filter_map(|id| Agreements::<T>::get(id).map(|a| (id, a)))
			.collect()
	}
}

//! Dispatches the command line to the node's service or to a subcommand.
use crate::{
	chain_spec,
	cli::{Cli, Subcommand},
	service,
};
use computility_runtime::opaque::Block;
use sc_cli::SubstrateCli;
use sc_service::PartialComponents;

impl SubstrateCli for Cli {
	fn impl_name() -> String {
		"Computility Node".into()
	}

	fn impl_version() -> String {
		env!("SUBSTRATE_CLI_IMPL_VERSION").into()
	}

	fn description() -> String {
		env!("CARGO_PKG_DESCRIPTION").into()
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"https://github.com/computility/computility/issues".into()
	}

	fn copyright_start_year() -> i32 {
		2026
	}

	fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
		Ok(match id {
			"dev" | "" => Box::new(chain_spec::development_chain_spec()?),
			"local" => Box::new(chain_spec::local_chain_spec()?),
			path => {
				Box::new(chain_spec::ChainSpec::from_json_file(std::path::PathBuf::from(path))?)
			},
		})
	}
}

/// The arguments, with off-chain workers switched on unless the operator chose otherwise:
/// the node's off-chain workers dispatch work to miner servers whether or not it validates.
fn args_with_offchain_default() -> Vec<std::ffi::OsString> {
	let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
	let runs_node = args.iter().skip(1).all(|a| {
		let a = a.to_string_lossy();
		a.starts_with('-') || !is_subcommand(&a)
	});
	let chosen = args.iter().any(|a| a.to_string_lossy().starts_with("--offchain-worker"));
	if runs_node && !chosen {
		args.push("--offchain-worker=always".into());
	}
	args
}

fn is_subcommand(word: &str) -> bool {
	matches!(
		word,
		"key"
			| "build-spec"
			| "export-chain-spec"
			| "check-block"
			| "export-blocks"
			| "export-state"
			| "import-blocks"
			| "purge-chain"
			| "revert"
			| "benchmark"
			| "chain-info"
			| "help"
	)
}

/// Parse the command line and run it.
pub fn run() -> sc_cli::Result<()> {
	let cli = Cli::from_iter(args_with_offchain_default());

	match &cli.subcommand {
		Some(Subcommand::Key(cmd)) => cmd.run(&cli),
		#[allow(deprecated)]
		Some(Subcommand::BuildSpec(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.chain_spec, config.network))
		},
		Some(Subcommand::ExportChainSpec(cmd)) => {
			let chain_spec = cli.load_spec(&cmd.chain)?;
			cmd.run(chain_spec)
		},
		Some(Subcommand::CheckBlock(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		},
		Some(Subcommand::ExportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, config.database), task_manager))
			})
		},
		Some(Subcommand::ExportState(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, config.chain_spec), task_manager))
			})
		},
		Some(Subcommand::ImportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		},
		Some(Subcommand::PurgeChain(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.database))
		},
		Some(Subcommand::Revert(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, backend, .. } =
					service::new_partial(&config)?;
				let aux_revert = Box::new(|client, _, blocks| {
					sc_consensus_grandpa::revert(client, blocks)?;
					Ok(())
				});
				Ok((cmd.run(client, backend, Some(aux_revert)), task_manager))
			})
		},
		Some(Subcommand::Benchmark(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| benchmark(cmd, config))
		},
		Some(Subcommand::ChainInfo(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run::<Block>(&config))
		},
		None => {
			let runner = cli.create_runner(&cli.run)?;
			runner.run_node_until_exit(|config| async move {
				match config.network.network_backend {
					sc_network::config::NetworkBackendType::Libp2p => service::new_full::<
						sc_network::NetworkWorker<
							Block,
							<Block as sp_runtime::traits::Block>::Hash,
						>,
					>(config)
					.map_err(sc_cli::Error::Service),
					sc_network::config::NetworkBackendType::Litep2p => {
						service::new_full::<sc_network::Litep2pNetworkBackend>(config)
							.map_err(sc_cli::Error::Service)
					},
				}
			})
		},
	}
}

/// `benchmark pallet` measures the runtime's calls; `benchmark machine` and `benchmark block`
/// measure the host. The others need an extrinsic builder this node does not ship.
fn benchmark(
	cmd: &frame_benchmarking_cli::BenchmarkCmd,
	config: sc_service::Configuration,
) -> sc_cli::Result<()> {
	use frame_benchmarking_cli::{BenchmarkCmd, SUBSTRATE_REFERENCE_HARDWARE};
	match cmd {
		#[cfg(feature = "runtime-benchmarks")]
		BenchmarkCmd::Pallet(cmd) => {
			cmd.run_with_spec::<sp_runtime::traits::HashingFor<Block>, ()>(Some(config.chain_spec))
		},
		#[cfg(not(feature = "runtime-benchmarks"))]
		BenchmarkCmd::Pallet(_) => {
			Err("build the node with `--features runtime-benchmarks` to benchmark pallets".into())
		},
		BenchmarkCmd::Block(cmd) => {
			let PartialComponents { client, .. } = service::new_partial(&config)?;
			cmd.run(client)
		},
		BenchmarkCmd::Machine(cmd) => cmd.run(&config, SUBSTRATE_REFERENCE_HARDWARE.clone()),
		BenchmarkCmd::Storage(_) | BenchmarkCmd::Overhead(_) | BenchmarkCmd::Extrinsic(_) => {
			Err("this benchmark is not supported by computility-node; use `benchmark pallet`"
				.into())
		},
	}
}

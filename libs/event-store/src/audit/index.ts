export { fitmentStreamsInEventsTable, fitmentStreamsInLog, type FitmentStreamSource } from './fitment-streams.js';
export { verifyFitmentChains, type BrokenLink, type ChainsReport, type ChainsSource } from './verify-fitment-chains.js';
export { ChainTails, type ChainTailsOptions, type ChainsUpTo } from './chain-tails.js';

// Fork identifiers, ordered so that `fork >= BERLIN` means "Berlin rules or later".
// The TypeScript side uses the same numbers (src/forks.ts); a test checks they agree.
export const FRONTIER: i32 = 0;
export const HOMESTEAD: i32 = 1;
export const TANGERINE: i32 = 2; // EIP-150
export const SPURIOUS: i32 = 3; // EIP-155/158/160/161/170
export const BYZANTIUM: i32 = 4;
export const CONSTANTINOPLE: i32 = 5; // with EIP-1283
export const PETERSBURG: i32 = 6; // Constantinople without EIP-1283
export const ISTANBUL: i32 = 7;
export const BERLIN: i32 = 8;
export const LONDON: i32 = 9;
export const PARIS: i32 = 10;
export const SHANGHAI: i32 = 11;
export const CANCUN: i32 = 12;
export const PRAGUE: i32 = 13;
export const OSAKA: i32 = 14;
export const FORK_COUNT: i32 = 15;

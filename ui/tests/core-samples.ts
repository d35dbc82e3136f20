// Generated from crates/core/src/words.rs: do not edit.
// Regenerate with `cargo run -p tokenkeeper-app --features bindings --bin export-bindings`.

/** What the core answers for each case of the rules the UI re-implements. */
export const CORE_SAMPLES = {
  "time_phrases": [
    {
      "days_left": null,
      "grace_days": 30,
      "phrase": "expiry unknown"
    },
    {
      "days_left": -45,
      "grace_days": 30,
      "phrase": "expired 45 days ago, past the grace period"
    },
    {
      "days_left": -44,
      "grace_days": 30,
      "phrase": "expired 44 days ago, past the grace period"
    },
    {
      "days_left": -43,
      "grace_days": 30,
      "phrase": "expired 43 days ago, past the grace period"
    },
    {
      "days_left": -42,
      "grace_days": 30,
      "phrase": "expired 42 days ago, past the grace period"
    },
    {
      "days_left": -41,
      "grace_days": 30,
      "phrase": "expired 41 days ago, past the grace period"
    },
    {
      "days_left": -40,
      "grace_days": 30,
      "phrase": "expired 40 days ago, past the grace period"
    },
    {
      "days_left": -39,
      "grace_days": 30,
      "phrase": "expired 39 days ago, past the grace period"
    },
    {
      "days_left": -38,
      "grace_days": 30,
      "phrase": "expired 38 days ago, past the grace period"
    },
    {
      "days_left": -37,
      "grace_days": 30,
      "phrase": "expired 37 days ago, past the grace period"
    },
    {
      "days_left": -36,
      "grace_days": 30,
      "phrase": "expired 36 days ago, past the grace period"
    },
    {
      "days_left": -35,
      "grace_days": 30,
      "phrase": "expired 35 days ago, past the grace period"
    },
    {
      "days_left": -34,
      "grace_days": 30,
      "phrase": "expired 34 days ago, past the grace period"
    },
    {
      "days_left": -33,
      "grace_days": 30,
      "phrase": "expired 33 days ago, past the grace period"
    },
    {
      "days_left": -32,
      "grace_days": 30,
      "phrase": "expired 32 days ago, past the grace period"
    },
    {
      "days_left": -31,
      "grace_days": 30,
      "phrase": "expired 31 days ago, past the grace period"
    },
    {
      "days_left": -30,
      "grace_days": 30,
      "phrase": "expired 30 days ago: 0 days of grace left"
    },
    {
      "days_left": -29,
      "grace_days": 30,
      "phrase": "expired 29 days ago: 1 day of grace left"
    },
    {
      "days_left": -28,
      "grace_days": 30,
      "phrase": "expired 28 days ago: 2 days of grace left"
    },
    {
      "days_left": -27,
      "grace_days": 30,
      "phrase": "expired 27 days ago: 3 days of grace left"
    },
    {
      "days_left": -26,
      "grace_days": 30,
      "phrase": "expired 26 days ago: 4 days of grace left"
    },
    {
      "days_left": -25,
      "grace_days": 30,
      "phrase": "expired 25 days ago: 5 days of grace left"
    },
    {
      "days_left": -24,
      "grace_days": 30,
      "phrase": "expired 24 days ago: 6 days of grace left"
    },
    {
      "days_left": -23,
      "grace_days": 30,
      "phrase": "expired 23 days ago: 7 days of grace left"
    },
    {
      "days_left": -22,
      "grace_days": 30,
      "phrase": "expired 22 days ago: 8 days of grace left"
    },
    {
      "days_left": -21,
      "grace_days": 30,
      "phrase": "expired 21 days ago: 9 days of grace left"
    },
    {
      "days_left": -20,
      "grace_days": 30,
      "phrase": "expired 20 days ago: 10 days of grace left"
    },
    {
      "days_left": -19,
      "grace_days": 30,
      "phrase": "expired 19 days ago: 11 days of grace left"
    },
    {
      "days_left": -18,
      "grace_days": 30,
      "phrase": "expired 18 days ago: 12 days of grace left"
    },
    {
      "days_left": -17,
      "grace_days": 30,
      "phrase": "expired 17 days ago: 13 days of grace left"
    },
    {
      "days_left": -16,
      "grace_days": 30,
      "phrase": "expired 16 days ago: 14 days of grace left"
    },
    {
      "days_left": -15,
      "grace_days": 30,
      "phrase": "expired 15 days ago: 15 days of grace left"
    },
    {
      "days_left": -14,
      "grace_days": 30,
      "phrase": "expired 14 days ago: 16 days of grace left"
    },
    {
      "days_left": -13,
      "grace_days": 30,
      "phrase": "expired 13 days ago: 17 days of grace left"
    },
    {
      "days_left": -12,
      "grace_days": 30,
      "phrase": "expired 12 days ago: 18 days of grace left"
    },
    {
      "days_left": -11,
      "grace_days": 30,
      "phrase": "expired 11 days ago: 19 days of grace left"
    },
    {
      "days_left": -10,
      "grace_days": 30,
      "phrase": "expired 10 days ago: 20 days of grace left"
    },
    {
      "days_left": -9,
      "grace_days": 30,
      "phrase": "expired 9 days ago: 21 days of grace left"
    },
    {
      "days_left": -8,
      "grace_days": 30,
      "phrase": "expired 8 days ago: 22 days of grace left"
    },
    {
      "days_left": -7,
      "grace_days": 30,
      "phrase": "expired 7 days ago: 23 days of grace left"
    },
    {
      "days_left": -6,
      "grace_days": 30,
      "phrase": "expired 6 days ago: 24 days of grace left"
    },
    {
      "days_left": -5,
      "grace_days": 30,
      "phrase": "expired 5 days ago: 25 days of grace left"
    },
    {
      "days_left": -4,
      "grace_days": 30,
      "phrase": "expired 4 days ago: 26 days of grace left"
    },
    {
      "days_left": -3,
      "grace_days": 30,
      "phrase": "expired 3 days ago: 27 days of grace left"
    },
    {
      "days_left": -2,
      "grace_days": 30,
      "phrase": "expired 2 days ago: 28 days of grace left"
    },
    {
      "days_left": -1,
      "grace_days": 30,
      "phrase": "expired 1 day ago: 29 days of grace left"
    },
    {
      "days_left": 0,
      "grace_days": 30,
      "phrase": "expires within a day"
    },
    {
      "days_left": 1,
      "grace_days": 30,
      "phrase": "1 day left"
    },
    {
      "days_left": 2,
      "grace_days": 30,
      "phrase": "2 days left"
    },
    {
      "days_left": 3,
      "grace_days": 30,
      "phrase": "3 days left"
    },
    {
      "days_left": 4,
      "grace_days": 30,
      "phrase": "4 days left"
    },
    {
      "days_left": 5,
      "grace_days": 30,
      "phrase": "5 days left"
    },
    {
      "days_left": 6,
      "grace_days": 30,
      "phrase": "6 days left"
    },
    {
      "days_left": 7,
      "grace_days": 30,
      "phrase": "7 days left"
    },
    {
      "days_left": 8,
      "grace_days": 30,
      "phrase": "8 days left"
    },
    {
      "days_left": 9,
      "grace_days": 30,
      "phrase": "9 days left"
    },
    {
      "days_left": 10,
      "grace_days": 30,
      "phrase": "10 days left"
    },
    {
      "days_left": 11,
      "grace_days": 30,
      "phrase": "11 days left"
    },
    {
      "days_left": 12,
      "grace_days": 30,
      "phrase": "12 days left"
    },
    {
      "days_left": 13,
      "grace_days": 30,
      "phrase": "13 days left"
    },
    {
      "days_left": 14,
      "grace_days": 30,
      "phrase": "14 days left"
    },
    {
      "days_left": 15,
      "grace_days": 30,
      "phrase": "15 days left"
    },
    {
      "days_left": 16,
      "grace_days": 30,
      "phrase": "16 days left"
    },
    {
      "days_left": 17,
      "grace_days": 30,
      "phrase": "17 days left"
    },
    {
      "days_left": 18,
      "grace_days": 30,
      "phrase": "18 days left"
    },
    {
      "days_left": 19,
      "grace_days": 30,
      "phrase": "19 days left"
    },
    {
      "days_left": 20,
      "grace_days": 30,
      "phrase": "20 days left"
    },
    {
      "days_left": 21,
      "grace_days": 30,
      "phrase": "21 days left"
    },
    {
      "days_left": 22,
      "grace_days": 30,
      "phrase": "22 days left"
    },
    {
      "days_left": 23,
      "grace_days": 30,
      "phrase": "23 days left"
    },
    {
      "days_left": 24,
      "grace_days": 30,
      "phrase": "24 days left"
    },
    {
      "days_left": 25,
      "grace_days": 30,
      "phrase": "25 days left"
    },
    {
      "days_left": 26,
      "grace_days": 30,
      "phrase": "26 days left"
    },
    {
      "days_left": 27,
      "grace_days": 30,
      "phrase": "27 days left"
    },
    {
      "days_left": 28,
      "grace_days": 30,
      "phrase": "28 days left"
    },
    {
      "days_left": 29,
      "grace_days": 30,
      "phrase": "29 days left"
    },
    {
      "days_left": 30,
      "grace_days": 30,
      "phrase": "30 days left"
    },
    {
      "days_left": 31,
      "grace_days": 30,
      "phrase": "31 days left"
    },
    {
      "days_left": 32,
      "grace_days": 30,
      "phrase": "32 days left"
    },
    {
      "days_left": 33,
      "grace_days": 30,
      "phrase": "33 days left"
    },
    {
      "days_left": 34,
      "grace_days": 30,
      "phrase": "34 days left"
    },
    {
      "days_left": 35,
      "grace_days": 30,
      "phrase": "35 days left"
    },
    {
      "days_left": 36,
      "grace_days": 30,
      "phrase": "36 days left"
    },
    {
      "days_left": 37,
      "grace_days": 30,
      "phrase": "37 days left"
    },
    {
      "days_left": 38,
      "grace_days": 30,
      "phrase": "38 days left"
    },
    {
      "days_left": 39,
      "grace_days": 30,
      "phrase": "39 days left"
    },
    {
      "days_left": 40,
      "grace_days": 30,
      "phrase": "40 days left"
    },
    {
      "days_left": 41,
      "grace_days": 30,
      "phrase": "41 days left"
    },
    {
      "days_left": 42,
      "grace_days": 30,
      "phrase": "42 days left"
    },
    {
      "days_left": 43,
      "grace_days": 30,
      "phrase": "43 days left"
    },
    {
      "days_left": 44,
      "grace_days": 30,
      "phrase": "44 days left"
    },
    {
      "days_left": 45,
      "grace_days": 30,
      "phrase": "45 days left"
    },
    {
      "days_left": null,
      "grace_days": 0,
      "phrase": "expiry unknown"
    },
    {
      "days_left": -45,
      "grace_days": 0,
      "phrase": "expired 45 days ago, past the grace period"
    },
    {
      "days_left": -44,
      "grace_days": 0,
      "phrase": "expired 44 days ago, past the grace period"
    },
    {
      "days_left": -43,
      "grace_days": 0,
      "phrase": "expired 43 days ago, past the grace period"
    },
    {
      "days_left": -42,
      "grace_days": 0,
      "phrase": "expired 42 days ago, past the grace period"
    },
    {
      "days_left": -41,
      "grace_days": 0,
      "phrase": "expired 41 days ago, past the grace period"
    },
    {
      "days_left": -40,
      "grace_days": 0,
      "phrase": "expired 40 days ago, past the grace period"
    },
    {
      "days_left": -39,
      "grace_days": 0,
      "phrase": "expired 39 days ago, past the grace period"
    },
    {
      "days_left": -38,
      "grace_days": 0,
      "phrase": "expired 38 days ago, past the grace period"
    },
    {
      "days_left": -37,
      "grace_days": 0,
      "phrase": "expired 37 days ago, past the grace period"
    },
    {
      "days_left": -36,
      "grace_days": 0,
      "phrase": "expired 36 days ago, past the grace period"
    },
    {
      "days_left": -35,
      "grace_days": 0,
      "phrase": "expired 35 days ago, past the grace period"
    },
    {
      "days_left": -34,
      "grace_days": 0,
      "phrase": "expired 34 days ago, past the grace period"
    },
    {
      "days_left": -33,
      "grace_days": 0,
      "phrase": "expired 33 days ago, past the grace period"
    },
    {
      "days_left": -32,
      "grace_days": 0,
      "phrase": "expired 32 days ago, past the grace period"
    },
    {
      "days_left": -31,
      "grace_days": 0,
      "phrase": "expired 31 days ago, past the grace period"
    },
    {
      "days_left": -30,
      "grace_days": 0,
      "phrase": "expired 30 days ago, past the grace period"
    },
    {
      "days_left": -29,
      "grace_days": 0,
      "phrase": "expired 29 days ago, past the grace period"
    },
    {
      "days_left": -28,
      "grace_days": 0,
      "phrase": "expired 28 days ago, past the grace period"
    },
    {
      "days_left": -27,
      "grace_days": 0,
      "phrase": "expired 27 days ago, past the grace period"
    },
    {
      "days_left": -26,
      "grace_days": 0,
      "phrase": "expired 26 days ago, past the grace period"
    },
    {
      "days_left": -25,
      "grace_days": 0,
      "phrase": "expired 25 days ago, past the grace period"
    },
    {
      "days_left": -24,
      "grace_days": 0,
      "phrase": "expired 24 days ago, past the grace period"
    },
    {
      "days_left": -23,
      "grace_days": 0,
      "phrase": "expired 23 days ago, past the grace period"
    },
    {
      "days_left": -22,
      "grace_days": 0,
      "phrase": "expired 22 days ago, past the grace period"
    },
    {
      "days_left": -21,
      "grace_days": 0,
      "phrase": "expired 21 days ago, past the grace period"
    },
    {
      "days_left": -20,
      "grace_days": 0,
      "phrase": "expired 20 days ago, past the grace period"
    },
    {
      "days_left": -19,
      "grace_days": 0,
      "phrase": "expired 19 days ago, past the grace period"
    },
    {
      "days_left": -18,
      "grace_days": 0,
      "phrase": "expired 18 days ago, past the grace period"
    },
    {
      "days_left": -17,
      "grace_days": 0,
      "phrase": "expired 17 days ago, past the grace period"
    },
    {
      "days_left": -16,
      "grace_days": 0,
      "phrase": "expired 16 days ago, past the grace period"
    },
    {
      "days_left": -15,
      "grace_days": 0,
      "phrase": "expired 15 days ago, past the grace period"
    },
    {
      "days_left": -14,
      "grace_days": 0,
      "phrase": "expired 14 days ago, past the grace period"
    },
    {
      "days_left": -13,
      "grace_days": 0,
      "phrase": "expired 13 days ago, past the grace period"
    },
    {
      "days_left": -12,
      "grace_days": 0,
      "phrase": "expired 12 days ago, past the grace period"
    },
    {
      "days_left": -11,
      "grace_days": 0,
      "phrase": "expired 11 days ago, past the grace period"
    },
    {
      "days_left": -10,
      "grace_days": 0,
      "phrase": "expired 10 days ago, past the grace period"
    },
    {
      "days_left": -9,
      "grace_days": 0,
      "phrase": "expired 9 days ago, past the grace period"
    },
    {
      "days_left": -8,
      "grace_days": 0,
      "phrase": "expired 8 days ago, past the grace period"
    },
    {
      "days_left": -7,
      "grace_days": 0,
      "phrase": "expired 7 days ago, past the grace period"
    },
    {
      "days_left": -6,
      "grace_days": 0,
      "phrase": "expired 6 days ago, past the grace period"
    },
    {
      "days_left": -5,
      "grace_days": 0,
      "phrase": "expired 5 days ago, past the grace period"
    },
    {
      "days_left": -4,
      "grace_days": 0,
      "phrase": "expired 4 days ago, past the grace period"
    },
    {
      "days_left": -3,
      "grace_days": 0,
      "phrase": "expired 3 days ago, past the grace period"
    },
    {
      "days_left": -2,
      "grace_days": 0,
      "phrase": "expired 2 days ago, past the grace period"
    },
    {
      "days_left": -1,
      "grace_days": 0,
      "phrase": "expired 1 day ago, past the grace period"
    },
    {
      "days_left": 0,
      "grace_days": 0,
      "phrase": "expires within a day"
    },
    {
      "days_left": 1,
      "grace_days": 0,
      "phrase": "1 day left"
    },
    {
      "days_left": 2,
      "grace_days": 0,
      "phrase": "2 days left"
    },
    {
      "days_left": 3,
      "grace_days": 0,
      "phrase": "3 days left"
    },
    {
      "days_left": 4,
      "grace_days": 0,
      "phrase": "4 days left"
    },
    {
      "days_left": 5,
      "grace_days": 0,
      "phrase": "5 days left"
    },
    {
      "days_left": 6,
      "grace_days": 0,
      "phrase": "6 days left"
    },
    {
      "days_left": 7,
      "grace_days": 0,
      "phrase": "7 days left"
    },
    {
      "days_left": 8,
      "grace_days": 0,
      "phrase": "8 days left"
    },
    {
      "days_left": 9,
      "grace_days": 0,
      "phrase": "9 days left"
    },
    {
      "days_left": 10,
      "grace_days": 0,
      "phrase": "10 days left"
    },
    {
      "days_left": 11,
      "grace_days": 0,
      "phrase": "11 days left"
    },
    {
      "days_left": 12,
      "grace_days": 0,
      "phrase": "12 days left"
    },
    {
      "days_left": 13,
      "grace_days": 0,
      "phrase": "13 days left"
    },
    {
      "days_left": 14,
      "grace_days": 0,
      "phrase": "14 days left"
    },
    {
      "days_left": 15,
      "grace_days": 0,
      "phrase": "15 days left"
    },
    {
      "days_left": 16,
      "grace_days": 0,
      "phrase": "16 days left"
    },
    {
      "days_left": 17,
      "grace_days": 0,
      "phrase": "17 days left"
    },
    {
      "days_left": 18,
      "grace_days": 0,
      "phrase": "18 days left"
    },
    {
      "days_left": 19,
      "grace_days": 0,
      "phrase": "19 days left"
    },
    {
      "days_left": 20,
      "grace_days": 0,
      "phrase": "20 days left"
    },
    {
      "days_left": 21,
      "grace_days": 0,
      "phrase": "21 days left"
    },
    {
      "days_left": 22,
      "grace_days": 0,
      "phrase": "22 days left"
    },
    {
      "days_left": 23,
      "grace_days": 0,
      "phrase": "23 days left"
    },
    {
      "days_left": 24,
      "grace_days": 0,
      "phrase": "24 days left"
    },
    {
      "days_left": 25,
      "grace_days": 0,
      "phrase": "25 days left"
    },
    {
      "days_left": 26,
      "grace_days": 0,
      "phrase": "26 days left"
    },
    {
      "days_left": 27,
      "grace_days": 0,
      "phrase": "27 days left"
    },
    {
      "days_left": 28,
      "grace_days": 0,
      "phrase": "28 days left"
    },
    {
      "days_left": 29,
      "grace_days": 0,
      "phrase": "29 days left"
    },
    {
      "days_left": 30,
      "grace_days": 0,
      "phrase": "30 days left"
    },
    {
      "days_left": 31,
      "grace_days": 0,
      "phrase": "31 days left"
    },
    {
      "days_left": 32,
      "grace_days": 0,
      "phrase": "32 days left"
    },
    {
      "days_left": 33,
      "grace_days": 0,
      "phrase": "33 days left"
    },
    {
      "days_left": 34,
      "grace_days": 0,
      "phrase": "34 days left"
    },
    {
      "days_left": 35,
      "grace_days": 0,
      "phrase": "35 days left"
    },
    {
      "days_left": 36,
      "grace_days": 0,
      "phrase": "36 days left"
    },
    {
      "days_left": 37,
      "grace_days": 0,
      "phrase": "37 days left"
    },
    {
      "days_left": 38,
      "grace_days": 0,
      "phrase": "38 days left"
    },
    {
      "days_left": 39,
      "grace_days": 0,
      "phrase": "39 days left"
    },
    {
      "days_left": 40,
      "grace_days": 0,
      "phrase": "40 days left"
    },
    {
      "days_left": 41,
      "grace_days": 0,
      "phrase": "41 days left"
    },
    {
      "days_left": 42,
      "grace_days": 0,
      "phrase": "42 days left"
    },
    {
      "days_left": 43,
      "grace_days": 0,
      "phrase": "43 days left"
    },
    {
      "days_left": 44,
      "grace_days": 0,
      "phrase": "44 days left"
    },
    {
      "days_left": 45,
      "grace_days": 0,
      "phrase": "45 days left"
    },
    {
      "days_left": null,
      "grace_days": 1,
      "phrase": "expiry unknown"
    },
    {
      "days_left": -45,
      "grace_days": 1,
      "phrase": "expired 45 days ago, past the grace period"
    },
    {
      "days_left": -44,
      "grace_days": 1,
      "phrase": "expired 44 days ago, past the grace period"
    },
    {
      "days_left": -43,
      "grace_days": 1,
      "phrase": "expired 43 days ago, past the grace period"
    },
    {
      "days_left": -42,
      "grace_days": 1,
      "phrase": "expired 42 days ago, past the grace period"
    },
    {
      "days_left": -41,
      "grace_days": 1,
      "phrase": "expired 41 days ago, past the grace period"
    },
    {
      "days_left": -40,
      "grace_days": 1,
      "phrase": "expired 40 days ago, past the grace period"
    },
    {
      "days_left": -39,
      "grace_days": 1,
      "phrase": "expired 39 days ago, past the grace period"
    },
    {
      "days_left": -38,
      "grace_days": 1,
      "phrase": "expired 38 days ago, past the grace period"
    },
    {
      "days_left": -37,
      "grace_days": 1,
      "phrase": "expired 37 days ago, past the grace period"
    },
    {
      "days_left": -36,
      "grace_days": 1,
      "phrase": "expired 36 days ago, past the grace period"
    },
    {
      "days_left": -35,
      "grace_days": 1,
      "phrase": "expired 35 days ago, past the grace period"
    },
    {
      "days_left": -34,
      "grace_days": 1,
      "phrase": "expired 34 days ago, past the grace period"
    },
    {
      "days_left": -33,
      "grace_days": 1,
      "phrase": "expired 33 days ago, past the grace period"
    },
    {
      "days_left": -32,
      "grace_days": 1,
      "phrase": "expired 32 days ago, past the grace period"
    },
    {
      "days_left": -31,
      "grace_days": 1,
      "phrase": "expired 31 days ago, past the grace period"
    },
    {
      "days_left": -30,
      "grace_days": 1,
      "phrase": "expired 30 days ago, past the grace period"
    },
    {
      "days_left": -29,
      "grace_days": 1,
      "phrase": "expired 29 days ago, past the grace period"
    },
    {
      "days_left": -28,
      "grace_days": 1,
      "phrase": "expired 28 days ago, past the grace period"
    },
    {
      "days_left": -27,
      "grace_days": 1,
      "phrase": "expired 27 days ago, past the grace period"
    },
    {
      "days_left": -26,
      "grace_days": 1,
      "phrase": "expired 26 days ago, past the grace period"
    },
    {
      "days_left": -25,
      "grace_days": 1,
      "phrase": "expired 25 days ago, past the grace period"
    },
    {
      "days_left": -24,
      "grace_days": 1,
      "phrase": "expired 24 days ago, past the grace period"
    },
    {
      "days_left": -23,
      "grace_days": 1,
      "phrase": "expired 23 days ago, past the grace period"
    },
    {
      "days_left": -22,
      "grace_days": 1,
      "phrase": "expired 22 days ago, past the grace period"
    },
    {
      "days_left": -21,
      "grace_days": 1,
      "phrase": "expired 21 days ago, past the grace period"
    },
    {
      "days_left": -20,
      "grace_days": 1,
      "phrase": "expired 20 days ago, past the grace period"
    },
    {
      "days_left": -19,
      "grace_days": 1,
      "phrase": "expired 19 days ago, past the grace period"
    },
    {
      "days_left": -18,
      "grace_days": 1,
      "phrase": "expired 18 days ago, past the grace period"
    },
    {
      "days_left": -17,
      "grace_days": 1,
      "phrase": "expired 17 days ago, past the grace period"
    },
    {
      "days_left": -16,
      "grace_days": 1,
      "phrase": "expired 16 days ago, past the grace period"
    },
    {
      "days_left": -15,
      "grace_days": 1,
      "phrase": "expired 15 days ago, past the grace period"
    },
    {
      "days_left": -14,
      "grace_days": 1,
      "phrase": "expired 14 days ago, past the grace period"
    },
    {
      "days_left": -13,
      "grace_days": 1,
      "phrase": "expired 13 days ago, past the grace period"
    },
    {
      "days_left": -12,
      "grace_days": 1,
      "phrase": "expired 12 days ago, past the grace period"
    },
    {
      "days_left": -11,
      "grace_days": 1,
      "phrase": "expired 11 days ago, past the grace period"
    },
    {
      "days_left": -10,
      "grace_days": 1,
      "phrase": "expired 10 days ago, past the grace period"
    },
    {
      "days_left": -9,
      "grace_days": 1,
      "phrase": "expired 9 days ago, past the grace period"
    },
    {
      "days_left": -8,
      "grace_days": 1,
      "phrase": "expired 8 days ago, past the grace period"
    },
    {
      "days_left": -7,
      "grace_days": 1,
      "phrase": "expired 7 days ago, past the grace period"
    },
    {
      "days_left": -6,
      "grace_days": 1,
      "phrase": "expired 6 days ago, past the grace period"
    },
    {
      "days_left": -5,
      "grace_days": 1,
      "phrase": "expired 5 days ago, past the grace period"
    },
    {
      "days_left": -4,
      "grace_days": 1,
      "phrase": "expired 4 days ago, past the grace period"
    },
    {
      "days_left": -3,
      "grace_days": 1,
      "phrase": "expired 3 days ago, past the grace period"
    },
    {
      "days_left": -2,
      "grace_days": 1,
      "phrase": "expired 2 days ago, past the grace period"
    },
    {
      "days_left": -1,
      "grace_days": 1,
      "phrase": "expired 1 day ago: 0 days of grace left"
    },
    {
      "days_left": 0,
      "grace_days": 1,
      "phrase": "expires within a day"
    },
    {
      "days_left": 1,
      "grace_days": 1,
      "phrase": "1 day left"
    },
    {
      "days_left": 2,
      "grace_days": 1,
      "phrase": "2 days left"
    },
    {
      "days_left": 3,
      "grace_days": 1,
      "phrase": "3 days left"
    },
    {
      "days_left": 4,
      "grace_days": 1,
      "phrase": "4 days left"
    },
    {
      "days_left": 5,
      "grace_days": 1,
      "phrase": "5 days left"
    },
    {
      "days_left": 6,
      "grace_days": 1,
      "phrase": "6 days left"
    },
    {
      "days_left": 7,
      "grace_days": 1,
      "phrase": "7 days left"
    },
    {
      "days_left": 8,
      "grace_days": 1,
      "phrase": "8 days left"
    },
    {
      "days_left": 9,
      "grace_days": 1,
      "phrase": "9 days left"
    },
    {
      "days_left": 10,
      "grace_days": 1,
      "phrase": "10 days left"
    },
    {
      "days_left": 11,
      "grace_days": 1,
      "phrase": "11 days left"
    },
    {
      "days_left": 12,
      "grace_days": 1,
      "phrase": "12 days left"
    },
    {
      "days_left": 13,
      "grace_days": 1,
      "phrase": "13 days left"
    },
    {
      "days_left": 14,
      "grace_days": 1,
      "phrase": "14 days left"
    },
    {
      "days_left": 15,
      "grace_days": 1,
      "phrase": "15 days left"
    },
    {
      "days_left": 16,
      "grace_days": 1,
      "phrase": "16 days left"
    },
    {
      "days_left": 17,
      "grace_days": 1,
      "phrase": "17 days left"
    },
    {
      "days_left": 18,
      "grace_days": 1,
      "phrase": "18 days left"
    },
    {
      "days_left": 19,
      "grace_days": 1,
      "phrase": "19 days left"
    },
    {
      "days_left": 20,
      "grace_days": 1,
      "phrase": "20 days left"
    },
    {
      "days_left": 21,
      "grace_days": 1,
      "phrase": "21 days left"
    },
    {
      "days_left": 22,
      "grace_days": 1,
      "phrase": "22 days left"
    },
    {
      "days_left": 23,
      "grace_days": 1,
      "phrase": "23 days left"
    },
    {
      "days_left": 24,
      "grace_days": 1,
      "phrase": "24 days left"
    },
    {
      "days_left": 25,
      "grace_days": 1,
      "phrase": "25 days left"
    },
    {
      "days_left": 26,
      "grace_days": 1,
      "phrase": "26 days left"
    },
    {
      "days_left": 27,
      "grace_days": 1,
      "phrase": "27 days left"
    },
    {
      "days_left": 28,
      "grace_days": 1,
      "phrase": "28 days left"
    },
    {
      "days_left": 29,
      "grace_days": 1,
      "phrase": "29 days left"
    },
    {
      "days_left": 30,
      "grace_days": 1,
      "phrase": "30 days left"
    },
    {
      "days_left": 31,
      "grace_days": 1,
      "phrase": "31 days left"
    },
    {
      "days_left": 32,
      "grace_days": 1,
      "phrase": "32 days left"
    },
    {
      "days_left": 33,
      "grace_days": 1,
      "phrase": "33 days left"
    },
    {
      "days_left": 34,
      "grace_days": 1,
      "phrase": "34 days left"
    },
    {
      "days_left": 35,
      "grace_days": 1,
      "phrase": "35 days left"
    },
    {
      "days_left": 36,
      "grace_days": 1,
      "phrase": "36 days left"
    },
    {
      "days_left": 37,
      "grace_days": 1,
      "phrase": "37 days left"
    },
    {
      "days_left": 38,
      "grace_days": 1,
      "phrase": "38 days left"
    },
    {
      "days_left": 39,
      "grace_days": 1,
      "phrase": "39 days left"
    },
    {
      "days_left": 40,
      "grace_days": 1,
      "phrase": "40 days left"
    },
    {
      "days_left": 41,
      "grace_days": 1,
      "phrase": "41 days left"
    },
    {
      "days_left": 42,
      "grace_days": 1,
      "phrase": "42 days left"
    },
    {
      "days_left": 43,
      "grace_days": 1,
      "phrase": "43 days left"
    },
    {
      "days_left": 44,
      "grace_days": 1,
      "phrase": "44 days left"
    },
    {
      "days_left": 45,
      "grace_days": 1,
      "phrase": "45 days left"
    }
  ],
  "same_names": [
    {
      "a": "Acme",
      "b": "acme",
      "same": true
    },
    {
      "a": "Acme ",
      "b": " ACME",
      "same": true
    },
    {
      "a": "Acme",
      "b": "Acme Corp",
      "same": false
    },
    {
      "a": "Ärzte",
      "b": "ärzte",
      "same": false
    },
    {
      "a": "ÄRZTE",
      "b": "Ärzte",
      "same": true
    },
    {
      "a": "Straße",
      "b": "STRASSE",
      "same": false
    },
    {
      "a": "İstanbul",
      "b": "istanbul",
      "same": false
    },
    {
      "a": "",
      "b": "  ",
      "same": true
    }
  ]
} as const;

// A clock for the services (the app's `now` option), moved by the test:
// windows and expiries end without sleeping.

/** The services' clock: it stands still unless told. */
export function testClock() {
  let time = Date.now();
  return {
    now: () => time,
    advance(ms: number) {
      time += ms;
    },
  };
}

export type TestClock = ReturnType<typeof testClock>;

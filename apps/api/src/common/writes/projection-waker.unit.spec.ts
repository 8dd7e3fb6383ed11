import { WakeUpThrottle } from './projection-waker';

describe('WakeUpThrottle', () => {
  let sent: number[];
  let throttle: WakeUpThrottle;

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    sent = [];
    throttle = new WakeUpThrottle(
      () => sent.push(Date.now()),
      10,
      () => Date.now(),
    );
  });

  afterEach(() => jest.useRealTimers());

  it('an append after a quiet period wakes the projectors at once', () => {
    throttle.request();
    expect(sent).toEqual([1_000_000]);
    jest.advanceTimersByTime(50);
    throttle.request();
    expect(sent).toEqual([1_000_000, 1_000_050]);
  });

  it('appends within one period share one wake-up, sent after the last of them', () => {
    throttle.request();
    jest.advanceTimersByTime(2);
    throttle.request();
    jest.advanceTimersByTime(5);
    throttle.request();
    throttle.request();
    expect(sent).toEqual([1_000_000]);
    jest.advanceTimersByTime(3);
    expect(sent).toEqual([1_000_000, 1_000_010]);
    jest.advanceTimersByTime(100);
    expect(sent).toHaveLength(2);
  });

  it('a steady stream of appends wakes once per period, never leaving the last append unannounced', () => {
    for (let ms = 0; ms < 100; ms++) {
      throttle.request();
      jest.advanceTimersByTime(1);
    }
    jest.advanceTimersByTime(10);
    expect(sent).toHaveLength(11); // at 0, 10, ..., 100
    expect(sent[sent.length - 1]).toBeGreaterThanOrEqual(1_000_099);
  });

  it('on shutdown a wake-up waiting for its period goes out at once', () => {
    throttle.request();
    throttle.request();
    expect(throttle.flush()).toBe(true);
    expect(sent).toHaveLength(2);
    jest.advanceTimersByTime(100);
    expect(sent).toHaveLength(2);
    expect(throttle.flush()).toBe(false);
  });
});

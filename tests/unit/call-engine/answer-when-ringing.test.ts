// A following tab that took the lead to answer: it answers the ring its own socket hears of, once, within a bound.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallState } from '../../../src-shared/call-machine';
import type { CallType } from '../../../src-shared/protocol';
import { answerWhenRinging } from '../../../src-renderer/call/answer-when-ringing';
import { initialCallView, ViewStore, type CallView } from '../../../src-renderer/call/call-view';

const incoming: CallState = {
  kind: 'incoming',
  callId: 'c1',
  callType: 'video',
  from: { id: 'u2', username: 'deniz', displayName: 'Deniz' },
  expiresAt: '2030-01-01T00:00:00.000Z',
  autoAnswer: false,
  autoAnswerWith: null,
};

function fakeController() {
  const store = new ViewStore<CallView>(initialCallView);
  const answered: CallType[] = [];
  return {
    store,
    answered,
    getView: store.get,
    subscribe: store.subscribe,
    answer: async (media: CallType) => {
      answered.push(media);
    },
  };
}

describe('answering a ring handed over from another tab', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('answers with the chosen media when the ring arrives, and only once', () => {
    const controller = fakeController();
    answerWhenRinging(controller, 'voice', 10_000);
    expect(controller.answered).toEqual([]);
    controller.store.patch({ call: incoming });
    controller.store.patch({ call: { ...incoming } });
    expect(controller.answered).toEqual(['voice']);
  });

  it('answers at once when the ring is already showing', () => {
    const controller = fakeController();
    controller.store.patch({ call: incoming });
    answerWhenRinging(controller, 'video', 10_000);
    expect(controller.answered).toEqual(['video']);
  });

  it('does not answer a later ring once the bound has passed, nor after a cancel', () => {
    const late = fakeController();
    answerWhenRinging(late, 'video', 10_000);
    vi.advanceTimersByTime(10_000);
    late.store.patch({ call: incoming });
    expect(late.answered).toEqual([]);

    const cancelled = fakeController();
    answerWhenRinging(cancelled, 'video', 10_000)();
    cancelled.store.patch({ call: incoming });
    expect(cancelled.answered).toEqual([]);
  });
});

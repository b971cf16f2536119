// A ring answered in a tab that was only following: that tab takes the lead (its own
// socket connects, and the server tells it about the ringing call), then answers with
// what the user chose. Bounded: a ring that has ended meanwhile is not waited for.
import type { CallType } from '../../src-shared/protocol';
import type { CallView } from './call-view';

export interface Answerable {
  getView(): CallView;
  subscribe(listener: () => void): () => void;
  answer(media: CallType): Promise<void>;
}

/** Answers the next ring `controller` shows with `media`, unless none shows within `withinMs`. Returns a cancel. */
export function answerWhenRinging(controller: Answerable, media: CallType, withinMs: number): () => void {
  let done = false;
  const finish = (): void => {
    done = true;
    clearTimeout(timer);
    unsubscribe();
  };
  const check = (): void => {
    if (done || controller.getView().call.kind !== 'incoming') return;
    finish();
    void controller.answer(media);
  };
  const timer = setTimeout(finish, withinMs);
  const unsubscribe = controller.subscribe(check);
  check();
  return finish;
}

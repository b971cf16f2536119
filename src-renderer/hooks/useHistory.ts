// The call history: from the server (authoritative); in the desktop app the cached
// copy in main shows first and each server page is merged into it.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Call } from '../../src-shared/protocol';
import type { Session } from '../api/session';
import { bridge } from '../platform/bridge';

const PAGE = 20;
const seenKey = (userId: string): string => `heartline.missedSeen.${userId}`;

export interface HistoryView {
  calls: Call[];
  missed: Call[];
  loading: boolean;
  failed: boolean;
  hasMore: boolean;
  loadMore: () => void;
  markMissedSeen: () => void;
}

export function useHistory(session: Session, userId: string, version: number): HistoryView {
  const [calls, setCalls] = useState<Call[]>([]);
  const [missed, setMissed] = useState<Call[]>([]);
  const [loading, setLoading] = useState(true);
  const [failed, setFailed] = useState(false);
  const [cursor, setCursor] = useState<string | null>(null);
  const request = useRef(0);

  const missedSince = (): string | undefined => {
    try {
      return window.localStorage.getItem(seenKey(userId)) ?? undefined;
    } catch {
      return undefined;
    }
  };

  useEffect(() => {
    const mine = ++request.current;
    const api = bridge();
    if (api) {
      void api.history
        .cached(PAGE)
        .then((cached) => {
          if (request.current === mine && cached.length) {
            setCalls(cached);
            setLoading(false);
          }
        })
        .catch(() => undefined);
    }
    void (async () => {
      try {
        // Desktop: main decides which missed calls are seen (and counts them on the tray),
        // so the missed list goes through main's cache; the browser keeps its own mark.
        const [page, missedReply] = await Promise.all([session.calls(PAGE), session.missedCalls(api ? undefined : missedSince())]);
        const merged = api ? await api.history.merge(page.calls, PAGE).catch(() => page.calls) : page.calls;
        const unseen = api
          ? await api.history
              .merge(missedReply.calls, PAGE)
              .then(() => api.history.missed(PAGE))
              .catch(() => [])
          : missedReply.calls.filter((call) => call.calleeId === userId);
        if (request.current !== mine) return;
        setCalls(merged);
        setCursor(page.nextCursor);
        setMissed(unseen);
        setFailed(false);
      } catch {
        if (request.current === mine) setFailed(true);
      } finally {
        if (request.current === mine) setLoading(false);
      }
    })();
  }, [session, userId, version]);

  const loadMore = useCallback(() => {
    if (!cursor) return;
    void session
      .calls(PAGE, cursor)
      .then((page) => {
        setCalls((previous) => {
          const known = new Set(previous.map((c) => c.id));
          return [...previous, ...page.calls.filter((c) => !known.has(c.id))];
        });
        setCursor(page.nextCursor);
      })
      .catch(() => setFailed(true));
  }, [session, cursor]);

  const markMissedSeen = useCallback(() => {
    setMissed([]);
    const api = bridge();
    if (api) {
      void api.history.markMissedSeen();
      return;
    }
    try {
      window.localStorage.setItem(seenKey(userId), new Date().toISOString());
    } catch {
      // storage disabled: the section empties for this visit only
    }
  }, [userId]);

  return { calls, missed, loading, failed, hasMore: cursor !== null, loadMore, markMissedSeen };
}

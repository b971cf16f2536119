import { useEffect, useRef, useState } from 'react';
import { claimTabLeadership, type TabLeadership } from '../platform/tab-leader';

export interface TabLeader {
  /** null until decided (or signed out); true when this tab holds the socket; false when another tab does. */
  leader: boolean | null;
  /** Makes this tab the leader (to answer a ring here). */
  takeOver: () => void;
}

export function useTabLeader(userId: string | null): TabLeader {
  const [leader, setLeader] = useState<boolean | null>(null);
  const claim = useRef<TabLeadership | null>(null);
  useEffect(() => {
    if (!userId) return;
    claim.current = claimTabLeadership(`heartline.leader.${userId}`, setLeader);
    return () => {
      claim.current?.release();
      claim.current = null;
      setLeader(null);
    };
  }, [userId]);
  const [takeOver] = useState(() => () => claim.current?.takeOver());
  return { leader, takeOver };
}

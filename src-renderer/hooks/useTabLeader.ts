import { useEffect, useState } from 'react';
import { claimTabLeadership } from '../platform/tab-leader';

/** null until decided (or signed out); true when this tab holds the socket; false when another tab does. */
export function useTabLeader(userId: string | null): boolean | null {
  const [leader, setLeader] = useState<boolean | null>(null);
  useEffect(() => {
    if (!userId) return;
    const release = claimTabLeadership(`heartline.leader.${userId}`, setLeader);
    return () => {
      release();
      setLeader(null);
    };
  }, [userId]);
  return leader;
}

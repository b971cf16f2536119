import { useEffect, useRef, useState } from 'react';
import type { User } from '../../src-shared/protocol';

export type PairingNotice = { kind: 'paired' | 'unpaired'; name: string };

/** "You and Ana are paired" once pairing succeeds here or on the partner's side; "Ana unpaired" when it ends. */
export function usePairingNotice(partner: User | null): [PairingNotice | null, () => void] {
  const previous = useRef(partner);
  const [notice, setNotice] = useState<PairingNotice | null>(null);
  useEffect(() => {
    const before = previous.current;
    previous.current = partner;
    if (!before && partner) setNotice({ kind: 'paired', name: partner.displayName });
    else if (before && !partner) setNotice({ kind: 'unpaired', name: before.displayName });
  }, [partner]);
  return [notice, () => setNotice(null)];
}

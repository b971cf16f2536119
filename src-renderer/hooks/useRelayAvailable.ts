import { useEffect, useState } from 'react';
import type { Session } from '../api/session';
import { hasTurn } from '../call/ice-servers';

/** Whether the server offers a TURN relay (null until it has said); "relay only" needs one. */
export function useRelayAvailable(session: Session): boolean | null {
  const [available, setAvailable] = useState<boolean | null>(null);
  useEffect(() => {
    let current = true;
    session
      .iceServers()
      .then((reply) => current && setAvailable(hasTurn(reply.iceServers)))
      .catch(() => undefined); // unknown: leave the switch as it is
    return () => {
      current = false;
    };
  }, [session]);
  return available;
}

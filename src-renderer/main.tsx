// The shims must run before simple-peer loads (see shims/node-globals.ts).
import './shims/node-globals';
import './styles/app.css';
import './styles/call.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App/App';
import { listenForInviteLinks } from './platform/pending-invite';

// Before React: an invite link that opened the app must not be missed while it loads.
listenForInviteLinks();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

// The webPreferences of every window: one place, tested, so no window can be created
// with Node in the page or without the sandbox.

export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  navigateOnDragDrop: false;
  safeDialogs: true;
  spellcheck: boolean;
  autoplayPolicy?: 'no-user-gesture-required' | 'user-gesture-required' | 'document-user-activation-required';
  backgroundThrottling?: boolean;
}

export function secureWebPreferences(
  preload: string,
  extra: Pick<SecureWebPreferences, 'autoplayPolicy' | 'backgroundThrottling'> & { spellcheck?: boolean } = {},
): SecureWebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: extra.spellcheck ?? false,
    ...(extra.autoplayPolicy ? { autoplayPolicy: extra.autoplayPolicy } : {}),
    ...(extra.backgroundThrottling !== undefined ? { backgroundThrottling: extra.backgroundThrottling } : {}),
  };
}

/** Bottom-right corner of the work area, like a call box; clamped to it. */
export function ringWindowBounds(workArea: { x: number; y: number; width: number; height: number }, size = { width: 360, height: 168 }, margin = 16) {
  const width = Math.min(size.width, workArea.width);
  const height = Math.min(size.height, workArea.height);
  return {
    x: workArea.x + Math.max(0, workArea.width - width - margin),
    y: workArea.y + Math.max(0, workArea.height - height - margin),
    width,
    height,
  };
}

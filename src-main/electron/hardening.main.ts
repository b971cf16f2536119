// Process-wide security: every web contents gets navigation and window-open denied
// (beyond its own origin), no <webview>; the session gets the permission handlers and
// the screen-share handler. The decisions themselves are in security/policy.std.ts.
import { app, desktopCapturer, shell, type Session } from 'electron';
import { DisplayMediaPicker } from '../display-media/display-media.std';
import { originOf } from '../security/origins.std';
import { decideDisplayMediaRequest, decideNavigation, decidePermissionCheck, decidePermissionRequest, decideWindowOpen } from '../security/policy.std';
import type { PickerSource } from './windows.main';

export function hardenWebContents(log: (message: string) => void): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      const own = originOf(contents.getURL());
      if (own === null || decideNavigation(url, own) === 'deny') {
        event.preventDefault();
        log(`navigation to ${url} blocked`);
      }
    });
    contents.on('will-redirect', (event, url) => {
      const own = originOf(contents.getURL());
      if (own !== null && decideNavigation(url, own) === 'deny') event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      const decision = decideWindowOpen(url);
      if (decision.openExternally) void shell.openExternal(decision.openExternally);
      else log(`window.open(${url}) blocked`);
      return { action: decision.action };
    });
  });
}

export function hardenSession(
  session: Session,
  options: {
    appOrigin: string;
    pick(sources: PickerSource[]): Promise<string | null>;
    log(message: string): void;
  },
): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    const securityOrigin = 'securityOrigin' in details ? details.securityOrigin : undefined;
    const allowed = decidePermissionRequest(
      { permission, requestingUrl: details.requestingUrl, isMainFrame: details.isMainFrame, mediaTypes, securityOrigin },
      options.appOrigin,
    );
    if (!allowed) options.log(`permission ${permission} denied for ${details.requestingUrl}`);
    callback(allowed);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => decidePermissionCheck(permission, requestingOrigin, options.appOrigin));

  const picker = new DisplayMediaPicker<Electron.DesktopCapturerSource>({
    async listSources() {
      const sources = await desktopCapturer.getSources({ types: ['screen', 'window'], thumbnailSize: { width: 320, height: 180 }, fetchWindowIcons: false });
      return sources.map((source) => ({
        id: source.id,
        name: source.name,
        thumbnail: source.thumbnail.toDataURL(),
        kind: source.id.startsWith('screen:') ? ('screen' as const) : ('window' as const),
        source,
      }));
    },
    pick: options.pick,
    platform: process.platform,
    log: options.log,
  });
  session.setDisplayMediaRequestHandler((request, callback) => {
    if (!decideDisplayMediaRequest(request.securityOrigin, request.frame?.url ?? null, options.appOrigin)) {
      options.log(`getDisplayMedia denied for ${request.securityOrigin}`);
      callback({});
      return;
    }
    void picker.choose(request.audioRequested).then((answer) => callback(answer));
  });
}

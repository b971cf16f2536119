// Who the app is to the OS. APP_ID must equal `appId` in build/electron-builder.yml:
// the Windows installer stamps its shortcut with it, and toasts and taskbar grouping
// only match when main sets the same id (a test compares the two).
export const APP_ID = 'app.heartline.desktop';
export const PROTOCOL = 'heartline';

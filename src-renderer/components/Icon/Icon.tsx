// Inline SVG icons: they render the same everywhere (emoji fonts are missing on many
// Linux desktops) and need nothing from the network or the CSP.
export type IconName =
  | 'phone'
  | 'video'
  | 'video-off'
  | 'mic'
  | 'mic-off'
  | 'screen'
  | 'gear'
  | 'hangup'
  | 'close'
  | 'headphones'
  | 'call-back'
  | 'incoming'
  | 'outgoing'
  | 'missed';

const paths: Record<IconName, React.JSX.Element> = {
  phone: <path d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z" />,
  video: <path d="M4 6h11a2 2 0 0 1 2 2v1.5l4-2.5v10l-4-2.5V16a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2z" />,
  'video-off': (
    <>
      <path d="M4 6h11a2 2 0 0 1 2 2v1.5l4-2.5v10l-4-2.5V16a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2z" opacity="0.45" />
      <path d="M3 3l18 18" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
    </>
  ),
  mic: <path d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V21h2v-3.1a7 7 0 0 0 6-6.9z" />,
  'mic-off': (
    <>
      <path d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V21h2v-3.1a7 7 0 0 0 6-6.9z" opacity="0.45" />
      <path d="M4 4l16 16" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
    </>
  ),
  screen: <path d="M3 4h18a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1h-7v2h3v2H7v-2h3v-2H3a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1zm1 2v9h16V6z" />,
  gear: (
    <path d="M19.4 13a7.5 7.5 0 0 0 0-2l2.1-1.6-2-3.4-2.5 1a7.3 7.3 0 0 0-1.7-1L15 3.4h-4L10.6 6a7.3 7.3 0 0 0-1.7 1l-2.5-1-2 3.4L6.6 11a7.5 7.5 0 0 0 0 2l-2.1 1.6 2 3.4 2.5-1a7.3 7.3 0 0 0 1.7 1l.4 2.6h4l.4-2.6a7.3 7.3 0 0 0 1.7-1l2.5 1 2-3.4zM12 15.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7z" />
  ),
  hangup: <path d="M12 9c-3.2 0-6.2.9-8.8 2.6a1 1 0 0 0-.4 1.3l1.5 2.7a1 1 0 0 0 1.3.4l2.6-1.3a1 1 0 0 0 .5-.9l.1-2A13 13 0 0 1 12 11.5c1.1 0 2.2.1 3.2.4l.1 2a1 1 0 0 0 .5.8l2.6 1.3a1 1 0 0 0 1.3-.4l1.5-2.7a1 1 0 0 0-.4-1.3A16 16 0 0 0 12 9z" />,
  close: <path d="M6 6l12 12M18 6L6 18" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" fill="none" />,
  headphones: <path d="M12 3a9 9 0 0 0-9 9v6a3 3 0 0 0 3 3h2v-8H5v-1a7 7 0 0 1 14 0v1h-3v8h2a3 3 0 0 0 3-3v-6a9 9 0 0 0-9-9z" />,
  'call-back': <path d="M10 5 4 11l6 6v-4h5a4 4 0 0 1 4 4v2h2v-2a6 6 0 0 0-6-6h-5V5z" />,
  incoming: <path d="M18.6 4 20 5.4 10.4 15H16v2H7V8h2v5.6z" />,
  outgoing: <path d="M9 5h10v10h-2V8.4L6.4 19 5 17.6 15.6 7H9z" />,
  missed: <path d="M4 7.4 5.4 6 12 12.6 17.6 7H14V5h7v7h-2V8.4l-7 7z" />,
};

export function Icon({ name, size = 20 }: { name: IconName; size?: number }): React.JSX.Element {
  return (
    <svg className="icon" width={size} height={size} viewBox="0 0 24 24" fill="currentColor" aria-hidden="true" focusable="false">
      {paths[name]}
    </svg>
  );
}

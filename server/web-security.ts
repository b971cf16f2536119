// Response headers that protect the web client (helmet): a CSP that lets the
// page talk only to its own origin (the server that served it, https and wss
// alike), no referrer leaving the app, camera, microphone and screen capture
// for this origin only, and a window no other site can script (COOP).
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

const PERMISSIONS_POLICY = ['camera=(self)', 'microphone=(self)', 'display-capture=(self)', 'geolocation=()', 'payment=()', 'usb=()'].join(', ');

export async function registerWebSecurity(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:', 'mediastream:'],
        // 'self' covers ws:/wss: to this same host (CSP Level 3): no socket to any other host.
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    // CORS decides who may read the API; CORP would also block the desktop app's app:// origin.
    crossOriginResourcePolicy: false,
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('permissions-policy', PERMISSIONS_POLICY);
  });
}

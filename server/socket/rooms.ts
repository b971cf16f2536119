// Socket.IO room names: every socket joins its user's, its device's and its sign-in's room.
export const userRoom = (userId: string): string => `user:${userId}`;
export const deviceRoom = (userId: string, deviceId: string): string => `device:${userId}:${deviceId}`;
export const sessionRoom = (sessionId: string): string => `session:${sessionId}`;

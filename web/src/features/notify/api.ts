// The notifications API (docs/openapi/notify.json) and the live stream shared by the bell and
// the notifications page: one EventSource per tab, opened while someone is signed in.
import { reactive } from 'vue';
import { api, get, post, type Page } from '@/api/client';

export interface NotificationItem {
  id: number;
  kind: string;
  text: string;
  link: string;
  object_type: string | null;
  object_id: number | null;
  created_at: number;
  read_at: number | null;
  read: boolean;
}

export interface NotificationPage extends Page<NotificationItem> {
  unread_count: number;
}

export interface Robot {
  id: number;
  name: string;
  kind: 'wecom' | 'dingtalk' | 'feishu';
  url: string;
  secret_masked: string;
  secret_set: boolean;
  org_id: number | null;
  scope: string | null;
  rate_per_minute: number;
  enabled: boolean;
}

export interface OutboxItem {
  id: number;
  channel: 'email' | 'webhook';
  webhook_name: string | null;
  target: string;
  text: string;
  state: string;
  attempts: number;
  last_error: string | null;
  created_at: number;
}

export interface SmtpSettings {
  host: string;
  port: number;
  tls: 'none' | 'starttls' | 'tls';
  user: string;
  from: string;
  password_set: boolean;
}

export const listNotifications = (q: { unread?: number; page?: number; per_page?: number }) =>
  get<NotificationPage>('/api/v1/notifications', q);
export const markRead = (id: number) => post<{ unread_count: number }>(`/api/v1/notifications/${id}/read`);
export const markAllRead = () => post<{ marked: number; unread_count: number }>('/api/v1/notifications/read-all');
export const getPreferences = () => get<{ email_mode: string; email: string | null }>('/api/v1/me/notification-preferences');
export const putPreferences = (email_mode: string) =>
  api<{ email_mode: string; email: string | null }>('PUT', '/api/v1/me/notification-preferences', { email_mode });
export const listRobots = () => get<{ items: Robot[] }>('/api/v1/notify/webhooks');
export const createRobot = (body: Record<string, unknown>) => post<Robot>('/api/v1/notify/webhooks', body);
export const deleteRobot = (id: number) => api<void>('DELETE', `/api/v1/notify/webhooks/${id}`);
export const testRobot = (id: number) => post<{ queued: boolean }>(`/api/v1/notify/webhooks/${id}/test`);
export const listOutbox = (state: string, page = 1) => get<Page<OutboxItem>>('/api/v1/notify/outbox', { state, page });
export const retryOutbox = (id: number) => post<void>(`/api/v1/notify/outbox/${id}/retry`);
export interface PublicUrl { public_url: string; startup_url: string; effective: string; source: 'setting' | 'startup' | 'none' }
export const getPublicUrl = () => get<PublicUrl>('/api/v1/notify/public-url');
export const putPublicUrl = (public_url: string) => api<PublicUrl>('PUT', '/api/v1/notify/public-url', { public_url });
export const getSmtp = () => get<SmtpSettings>('/api/v1/notify/smtp');
export const putSmtp = (body: Record<string, unknown>) => api<SmtpSettings>('PUT', '/api/v1/notify/smtp', body);

/** Live state: the unread count and the items that arrived since the page loaded. */
export const live = reactive({ unread: 0, connected: false, arrived: [] as NotificationItem[] });

let source: EventSource | null = null;

/** Opens the stream (once per tab). The browser reconnects by itself with Last-Event-ID. */
export function startLive(): void {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/v1/notifications/stream');
  source.addEventListener('ready', (e) => {
    live.connected = true;
    live.unread = JSON.parse((e as MessageEvent).data).unread_count;
  });
  source.addEventListener('notification', (e) => {
    const data = JSON.parse((e as MessageEvent).data) as { item: NotificationItem; unread_count: number };
    live.unread = data.unread_count;
    live.arrived.unshift(data.item);
    if (live.arrived.length > 50) live.arrived.pop();
  });
  // The server keeps a few streams per account and ends the oldest when another tab opens
  // one: this tab then stays quiet instead of reconnecting and ending another in turn.
  source.addEventListener('closed', () => {
    source?.close();
    live.connected = false;
  });
  source.onerror = () => {
    live.connected = false;
  };
}

export function stopLive(): void {
  source?.close();
  source = null;
  live.connected = false;
}

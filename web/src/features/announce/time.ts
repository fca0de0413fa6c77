// Unix seconds shown in Asia/Shanghai, as the rest of the product does.
export function formatTime(sec?: number | null): string {
  if (!sec) return '—';
  return new Date(sec * 1000).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

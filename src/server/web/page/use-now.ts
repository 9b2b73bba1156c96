import { useEffect, useState } from 'react';

/**
 * The current time, renewed every `everyMs`: ages shown in minutes stay right without a request
 * (a local clock, not polling the service).
 */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** How long ago `since` was, roughly, as a person says it: "<1 min", "3 min", "5 h", "2 d". */
export function formatAge(since: string, now: number): string {
  // The service's clock may run a little ahead of this browser's.
  const minutes = Math.max(0, Math.floor((now - Date.parse(since)) / 60_000));
  if (minutes < 1) return '<1 min';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} d`;
}

import { DECIDERS } from '../auth/roles.decorator';
import type { StaffPrincipal } from '../auth/staff-auth.service';
import { StaffRole } from '../auth/staff-user.entity';

/** What every staff page shares: the navigation bar, who may decide, and how times and URLs are shown. */

/** The roles that act on cases; viewers only read. */
export const canDecide = (staff: Pick<StaffPrincipal, 'role'>): boolean => DECIDERS.includes(staff.role);

/** The URL if it is http: or https: (as the URL parser reads it, so "JaVaScRiPt:" or "java\tscript:" do not pass). */
export function httpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** How long ago, as staff say it: "just now", "12 min", "3 h", "2 d". */
export function humanAge(from: Date, now: Date): string {
  const minutes = Math.floor((now.getTime() - new Date(from).getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

/** A time relative to now: "in 3 h", "2 d ago". */
export function relativeTime(at: Date, now: Date): string {
  const future = new Date(at).getTime() > now.getTime();
  const span = future ? humanAge(now, new Date(at)) : humanAge(new Date(at), now);
  if (span === 'just now') return span;
  return future ? `in ${span}` : `${span} ago`;
}

export interface StaffNav {
  staff: StaffPrincipal;
  canDecide: boolean;
  isAdmin: boolean;
  csrf: string;
  active: 'queue' | 'case' | 'admin' | 'privacy' | 'uploaders' | 'notifiers' | 'error';
}

export function staffNav(staff: StaffPrincipal, csrf: string, active: StaffNav['active']): StaffNav {
  return { staff, canDecide: canDecide(staff), isAdmin: staff.role === StaffRole.Admin, csrf, active };
}

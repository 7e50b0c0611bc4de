import { signIn } from './staff';

/** A page as a staff member's browser got it. */
export interface Page {
  status: number;
  html: string;
  headers: Headers;
  location: string | null;
}

/** A staff member's browser, without the browser: cookies kept between requests, and the last page's CSRF token. */
export class StaffBrowser {
  private readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(private readonly base: string) {}

  static async signIn(base: string, staff: { email: string; password: string }): Promise<StaffBrowser> {
    const browser = new StaffBrowser(base);
    const [name, value] = (await signIn(base, staff)).split('=');
    browser.cookies.set(name, value);
    return browser;
  }

  get cookie(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(path: string): Promise<Page> {
    const res = await fetch(this.base + path, { headers: { cookie: this.cookie }, redirect: 'manual' });
    return this.read(res);
  }

  /** Posts a form as the page would; `_csrf` is the last page's token unless the test says otherwise. */
  async post(path: string, fields: Record<string, string | string[]>, csrf: string | null = this.csrf): Promise<Page> {
    const body = new URLSearchParams();
    if (csrf !== null) body.append('_csrf', csrf);
    for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(key, v);
    const res = await fetch(this.base + path, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
    return this.read(res);
  }

  /** Posts, expects the 303 back, and returns the page it leads to. */
  async submit(path: string, fields: Record<string, string | string[]>): Promise<Page> {
    const sent = await this.post(path, fields);
    if (sent.status !== 303 || !sent.location) {
      throw new Error(`POST ${path} answered ${sent.status}: ${/role="alert">\s*<p>(.*?)<\/p>/s.exec(sent.html)?.[1]}`);
    }
    return this.get(sent.location);
  }

  private async read(res: Response): Promise<Page> {
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at), pair.slice(at + 1)];
      if (/Expires=Thu, 01 Jan 1970/i.test(set) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const html = await res.text();
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? this.csrf;
    return { status: res.status, html, headers: res.headers, location: res.headers.get('location') };
  }
}
